import MulticastExpert
import MulticastMonitor

/// The joined streams as a live table, with sources under expanded rows and a 60 s sparkline
/// when there is room; at ``StreamDetailView/minimumSplitWidth`` columns and more, the selected
/// stream's detail beside it. Rows are coloured by ``StreamSeverity``.
enum GroupsView {
    /// A column of the table. The table keeps the columns of ``priority`` in that order while
    /// they fit, and draws them in declaration order.
    enum Column: CaseIterable {
        case group, interface, sources, kind, packetsPerSecond, bitsPerSecond, loss, jitter, lastSeen, health

        var width: Int {
            switch self {
            case .group: 22
            case .interface: 9
            case .sources: 4
            case .kind: 7
            case .packetsPerSecond: 8
            case .bitsPerSecond: 9
            case .loss: 7
            case .jitter: 9
            case .lastSeen: 5
            case .health: 26
            }
        }

        /// The sort column it shows, if it is one (`s` does not sort by health).
        var sortColumn: GroupColumn? {
            switch self {
            case .group: .group
            case .interface: .interface
            case .sources: .sources
            case .kind: .kind
            case .packetsPerSecond: .packetsPerSecond
            case .bitsPerSecond: .bitsPerSecond
            case .loss: .loss
            case .jitter: .jitter
            case .lastSeen: .lastSeen
            case .health: nil
            }
        }

        var title: String { sortColumn?.title ?? "HEALTH" }

        /// What a narrow table keeps first.
        static let priority: [Column] = [.group, .packetsPerSecond, .loss, .kind, .interface, .bitsPerSecond, .jitter, .sources, .lastSeen, .health]
    }

    /// The columns a table `width` wide shows, in drawing order.
    static func columns(fitting width: Int) -> [Column] {
        var used = 0
        var kept: Set<Column> = []
        for column in Column.priority where used + column.width <= width {
            kept.insert(column)
            used += column.width
        }
        return Column.allCases.filter(kept.contains)
    }

    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea, glyphs: Glyphs, now: Timestamp) {
        let streams = state.visibleStreams
        guard area.width >= StreamDetailView.minimumSplitWidth else {
            canvas.draw(table(state, streams, width: area.width, height: area.height, glyphs: glyphs, now: now), atX: 0, y: area.top)
            return
        }
        let paneWidth = StreamDetailView.paneWidth(terminalWidth: area.width)
        let tableWidth = area.width - paneWidth - 1
        canvas.draw(table(state, streams, width: tableWidth, height: area.height, glyphs: glyphs, now: now), atX: 0, y: area.top)
        for y in area.top..<(area.top + area.height) { canvas.put(tableWidth, y, String(glyphs.vertical), .dim) }
        let selected = streams.indices.contains(state.groups.cursor.index) ? streams[state.groups.cursor.index] : nil
        let pane = StreamDetailView.render(selected, width: paneWidth, height: area.height, scroll: 0, glyphs: glyphs, isPane: true)
        canvas.draw(pane, atX: tableWidth + 1, y: area.top)
    }

    /// The table on a canvas of its own, `width` × `height`.
    static func table(_ state: AppState, _ streams: [StreamStatistics], width: Int, height: Int, glyphs: Glyphs, now: Timestamp) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let columns = columns(fitting: width)
        let used = columns.reduce(0) { $0 + $1.width }
        let sparkWidth = min(max(width - used - 1, 0), RateMeter.historySeconds)
        var header = ""
        for column in columns {
            var title = column.title
            if let sort = column.sortColumn, sort == state.groups.sortColumn { title += state.groups.sortAscending ? "+" : "-" }
            header += title.fitted(column.width)
        }
        if sparkWidth >= 8 { header += " PKT/S, LAST \(sparkWidth) S" }
        canvas.put(0, 0, header, .header)
        guard !streams.isEmpty else {
            let hint = state.snapshot?.subscriptions.isEmpty ?? true
                ? "No groups joined yet. Press j to join one (e.g. 239.1.2.3:5000), or start with --group / --demo."
                : "Joined; waiting for traffic. Press d for the doctor if nothing arrives."
            for (i, line) in Format.wrap(hint, width: width - 2).enumerated() { canvas.put(1, 2 + i, line, .dim) }
            return canvas
        }
        // Only the rows on screen are formatted: with a thousand streams, counting each stream's
        // rows is cheap, formatting them all is not.
        func rowCount(_ stream: StreamStatistics) -> Int {
            guard state.groups.expanded.contains(stream.key) else { return 1 }
            return 1 + stream.sources.count + (stream.untrackedPackets > 0 ? 1 : 0)
        }
        let counts = streams.map(rowCount)
        let cursor = state.groups.cursor.index
        let selectedLine = counts.prefix(cursor).reduce(0, +)
        let visible = height - 1
        let offset = scrollOffset(selection: selectedLine, count: counts.reduce(0, +), visible: visible)
        var line = 0
        for (index, stream) in streams.enumerated() {
            guard line < offset + visible else { break }
            defer { line += counts[index] }
            guard line + counts[index] > offset else { continue }
            for (k, row) in rows(stream, columns: columns, sparkWidth: sparkWidth, expanded: counts[index] > 1, glyphs: glyphs, now: now).enumerated() {
                let y = 1 + line + k - offset
                guard y >= 1, y <= visible else { continue }
                if k == 0 && index == cursor {
                    canvas.fillRow(y, .selected)
                    canvas.put(0, y, row.text, .selected)
                } else {
                    canvas.put(0, y, row.text, row.style)
                }
            }
        }
        return canvas
    }

    /// A stream's row, then (when expanded) a row per source, busiest first, and one for the
    /// datagrams of sources beyond the cap.
    static func rows(_ stream: StreamStatistics, columns: [Column], sparkWidth: Int, expanded: Bool, glyphs: Glyphs, now: Timestamp)
        -> [(text: String, style: Style)] {
        var row = ""
        for column in columns { row += cell(column, of: stream, now: now).fitted(column.width) }
        if sparkWidth >= 8 { row += " " + Format.sparkline(stream.rate.packetsPerSecondHistory, width: sparkWidth, glyphs: glyphs) }
        var rows = [(text: row, style: StreamSeverity.of(stream).style)]
        guard expanded else { return rows }
        // The source's address spans the identifying columns before the figures.
        let labelColumns = columns.prefix { [.group, .interface, .sources].contains($0) }
        let labelWidth = max(labelColumns.reduce(0) { $0 + $1.width }, Column.group.width)
        for source in stream.sources.values.sorted(by: { $0.packets > $1.packets }) {
            var sub = "  \(glyphs.arrow) \(source.source)".fitted(labelWidth)
            for column in columns.dropFirst(labelColumns.count) { sub += cell(column, of: source, now: now).fitted(column.width) }
            rows.append((sub, .dim))
        }
        if stream.untrackedPackets > 0 {
            rows.append(("  \(glyphs.arrow) + \(stream.untrackedPackets) datagrams from sources beyond the \(stream.limits.maxSourcesPerStream) tracked", .dim))
        }
        return rows
    }

    /// A stream's cell in a column.
    static func cell(_ column: Column, of stream: StreamStatistics, now: Timestamp) -> String {
        switch column {
        case .group: GroupSpec.text(stream.key.group, port: stream.key.port)
        case .interface: stream.key.interfaceName
        case .sources: String(stream.sources.count)
        case .kind: stream.kind?.name ?? "?"
        case .packetsPerSecond: Format.compact(stream.rate.packetsPerSecond)
        case .bitsPerSecond: Format.fixed(stream.rate.bitsPerSecond / 1000, 1)
        case .loss: stream.lossPercent.map { Format.fixed($0, 2) } ?? "-"
        case .jitter: Format.milliseconds(stream.jitterNanoseconds)
        case .lastSeen: Format.age(stream.lastSeen, now: now)
        case .health: StreamHealth.brief(stream).isEmpty ? "ok" : StreamHealth.brief(stream)
        }
    }

    /// A source's cell in a column (those after its address).
    static func cell(_ column: Column, of source: SourceStatistics, now: Timestamp) -> String {
        switch column {
        case .group, .interface, .sources: ""
        case .kind: source.payload.kind?.name ?? "?"
        case .packetsPerSecond: Format.compact(source.rate.packetsPerSecond)
        case .bitsPerSecond: Format.fixed(source.rate.bitsPerSecond / 1000, 1)
        case .loss: source.lossPercent.map { Format.fixed($0, 2) } ?? "-"
        case .jitter: Format.milliseconds(source.jitterNanoseconds)
        case .lastSeen: Format.age(source.lastSeen, now: now)
        case .health: "\(source.packets) pkts"
        }
    }
}
