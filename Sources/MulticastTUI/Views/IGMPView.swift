import MulticastDoctor
import MulticastExpert
import MulticastText

/// The IGMP/MLD conversation as the listener hears it: a line of counts, then one list in
/// sections — the queriers per interface (version, elected or not, query interval observed and
/// advertised, robustness, max response, last query, whether rp_filter drops them), the warnings
/// worst first, this host's answers to queries about the groups it joined, and the groups with
/// the hosts that reported them (this host's own reports marked) — and under it the selected
/// row in full, as the doctor shows its selected finding. The columns a narrow terminal cannot
/// fit are in the detail. Without CAP_NET_RAW it says so and what to do.
enum IGMPView {
    /// Rows of the list (headers included) the detail leaves at least, when the list has them.
    static let minimumListRows = 8

    static let notPermitted = "Not listening: hearing IGMP and MLD needs CAP_NET_RAW (a packet socket), which this process does not have."
    static let notPermittedFix = "Run it as root (sudo mcexpert tui), or give the binary the capability: sudo setcap cap_net_raw+ep \"$(command -v mcexpert)\". Without it, the Memberships screen (5) shows what this host has joined."

    // MARK: Columns

    /// A column of one of the sections. The first of each section (its key: the querier's
    /// address, the severity, the group) is always drawn; the others while they fit, in each
    /// section's priority order.
    enum Column: Hashable {
        case key, interface, version, role, interval, robustness, maxResponse, lastQuery, rpFilter
        case members, reports, leaves, lastReport, groupQueries
        case answered, suppressed, missed, note
        case finding
    }

    /// The cells in front of each row for its mark.
    static let markWidth = 2

    /// Where a section's columns go: each drawn column's title, first cell and width (gap included).
    struct Layout {
        var columns: [(column: Column, title: String, x: Int, width: Int)]

        func x(of column: Column) -> Int? { columns.first { $0.column == column }?.x }
    }

    /// The widths shared by the sections on a list `width` wide: the key column (addresses and
    /// groups, reporters under them indented) and the interface column.
    struct Widths {
        var key: Int
        var interface: Int
        var severity = 10

        init(_ report: IGMPReport, width: Int) {
            let state = report.state
            var longest = 8
            for querier in state.queriers { longest = max(longest, "\(querier.address)".count) }
            for record in state.responses { longest = max(longest, "\(record.group)".count) }
            for group in state.groups {
                longest = max(longest, IGMPView.groupText(group).count)
                for reporter in group.reporters { longest = max(longest, 4 + "\(reporter.address)".count) }
            }
            // A third of the width at most: IPv6 link-local reporters are cut (whole in the detail)
            // before the columns after them are.
            key = min(longest + 2, max(16, width / 3), 45)
            var names = state.queriers.map(\.interfaceIndex) + state.responses.map(\.interfaceIndex)
            names += state.groups.map(\.interfaceIndex)
            let longestName = max(names.map { state.host.name(ofInterface: $0).count }.max() ?? 0,
                                  report.warnings.map { ($0.interface ?? "host").count }.max() ?? 0)
            interface = min(max(longestName + 2, 7), 17)
        }
    }

    /// Places a section's columns on a list `width` wide: the key first, then the others of
    /// `priority` while they fit, drawn in the order `columns` lists them; a `.note` or
    /// `.finding` column takes the rest of the row.
    static func place(_ columns: [(column: Column, title: String, width: Int)], priority: [Column], width: Int) -> Layout {
        var kept: Set<Column> = [.key]
        var used = markWidth + (columns.first { $0.column == .key }?.width ?? 0)
        for column in priority {
            guard let entry = columns.first(where: { $0.column == column }) else { continue }
            let needed = entry.column == .note || entry.column == .finding ? 10 : entry.width
            if used + needed <= width {
                kept.insert(column)
                used += needed
            }
        }
        var x = markWidth
        var placed: [(column: Column, title: String, x: Int, width: Int)] = []
        for entry in columns where kept.contains(entry.column) {
            let w = entry.column == .note || entry.column == .finding ? max(width - x, 1) : entry.width
            placed.append((entry.column, entry.title, x, w))
            x += w
        }
        return Layout(columns: placed)
    }

    static func querierLayout(_ widths: Widths, width: Int) -> Layout {
        place([(.key, "QUERIERS", widths.key), (.interface, "IFACE", widths.interface), (.version, "VERSION", 8), (.role, "ROLE", 13),
               (.interval, "INTERVAL", 18), (.robustness, "QRV", 5), (.maxResponse, "MAXRESP", 9), (.lastQuery, "LAST Q", 8), (.rpFilter, "RP_FILTER", 10)],
              priority: [.interface, .version, .role, .lastQuery, .rpFilter, .interval, .maxResponse, .robustness], width: width)
    }

    static func warningLayout(_ widths: Widths, width: Int) -> Layout {
        place([(.key, "WARNINGS", widths.severity), (.interface, "IFACE", widths.interface), (.finding, "FINDING", 0)],
              priority: [.interface, .finding], width: width)
    }

    static func answerLayout(_ widths: Widths, width: Int) -> Layout {
        place([(.key, "ANSWERS", widths.key), (.interface, "IFACE", widths.interface), (.answered, "ANSWERED", 10), (.suppressed, "SUPPRESSED", 12),
               (.missed, "MISSED", 8), (.note, "", 0)],
              priority: [.interface, .answered, .missed, .suppressed, .note], width: width)
    }

    static func groupLayout(_ widths: Widths, width: Int) -> Layout {
        place([(.key, "GROUPS", widths.key), (.interface, "IFACE", widths.interface), (.members, "MEMBERS", 9), (.reports, "REPORTS", 9),
               (.leaves, "LEAVES", 8), (.lastReport, "LAST", 8), (.groupQueries, "QUERIES", 9)],
              priority: [.interface, .members, .lastReport, .leaves, .reports, .groupQueries], width: width)
    }

    static func layout(_ section: IGMPRows.Section, _ widths: Widths, width: Int) -> Layout {
        switch section {
        case .queriers: querierLayout(widths, width: width)
        case .warnings: warningLayout(widths, width: width)
        case .answers: answerLayout(widths, width: width)
        case .groups: groupLayout(widths, width: width)
        }
    }

    // MARK: Splitting the body

    /// How the body splits under the counts line: the list's rows and the detail's rows (its
    /// rule included) right below them. When both do not fit, the detail takes what it needs
    /// while the list keeps ``minimumListRows``.
    static func split(_ state: AppState, _ area: BodyArea) -> (list: Int, detail: Int) {
        let total = area.height - 1
        let rows = state.igmpRows
        guard let report = rows.report, let item = selectedItem(state, rows) else { return (total, 0) }
        let needed = detailLines(item, report, width: area.width).count + 1
        if rows.lineCount + needed <= total { return (rows.lineCount, needed) }
        let listFloor = min(rows.lineCount, minimumListRows)
        let detail = max(min(needed, total - listFloor), min(3, total))
        return (total - detail, detail)
    }

    /// The item under the cursor, if there are items.
    static func selectedItem(_ state: AppState, _ rows: IGMPRows) -> IGMPRows.Item? {
        rows.count == 0 ? nil : rows.item(min(state.igmp.cursor.index, rows.count - 1))
    }

    /// The first list line shown, so the selected item is in view.
    static func offset(_ state: AppState, _ rows: IGMPRows, visible: Int) -> Int {
        let selected = rows.count == 0 ? 0 : rows.line(ofItem: min(state.igmp.cursor.index, rows.count - 1))
        return scrollOffset(selection: selected, count: rows.lineCount, visible: visible)
    }

    /// The item on body line `line` (0 is the counts line), if one is drawn there.
    static func itemIndex(atLine line: Int, _ state: AppState, _ area: BodyArea) -> Int? {
        let rows = state.igmpRows
        let visible = split(state, area).list
        guard rows.report != nil, line >= 1, line <= visible else { return nil }
        guard case .item(let index) = rows.line(offset(state, rows, visible: visible) + line - 1) else { return nil }
        return index
    }

    // MARK: Drawing

    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        let rows = state.igmpRows
        guard let report = rows.report else {
            drawNotListening(&canvas, state, area)
            return
        }
        canvas.put(0, area.top, countsLine(report), .dim)
        let (listRows, detailRows) = split(state, area)
        let widths = Widths(report, width: area.width)
        let layouts = Dictionary(uniqueKeysWithValues: IGMPRows.Section.allCases.map { ($0, layout($0, widths, width: area.width)) })
        let offset = offset(state, rows, visible: listRows)
        let selected = rows.count == 0 ? -1 : min(state.igmp.cursor.index, rows.count - 1)
        for n in 0..<listRows {
            guard let line = rows.line(offset + n) else { break }
            let y = area.top + 1 + n
            switch line {
            case .header(let section):
                canvas.fillRow(y, .header)
                for (_, title, x, w) in layouts[section]!.columns { canvas.put(x, y, title, .header, maxWidth: w - 1) }
            case .empty(let section):
                canvas.put(markWidth, y, emptyText(section, report), .dim)
            case .item(let index):
                guard let item = rows.item(index) else { continue }
                drawItem(&canvas, item, report, layouts, widths, y: y, selected: index == selected)
            }
        }
        guard detailRows > 0, let item = selectedItem(state, rows) else { return }
        let top = area.top + 1 + listRows
        let title = String(repeating: canvas.glyphs.horizontal, count: 2) + " \(detailTitle(item, report)) "
        canvas.put(0, top, title + String(repeating: canvas.glyphs.horizontal, count: max(area.width - title.count, 0)), .accent, maxWidth: area.width)
        canvas.putLines(1, top + 1, detailLines(item, report, width: area.width), width: area.width - 2, rows: detailRows - 1)
    }

    /// Before the first report, or without the capability: what is going on and what to do.
    private static func drawNotListening(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        var lines: [(text: String, style: Style)]
        if !state.privileged {
            lines = [(notPermitted, .warn), ("", .normal), (notPermittedFix, .key)]
        } else if let reason = state.igmp.unavailable {
            lines = [(reason, .error), ("", .normal), ("The Memberships screen (5) shows what this host has joined.", .dim)]
        } else {
            lines = [("listening for IGMP and MLD on every interface...", .dim)]
        }
        let wrapped = lines.flatMap { line in Format.wrap(line.text, width: area.width - 2).map { ($0, line.style) } }
        canvas.putLines(1, area.top + 1, wrapped, width: area.width - 2, rows: area.height - 1)
    }

    /// `heard 18 IGMP/MLD messages in 12 s on every interface, 5 sent by this host, 0 rejected`.
    static func countsLine(_ report: IGMPReport) -> String {
        let state = report.state, counts = state.counts
        var line = "heard \(counts.totalMessages) IGMP/MLD message\(counts.totalMessages == 1 ? "" : "s") in \(formatAgo(state.listened(at: report.now))) on every interface"
        line += ", \(counts.sentByThisHost) sent by this host, \(counts.totalRejected) rejected"
        if state.overflow.any { line += ", tables full" }
        return line
    }

    /// The line under an empty section's header.
    static func emptyText(_ section: IGMPRows.Section, _ report: IGMPReport) -> String {
        switch section {
        case .queriers: "none heard in \(formatAgo(report.state.listened(at: report.now))) (queriers usually query every 125 s)"
        case .warnings: "no warnings"
        case .answers: "none"
        case .groups: "no reports heard yet (hosts report when they join and when a querier asks)"
        }
    }

    /// `239.1.2.3` or `232.1.1.1 SSM`: a group's key cell.
    static func groupText(_ group: IGMPGroup) -> String { "\(group.group)" + (group.isSourceSpecific ? " SSM" : "") }

    private static func drawItem(_ canvas: inout Canvas, _ item: IGMPRows.Item, _ report: IGMPReport, _ layouts: [IGMPRows.Section: Layout],
                                 _ widths: Widths, y: Int, selected: Bool) {
        let state = report.state
        if selected { canvas.fillRow(y, .selected) }
        func name(_ index: Int) -> String { state.host.name(ofInterface: index) }
        func cells(_ layout: Layout, mark: (Character, Style), style: Style, _ text: (Column) -> String, styleOf: (Column) -> Style? = { _ in nil }) {
            canvas.put(0, y, String(mark.0), selected ? .selected : mark.1)
            for (column, _, x, w) in layout.columns {
                canvas.put(x, y, text(column), selected ? .selected : styleOf(column) ?? style, maxWidth: w - 1)
            }
        }
        let glyphs = canvas.glyphs
        switch item {
        case .querier(let i):
            let querier = state.queriers[i]
            let role = state.role(of: querier, at: report.now)
            let drops = state.reversePathDrops(querier)
            let mark: (Character, Style) = drops ? (glyphs.failMark, .fail) : role == .notElected ? (glyphs.warnMark, .warn) : role == .stopped ? (glyphs.staleMark, .dim) : (" ", .normal)
            cells(layouts[.queriers]!, mark: mark, style: role == .stopped ? .dim : .normal, { column in
                switch column {
                case .key: "\(querier.address)"
                case .interface: name(querier.interfaceIndex)
                case .version: querier.version.description
                case .role: role == .notElected ? "not elected" : role.rawValue
                case .interval: intervalText(querier)
                case .robustness: querier.robustness.map(String.init) ?? "-"
                case .maxResponse: seconds(querier.responseTime)
                case .lastQuery: Format.age(nanoseconds: report.now.subtractingSaturating(querier.lastHeardAt))
                case .rpFilter: rpFilterText(querier, state)
                default: ""
                }
            }, styleOf: { column in column == .rpFilter && drops ? .fail : column == .role && role == .notElected ? .warn : nil })
        case .warning(let i):
            let finding = report.warnings[i]
            let mark: Character = finding.severity == .fail ? glyphs.failMark : finding.severity == .warn ? glyphs.warnMark : " "
            cells(layouts[.warnings]!, mark: (mark, severityStyle(finding.severity)), style: .normal, { column in
                switch column {
                case .key: finding.severity.description.uppercased()
                case .interface: finding.interface ?? "host"
                case .finding: finding.summary
                default: ""
                }
            }, styleOf: { $0 == .key ? severityStyle(finding.severity) : nil })
        case .answer(let i):
            let record = state.responses[i]
            let trouble = record.missed > 0 || record.suppressed > 0
            cells(layouts[.answers]!, mark: trouble ? (glyphs.warnMark, .warn) : (" ", .normal), style: .normal, { column in
                switch column {
                case .key: "\(record.group)"
                case .interface: name(record.interfaceIndex)
                case .answered: String(record.answered)
                case .suppressed: String(record.suppressed)
                case .missed: String(record.missed)
                case .note: record.lastSuppressedBy.map { "suppressed by \($0)" } ?? ""
                default: ""
                }
            }, styleOf: { column in (column == .missed && record.missed > 0) || (column == .suppressed && record.suppressed > 0) ? .warn : nil })
        case .group(let g):
            let group = state.groups[g]
            cells(layouts[.groups]!, mark: (" ", .normal), style: group.members.isEmpty ? .dim : .normal, { column in
                switch column {
                case .key: groupText(group)
                case .interface: name(group.interfaceIndex)
                case .members: String(group.members.count)
                case .reports: String(group.reports)
                case .leaves: String(group.leaves)
                case .lastReport: group.lastReportAt.map { Format.age(nanoseconds: report.now.subtractingSaturating($0)) } ?? "-"
                case .groupQueries: String(group.groupQueries)
                default: ""
                }
            })
        case .reporter(let g, let r):
            let reporter = state.groups[g].reporters[r]
            let layout = layouts[.groups]!
            let style: Style = selected ? .selected : reporter.hasLeft ? .dim : .normal
            let keyWidth = layout.columns.first?.width ?? widths.key
            canvas.put(markWidth, y, "  \(glyphs.arrow) \(reporter.address)", style, maxWidth: keyWidth - 1)
            let x = markWidth + keyWidth
            canvas.put(x, y, spans: reporterSpans(reporter, now: report.now, selected: selected, style: style), maxWidth: canvas.width - x)
        }
    }

    /// A reporter's row after its address: version, this host, reports, the last one, its filter (or when it left).
    static func reporterSpans(_ reporter: IGMPReporter, now: Int64, selected: Bool, style: Style) -> [(text: String, style: Style)] {
        func padded(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
        let reports = "\(reporter.reports) report\(reporter.reports == 1 ? "" : "s")"
        let last = Format.age(nanoseconds: now.subtractingSaturating(reporter.lastReportAt)) + " ago"
        let filter = reporter.leftAt.map { "left \(Format.age(nanoseconds: now.subtractingSaturating($0))) ago" } ?? filterText(reporter)
        return [(padded(reporter.version.description, 7), style), (padded(reporter.isThisHost ? "this host" : "", 10), selected ? .selected : .ok),
                (padded(reports, 11), style), (padded(last, 9), style), (filter, style)]
    }

    /// `EXCLUDE {}`, `INCLUDE {198.18.0.9, 198.18.0.10} +3`: a reporter's filter as `igmp` prints it.
    static func filterText(_ reporter: IGMPReporter) -> String {
        "\(reporter.mode.rawValue.uppercased()) {" + reporter.sources.map(\.description).joined(separator: ", ") + "}"
            + (reporter.sourcesOverflow > 0 ? " +\(reporter.sourcesOverflow) not kept" : "")
    }

    /// `~2.0s adv 2s`: the interval observed (median gap between general queries) and advertised (QQIC).
    static func intervalText(_ querier: IGMPQuerier) -> String {
        let observed = querier.observedInterval.map { "~" + seconds($0) }
        let advertised = querier.advertisedInterval.map { "adv \($0)s" }
        return [observed, advertised].compactMap { $0 }.joined(separator: " ").nonEmpty ?? "-"
    }

    /// Whether this host's rp_filter drops the querier's queries: `accepts`, `DROPS`, or `-` where it does not apply.
    static func rpFilterText(_ querier: IGMPQuerier, _ state: IGMPState) -> String {
        if querier.family == .ipv6 || querier.isThisHost || querier.address == .v4(IPv4Address(0)) { return "-" }
        return state.reversePathDrops(querier) ? "DROPS" : "accepts"
    }

    /// `1.0s`, `125.0s`.
    static func seconds(_ value: Double) -> String { Format.fixed(value, 1) + "s" }

    // MARK: The selected row in full

    /// The rule's title over the detail.
    static func detailTitle(_ item: IGMPRows.Item, _ report: IGMPReport) -> String {
        let state = report.state
        switch item {
        case .querier(let i): return "querier \(state.queriers[i].address)"
        case .warning(let i): return "[\(report.warnings[i].id)]"
        case .answer(let i): return "this host's answers about \(state.responses[i].group)"
        case .group(let g): return "group \(state.groups[g].group)"
        case .reporter(let g, let r): return "\(state.groups[g].reporters[r].address) in \(state.groups[g].group)"
        }
    }

    /// The selected item's detail as wrapped lines for a view `width` wide.
    static func detailLines(_ item: IGMPRows.Item, _ report: IGMPReport, width: Int) -> [(text: String, style: Style)] {
        let state = report.state, now = report.now
        func name(_ index: Int) -> String { state.host.name(ofInterface: index) }
        func ago(_ time: Int64) -> String { formatAgo(now.subtractingSaturating(time)) }
        var paragraphs: [(String, Style)] = []
        switch item {
        case .warning(let i):
            return DoctorView.detailLines(report.warnings[i], width: width)
        case .querier(let i):
            let querier = state.queriers[i]
            let role = state.role(of: querier, at: now)
            let roleText: String
            switch role {
            case .elected: roleText = state.queriers(interfaceIndex: querier.interfaceIndex, family: querier.family).count > 1
                ? "elected (the lowest address of those querying)" : "elected"
            case .notElected: roleText = "not elected: a querier with a lower address queries too, so this one should have stopped"
            case .stopped: roleText = "stopped: its last query was \(ago(querier.lastHeardAt)) ago"
            }
            let drops = state.reversePathDrops(querier)
            paragraphs.append(("\(querier.version) querier \(querier.address) on \(name(querier.interfaceIndex)): \(roleText)" + (querier.isThisHost ? "; sent by this host" : ""),
                               drops ? .fail : role == .elected ? .ok : role == .notElected ? .warn : .dim))
            var queries = "Queries heard: \(querier.generalQueries) general"
            if let observed = querier.observedInterval { queries += " (every ~\(formatSecondsText(observed)) observed)" }
            queries += querier.advertisedInterval.map { ", interval advertised (QQIC) \($0) s" } ?? ", no interval advertised"
            queries += "; \(querier.groupSpecificQueries) group-specific"
            if let group = querier.lastQueriedGroup { queries += " (the latest about \(group))" }
            queries += ", \(querier.groupAndSourceSpecificQueries) group-and-source-specific; the latest \(ago(querier.lastHeardAt)) ago."
            paragraphs.append((queries, .normal))
            paragraphs.append(("Robustness (QRV) " + (querier.robustness.map(String.init) ?? "not sent (\(IGMPDefaults.robustness) assumed)")
                               + ", max response time \(formatSecondsText(querier.responseTime)), Router Alert " + (querier.routerAlert ? "present." : "missing (hosts may ignore the queries)."),
                               .normal))
            paragraphs.append(("Memberships expire \(formatSecondsText(querier.membershipInterval)) after their last report unless a member reports again (robustness × interval + max response, RFC 3376 §8.4, RFC 3810 §9.4).",
                               .normal))
            if querier.family == .ipv6 {
                paragraphs.append(("rp_filter does not apply to MLD.", .dim))
            } else if querier.isThisHost || rpFilterText(querier, state) == "-" {
                paragraphs.append(("rp_filter does not check its queries (\(querier.isThisHost ? "this host sends them" : "their source is 0.0.0.0")).", .dim))
            } else if drops {
                paragraphs.append(("rp_filter: this host DROPS its queries (\(querier.address) is not routable back via \(name(querier.interfaceIndex))), so it never answers them; see the querier.rp-filter-drops warning for the fix.", .fail))
            } else {
                paragraphs.append(("rp_filter: this host accepts its queries.", .normal))
            }
        case .answer(let i):
            let record = state.responses[i]
            let trouble = record.missed > 0 || record.suppressed > 0
            paragraphs.append(("This host's answers to queries about \(record.group) on \(name(record.interfaceIndex)): \(record.answered) answered in time, \(record.suppressed) suppressed, \(record.missed) missed",
                               trouble ? .warn : .ok))
            paragraphs.append(("A host answers a query with a report of each group it has joined within the query's max response time (RFC 3376 §5.2, RFC 3810 §6.2).", .normal))
            if record.suppressed > 0, let by = record.lastSuppressedBy {
                paragraphs.append(("Suppressed: \(by)'s IGMPv1/v2 or MLDv1 report of it came first, so this host kept quiet (report suppression); the switch then knows only \(by).", .warn))
            }
            if record.missed > 0, let querier = record.lastMissedQuerier {
                let when = record.lastMissedQueryAt.map { " \(ago($0)) ago" } ?? ""
                paragraphs.append(("Missed: no report within \(formatSecondsText(Double(record.lastMissedResponseMilliseconds) / 1000)) of \(querier)'s query\(when).", .warn))
            }
        case .group(let g):
            let group = state.groups[g]
            let members = group.members.count
            paragraphs.append(("\(group.group) on \(name(group.interfaceIndex))\(group.isSourceSpecific ? " (source-specific)" : ""): \(members) member\(members == 1 ? "" : "s") of \(group.reporters.count) host\(group.reporters.count == 1 ? "" : "s") heard",
                               members == 0 ? .dim : .ok))
            var counts = "\(group.reports) report\(group.reports == 1 ? "" : "s"), \(group.leaves) leave\(group.leaves == 1 ? "" : "s"), \(group.groupQueries) group-specific quer\(group.groupQueries == 1 ? "y" : "ies"); first heard \(ago(group.firstHeardAt)) ago"
            if let last = group.lastReportAt { counts += ", last report \(ago(last)) ago" }
            if let last = group.lastLeaveAt { counts += ", last leave \(ago(last)) ago" }
            if let last = group.lastGroupQueryAt { counts += ", last group-specific query \(ago(last)) ago" }
            paragraphs.append((counts + ".", .normal))
            if group.isSourceSpecific {
                paragraphs.append(("In the SSM range (232.0.0.0/8, ff3x::/32): only members that name their sources in IGMPv3/MLDv2 reports receive it.", .normal))
            }
            if group.reportersOverflow > 0 {
                paragraphs.append(("\(group.reportersOverflow) reports from further hosts were not kept (at most \(state.limits.reportersPerGroup) per group).", .warn))
            }
        case .reporter(let g, let r):
            let group = state.groups[g], reporter = group.reporters[r]
            let status = reporter.leftAt.map { "left \(ago($0)) ago" } ?? "a member"
            paragraphs.append(("\(reporter.address)\(reporter.isThisHost ? " (this host)" : "") in \(group.group) on \(name(group.interfaceIndex)): \(reporter.version), \(status)",
                               reporter.hasLeft ? .dim : reporter.isThisHost ? .ok : .normal))
            let meaning: String
            switch (reporter.mode, reporter.sources.isEmpty) {
            case (.include, false): meaning = "only from these sources"
            case (.include, true): meaning = "from no source"
            case (.exclude, true): meaning = "from every source"
            case (.exclude, false): meaning = "from every source but these"
            }
            paragraphs.append(("Filter \(filterText(reporter)): it receives the group \(meaning).", .normal))
            var reports = "\(reporter.reports) report\(reporter.reports == 1 ? "" : "s"), the first \(ago(reporter.firstReportAt)) ago, the last \(ago(reporter.lastReportAt)) ago"
            if let record = reporter.lastRecordType { reports += "; its latest record \(record)" }
            paragraphs.append((reports + ".", .normal))
        }
        let wrap = max(width - 2, 10)
        return paragraphs.flatMap { text, style in Format.wrap(text, width: wrap).map { (text: $0, style: style) } }
    }

    /// `2.0 s`, `260.0 s`: a duration in a sentence.
    static func formatSecondsText(_ value: Double) -> String { Format.fixed(value, 1) + " s" }

    /// `0.5 s`, `12 s`: an age in a sentence.
    static func formatAgo(_ nanoseconds: Int64) -> String {
        let text = Format.age(nanoseconds: nanoseconds)
        return text.hasSuffix("s") ? String(text.dropLast()) + " s" : text.hasSuffix("m") ? String(text.dropLast()) + " min" : String(text.dropLast()) + " h"
    }
}

extension String {
    /// The string, or nil when it is empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
