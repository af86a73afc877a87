import MulticastExpert
import MulticastMonitor

/// The joined streams as a live table, with sources under expanded rows and a 60 s sparkline.
enum GroupsView {
    static let widths: [GroupColumn: Int] = [.group: 23, .interface: 9, .sources: 4, .packetsPerSecond: 8, .bitsPerSecond: 9, .loss: 7, .jitter: 10, .lastSeen: 6]

    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea, glyphs: Glyphs, now: Timestamp) {
        let fixedWidth = GroupColumn.allCases.reduce(0) { $0 + widths[$1]! }
        let sparkWidth = min(max(area.width - fixedWidth - 1, 0), RateMeter.historySeconds)
        var header = ""
        for column in GroupColumn.allCases {
            var title = column.title
            if column == state.groups.sortColumn { title += state.groups.sortAscending ? "+" : "-" }
            header += title.fitted(widths[column]!)
        }
        if sparkWidth >= 8 { header += " PKT/S, LAST \(sparkWidth) S" }
        canvas.put(0, area.top, header, .header)
        let streams = state.visibleStreams
        guard !streams.isEmpty else {
            let hint = state.snapshot?.subscriptions.isEmpty ?? true
                ? "No groups joined yet. Press j to join one (e.g. 239.1.2.3:5000), or start with --group / --demo."
                : "Joined; waiting for traffic. Press d for the doctor if nothing arrives."
            for (i, line) in Format.wrap(hint, width: area.width - 2).enumerated() { canvas.put(1, area.top + 2 + i, line, .dim) }
            return
        }
        var lines: [(String, Style, Bool)] = []  // text, style, is the selected stream
        for (index, stream) in streams.enumerated() {
            var row = GroupSpec.text(stream.key.group, port: stream.key.port).fitted(widths[.group]!)
            row += stream.key.interfaceName.fitted(widths[.interface]!)
            row += String(stream.sources.count).fitted(widths[.sources]!)
            row += Format.compact(stream.rate.packetsPerSecond).fitted(widths[.packetsPerSecond]!)
            row += Format.fixed(stream.rate.bitsPerSecond / 1000, 1).fitted(widths[.bitsPerSecond]!)
            row += (stream.lossPercent.map { Format.fixed($0, 2) } ?? "-").fitted(widths[.loss]!)
            row += Format.milliseconds(stream.jitterNanoseconds).fitted(widths[.jitter]!)
            row += Format.age(stream.lastSeen, now: now).fitted(widths[.lastSeen]!)
            if sparkWidth >= 8 { row += " " + Format.sparkline(stream.rate.packetsPerSecondHistory, width: sparkWidth, glyphs: glyphs) }
            let lossy = (stream.lossPercent ?? 0) > 0 || stream.kernelDrops > 0
            lines.append((row, lossy ? .warn : .normal, index == state.groups.cursor.index))
            if state.groups.expanded.contains(stream.key) {
                for source in stream.sources.values.sorted(by: { $0.packets > $1.packets }) {
                    var sub = "  \(glyphs.arrow) \(source.source)".fitted(widths[.group]! + widths[.interface]! + widths[.sources]!)
                    sub += Format.compact(source.rate.packetsPerSecond).fitted(widths[.packetsPerSecond]!)
                    sub += Format.fixed(source.rate.bitsPerSecond / 1000, 1).fitted(widths[.bitsPerSecond]!)
                    sub += (source.lossPercent.map { Format.fixed($0, 2) } ?? "-").fitted(widths[.loss]!)
                    sub += Format.milliseconds(source.probe?.jitterNanoseconds).fitted(widths[.jitter]!)
                    sub += "\(source.packets) pkts"
                    lines.append((sub, .dim, false))
                }
                if stream.untrackedPackets > 0 {
                    lines.append(("  \(glyphs.arrow) + \(stream.untrackedPackets) datagrams from sources beyond the \(stream.limits.maxSourcesPerStream) tracked", .dim, false))
                }
            }
        }
        let visible = area.height - 1
        let selectedLine = lines.firstIndex { $0.2 } ?? 0
        let offset = scrollOffset(selection: selectedLine, count: lines.count, visible: visible)
        for (i, line) in lines.dropFirst(offset).prefix(visible).enumerated() {
            let y = area.top + 1 + i
            if line.2 {
                canvas.fillRow(y, .selected)
                canvas.put(0, y, line.0, .selected)
            } else {
                canvas.put(0, y, line.0, line.1)
            }
        }
    }
}
