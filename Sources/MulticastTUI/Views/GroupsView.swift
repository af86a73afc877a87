import MulticastExpert
import MulticastMonitor
import MulticastStreamList

/// The joined streams as a live table: a severity mark, the columns that fit (widths follow
/// the terminal and the longest group and interface names), and a sparkline of the last minute
/// that is always there and grows with the width; sources under expanded rows. At
/// ``StreamDetailView/minimumSplitWidth`` columns and more, the selected stream's detail sits
/// beside it. Rows are coloured and marked by ``StreamSeverity``.
enum GroupsView {
    /// A column of the table. The table keeps the columns of ``priority`` in that order while
    /// they fit, and draws them in declaration order.
    enum Column: CaseIterable {
        case group, name, interface, sources, kind, packetsPerSecond, bitsPerSecond, loss, jitter, lastSeen, health

        /// The width it takes at least, the gap after it included.
        var width: Int {
            switch self {
            case .group: 12
            case .name: 8
            case .interface: 7
            case .sources: 5
            case .kind: 7
            case .packetsPerSecond: 7
            case .bitsPerSecond: 9
            case .loss: 7
            case .jitter: 9
            case .lastSeen: 6
            case .health: 12
            }
        }

        /// The most it grows to for its content: the longest IPv6 group and port, interface
        /// names of 15 characters, a long health line.
        var maximumWidth: Int {
            switch self {
            case .group: 48
            case .name: 25
            case .interface: 17
            case .health: 60
            default: width
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
            case .name: .name
            case .health: nil
            }
        }

        var title: String { sortColumn?.title ?? "HEALTH" }

        /// What a narrow table keeps first.
        /// NAME (a stream list's names, `--streams`) is there only when a list is loaded.
        static let priority: [Column] = [.group, .name, .packetsPerSecond, .loss, .interface, .kind, .bitsPerSecond, .jitter, .sources, .lastSeen, .health]
    }

    /// The cells in front of each row for its severity mark.
    static let markWidth = 2
    /// The narrowest sparkline; it is always drawn.
    static let minimumSparkWidth = 8
    /// The widest sparkline: one cell per complete second of the history.
    static let maximumSparkWidth = RateMeter.historySeconds - 1

    /// Where the parts of a table row go.
    struct Layout {
        /// The columns drawn, left to right: where each starts and how wide it is (gap included).
        var columns: [(column: Column, x: Int, width: Int)]
        /// The sparkline's first cell and width.
        var sparkX: Int
        var sparkWidth: Int

        /// The column under cell `x`, if any.
        func column(at x: Int) -> Column? { columns.first { x >= $0.x && x < $0.x + $0.width }?.column }
    }

    /// The layout of the table as drawn for `state` on a canvas `width` × `height` (the header
    /// and the rows on screen): its HEALTH column as wide as the longest health line shown.
    static func layout(_ state: AppState, _ streams: [StreamStatistics], width: Int, height: Int) -> Layout {
        let (counts, offset) = scroll(state, streams, visible: height - 1)
        var health = 0, line = 0
        for (index, stream) in streams.enumerated() {
            guard line < offset + height - 1 else { break }
            if line + counts[index] > offset { health = max(health, healthText(stream).count) }
            line += counts[index]
        }
        return layout(streams, width: width, healthText: health, names: state.streamList.names == nil ? nil : { state.streamList.name(of: $0) })
    }

    /// The layout of a table `width` wide for `streams`: the columns of ``Column/priority`` that
    /// fit beside the sparkline's ``sparkFloor(width:)``, the group and interface columns as wide
    /// as their longest entry, the health column as `healthText` (its longest line shown); what
    /// is left widens the sparkline, to a cell per second.
    static func layout(_ streams: [StreamStatistics], width: Int, healthText: Int = 0, names: ((StreamStatistics) -> String?)? = nil) -> Layout {
        func fit(_ column: Column, _ content: Int) -> Int { min(max(content + 1, column.width), column.maximumWidth) }
        var natural: [Column: Int] = [:]
        for column in Column.allCases { natural[column] = column.width }
        natural[.group] = fit(.group, streams.map { GroupSpec.text($0.key.group, port: $0.key.port).count }.max() ?? 0)
        natural[.interface] = fit(.interface, streams.map(\.key.interfaceName.count).max() ?? 0)
        natural[.health] = fit(.health, healthText)
        if let names { natural[.name] = fit(.name, streams.prefix(1000).map { names($0)?.count ?? 1 }.max() ?? 0) } else { natural[.name] = nil }
        let baseSpark = sparkFloor(width: width)
        let budget = width - markWidth - baseSpark
        var widths: [Column: Int] = [:]
        var used = 0
        for column in Column.priority {
            guard let width = natural[column], used + width <= budget else { continue }
            widths[column] = width
            used += width
        }
        let sparkWidth = baseSpark + min(budget - used, maximumSparkWidth - baseSpark)
        var x = markWidth
        var columns: [(column: Column, x: Int, width: Int)] = []
        for column in Column.allCases {
            guard let w = widths[column] else { continue }
            columns.append((column, x, w))
            x += w
        }
        return Layout(columns: columns, sparkX: x, sparkWidth: sparkWidth)
    }

    /// The sparkline's width before the columns take what they need: a sixth of the table,
    /// within ``minimumSparkWidth`` and ``maximumSparkWidth``. What the columns leave widens it.
    static func sparkFloor(width: Int) -> Int { min(max(width / 6, minimumSparkWidth), maximumSparkWidth) }

    /// The table's and the pane's widths on a body `width` wide, or nil below the split.
    static func split(width: Int) -> (table: Int, pane: Int)? {
        guard width >= StreamDetailView.minimumSplitWidth else { return nil }
        let pane = StreamDetailView.paneWidth(terminalWidth: width)
        return (width - pane - 1, pane)
    }

    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea, glyphs: Glyphs, now: Timestamp) {
        let streams = state.visibleStreams
        guard let (tableWidth, paneWidth) = split(width: area.width) else {
            canvas.draw(table(state, streams, width: area.width, height: area.height, glyphs: glyphs, now: now), atX: 0, y: area.top)
            return
        }
        canvas.draw(table(state, streams, width: tableWidth, height: area.height, glyphs: glyphs, now: now), atX: 0, y: area.top)
        for y in area.top..<(area.top + area.height) { canvas.put(tableWidth, y, String(glyphs.vertical), .dim) }
        let selected = streams.indices.contains(state.groups.cursor.index) ? streams[state.groups.cursor.index] : nil
        let pane = StreamDetailView.render(selected, width: paneWidth, height: area.height, scroll: 0, glyphs: glyphs, isPane: true,
                                           name: selected.flatMap { state.streamList.name(of: $0) })
        canvas.draw(pane, atX: tableWidth + 1, y: area.top)
    }

    /// How many lines each stream takes in the table (one, or one per source and one more for
    /// untracked sources when expanded), and the first line shown so the selected row is visible
    /// in `visible` lines. Only counts: with a thousand streams, formatting every row is not cheap.
    static func scroll(_ state: AppState, _ streams: [StreamStatistics], visible: Int) -> (counts: [Int], offset: Int) {
        let counts = streams.map { stream in
            state.groups.expanded.contains(stream.key) ? 1 + stream.sources.count + (stream.untrackedPackets > 0 ? 1 : 0) : 1
        }
        let selectedLine = counts.prefix(state.groups.cursor.index).reduce(0, +)
        return (counts, scrollOffset(selection: selectedLine, count: counts.reduce(0, +), visible: visible))
    }

    /// The stream (index into `streams`) whose row, or one of whose source rows, is on line `line`
    /// of a table `height` high (line 0 is the header).
    static func streamIndex(atLine line: Int, _ state: AppState, _ streams: [StreamStatistics], height: Int) -> Int? {
        guard line >= 1, line < height else { return nil }
        let (counts, offset) = scroll(state, streams, visible: height - 1)
        var first = 0
        let wanted = offset + line - 1
        for (index, count) in counts.enumerated() {
            if wanted < first + count { return index }
            first += count
        }
        return nil
    }

    /// The table on a canvas of its own, `width` × `height`.
    static func table(_ state: AppState, _ streams: [StreamStatistics], width: Int, height: Int, glyphs: Glyphs, now: Timestamp) -> Canvas {
        var canvas = Canvas(width: width, height: height, glyphs: glyphs)
        let layout = layout(state, streams, width: width, height: height)
        let names = state.streamList.names == nil ? nil : state.streamList
        canvas.fillRow(0, .header)
        for (column, x, w) in layout.columns {
            var title = column.title
            if let sort = column.sortColumn, sort == state.groups.sortColumn { title += state.groups.sortAscending ? "+" : "-" }
            canvas.put(x, 0, title, .header, maxWidth: w - 1)
        }
        let sparkTitle = ["PKT/S, LAST MINUTE", "PKT/S LAST MIN", "LAST MIN", "1 MIN"].first { $0.count <= layout.sparkWidth } ?? ""
        canvas.put(layout.sparkX, 0, sparkTitle, .header)
        guard !streams.isEmpty else {
            let hint = state.snapshot?.subscriptions.isEmpty ?? true
                ? "No groups joined yet. Press j to join one (e.g. 239.1.2.3:5000), or start with --group / --demo."
                : "Joined; waiting for traffic. Press d for the doctor if nothing arrives."
            canvas.putWrapped(1, 2, hint, .dim, width: width - 2, rows: height - 2)
            return canvas
        }
        let visible = height - 1
        let (counts, offset) = scroll(state, streams, visible: visible)
        let cursor = state.groups.cursor.index
        var line = 0
        for (index, stream) in streams.enumerated() {
            guard line < offset + visible else { break }
            defer { line += counts[index] }
            guard line + counts[index] > offset else { continue }
            let y = 1 + line - offset
            if y >= 1 {
                let severity = StreamSeverity.of(stream)
                let style = index == cursor ? Style.selected : severity.style
                if index == cursor { canvas.fillRow(y, .selected) }
                canvas.put(0, y, String(severity.mark(glyphs)), style)
                let name = names?.name(of: stream)
                for (column, x, w) in layout.columns { canvas.put(x, y, cell(column, of: stream, now: now, name: name), style, maxWidth: w - 1) }
                if SilentStreams.isSilent(stream) {
                    // A listed stream nothing has arrived for: said where every width has room (the sparkline is at least 8 cells).
                    canvas.put(layout.sparkX, y, SilentStreams.health, index == cursor ? .selected : .dim, maxWidth: layout.sparkWidth)
                } else {
                    canvas.put(layout.sparkX, y, sparkline(stream.rate, width: layout.sparkWidth, glyphs: glyphs), index == cursor ? .selected : .accent)
                }
            }
            guard counts[index] > 1 else { continue }
            drawSources(stream, from: y + 1, visible: visible, layout: layout, glyphs: glyphs, now: now, on: &canvas)
        }
        return canvas
    }

    /// Under an expanded stream's row, starting at row `top`: a row per source, busiest first, and
    /// one for the datagrams of sources beyond the cap. The source's address spans the
    /// identifying columns before the figures.
    static func drawSources(_ stream: StreamStatistics, from top: Int, visible: Int, layout: Layout, glyphs: Glyphs, now: Timestamp, on canvas: inout Canvas) {
        let identifying: Set<Column> = [.group, .name, .interface, .sources]
        let figures = layout.columns.filter { !identifying.contains($0.column) }
        let labelEnd = figures.first?.x ?? layout.sparkX
        var y = top
        for source in stream.sources.values.sorted(by: { ($0.packets, $1.source.description) > ($1.packets, $0.source.description) }) {
            defer { y += 1 }
            guard y >= 1, y <= visible else { continue }
            canvas.put(markWidth, y, "  \(glyphs.arrow) \(source.source)", .dim, maxWidth: labelEnd - markWidth - 1)
            for (column, x, w) in figures { canvas.put(x, y, cell(column, of: source, now: now), .dim, maxWidth: w - 1) }
            canvas.put(layout.sparkX, y, sparkline(source.rate, width: layout.sparkWidth, glyphs: glyphs), .dim)
        }
        if stream.untrackedPackets > 0, y >= 1, y <= visible {
            canvas.put(markWidth, y, "  \(glyphs.arrow) + \(stream.untrackedPackets) datagrams from sources beyond the \(stream.limits.maxSourcesPerStream) tracked", .dim)
        }
    }

    /// The packet rates of the last minute's complete seconds (the current one would always
    /// read low) in `width` cells: a cell per second at the widest, else each cell the busiest
    /// of its seconds, as the detail's graphs do.
    static func sparkline(_ rate: RateMeter, width: Int, glyphs: Glyphs) -> String {
        HistoryGraph.bars(rate.packetsPerSecondHistory.dropLast().map { Double($0) }, width: width, rows: 1, glyphs: glyphs).first ?? ""
    }

    /// The HEALTH column's text: the brief health line, or ok.
    static func healthText(_ stream: StreamStatistics) -> String {
        if SilentStreams.isSilent(stream) { return SilentStreams.health }
        let brief = StreamHealth.brief(stream)
        return brief.isEmpty ? "ok" : brief
    }

    /// A stream's cell in a column.
    static func cell(_ column: Column, of stream: StreamStatistics, now: Timestamp, name: String? = nil) -> String {
        switch column {
        case .group: GroupSpec.text(stream.key.group, port: stream.key.port)
        case .name: name ?? "-"
        case .interface: stream.key.interfaceName
        case .sources: String(stream.sources.count)
        case .kind: stream.kind?.name ?? "?"
        case .packetsPerSecond: Format.compact(stream.rate.packetsPerSecond)
        case .bitsPerSecond: Format.fixed(stream.rate.bitsPerSecond / 1000, 1)
        case .loss: stream.lossPercent.map { Format.fixed($0, 2) } ?? "-"
        case .jitter: Format.milliseconds(stream.jitterNanoseconds)
        case .lastSeen: Format.age(stream.lastSeen, now: now)
        case .health: healthText(stream)
        }
    }

    /// A source's cell in a column (those after its address).
    static func cell(_ column: Column, of source: SourceStatistics, now: Timestamp) -> String {
        switch column {
        case .group, .name, .interface, .sources: ""
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
