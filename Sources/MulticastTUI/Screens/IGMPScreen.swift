import MulticastDoctor
import MulticastExpert

/// What the IGMP/MLD listener reports: the conversation's state, advanced to the time of the
/// report, and the warnings it means then (worked out on the listener's thread, so drawing
/// never waits for them).
public struct IGMPReport: Sendable, Hashable {
    public var state: IGMPState
    /// The findings of severity info and worse, worst first (the OK "querier heard" ones are
    /// the querier rows).
    public var warnings: [Finding]

    public init(state: IGMPState, findings: [Finding]) {
        self.state = state
        warnings = findings.filter { $0.severity >= .info }
    }

    /// The time the report describes (monotonic nanoseconds): ages on the screen are from it.
    public var now: Int64 { state.latestAt }
}

/// The IGMP/MLD screen: the listener's latest report, why it does not listen, and the selected
/// row of its list (queriers, warnings, this host's answers, groups with their reporters).
public struct IGMPScreen: Sendable, Hashable {
    /// The latest report; nil until the listener's first (or while it cannot listen).
    public var report: IGMPReport?
    /// Why the listener does not run (it could not open its socket or start its thread).
    public var unavailable: String?
    public var cursor = ListCursor()
    /// `/`: moves the cursor to the rows that contain its text.
    public var search = ListSearch()

    public init() {}

    /// Takes a report from the listener, keeping the cursor on a row.
    mutating func update(_ report: IGMPReport) {
        self.report = report
        unavailable = nil
        cursor.clamp(count: IGMPRows(report).count)
    }

    /// The listener could not run: keeps the reason for the screen (and says nothing heard is current).
    mutating func fail(_ reason: String) -> StatusMessage {
        unavailable = reason
        report = nil
        cursor = ListCursor()
        return StatusMessage(text: "IGMP/MLD: \(reason)", style: .error)
    }

    /// What the Interfaces screen says about an interface's querier: the elected IGMP and MLD
    /// queriers with their versions (one that stopped marked so), "none heard", or "not
    /// listening" when this process cannot hear them.
    func querierText(_ interface: NetworkInterface, privileged: Bool) -> String {
        if interface.isLoopback { return "-" }
        guard privileged, unavailable == nil else { return "not listening" }
        guard let report else { return "none heard" }
        let state = report.state, index = Int(interface.index)
        var parts: [String] = []
        for family in AddressFamily.allCases {
            let heard = state.queriers(interfaceIndex: index, family: family)
            if let elected = state.electedQuerier(interfaceIndex: index, family: family, at: report.now) {
                parts.append("\(elected.address) \(elected.version)")
            } else if let last = heard.max(by: { $0.lastHeardAt < $1.lastHeardAt }) {
                parts.append("\(last.address) \(last.version) stopped")
            }
        }
        return parts.isEmpty ? "none heard" : parts.joined(separator: ", ")
    }
}

/// The rows of the IGMP/MLD list, in sections: the queriers, the warnings, this host's answers
/// (only when there are some) and the groups, each group followed by the hosts that reported it;
/// the groups in the order first heard, those of the link-local control range (224.0.0.x, ff02::
/// — solicited-node, router discovery, mDNS) after the others.
/// Each section has a header line; an empty one has a line saying so. Only the items (not the
/// headers) are selectable. Index arithmetic only: nothing is formatted here, so a state full
/// of forged groups costs nothing until its rows are on screen.
struct IGMPRows {
    enum Section: CaseIterable {
        case queriers, warnings, answers, groups
    }

    /// What an item shows: an index into the report's queriers, warnings, responses or groups.
    enum Item: Hashable {
        case querier(Int)
        case warning(Int)
        case answer(Int)
        case group(Int)
        case reporter(group: Int, reporter: Int)
    }

    /// A line of the list: a section's header, the line under an empty section's header, or an item.
    enum Line: Hashable {
        case header(Section)
        case empty(Section)
        case item(Int)
    }

    let report: IGMPReport?
    /// The sections shown, with their first item and their number of items.
    private(set) var sections: [(section: Section, first: Int, count: Int)] = []
    /// The groups' indexes in the order shown.
    private var order: [Int] = []
    /// The first item of each group shown, relative to the section, and one past the last.
    private var groupStarts: [Int] = []
    /// How many items there are.
    private(set) var count = 0

    init(_ report: IGMPReport?) {
        self.report = report
        guard let report else { return }
        let state = report.state
        let groups = state.groups
        order = groups.indices.filter { !Self.isLinkLocalControl(groups[$0].group) } + groups.indices.filter { Self.isLinkLocalControl(groups[$0].group) }
        var start = 0
        for index in order {
            groupStarts.append(start)
            start += 1 + groups[index].reporters.count
        }
        groupStarts.append(start)
        for section in Section.allCases {
            let size: Int
            switch section {
            case .queriers: size = state.queriers.count
            case .warnings: size = report.warnings.count
            case .answers: size = state.responses.count
            case .groups: size = start
            }
            if section == .answers && size == 0 { continue }
            sections.append((section, count, size))
            count += size
        }
    }

    /// The item at `index`, or nil past the end.
    func item(_ index: Int) -> Item? {
        guard let entry = sections.first(where: { index >= $0.first && index < $0.first + $0.count }) else { return nil }
        let offset = index - entry.first
        switch entry.section {
        case .queriers: return .querier(offset)
        case .warnings: return .warning(offset)
        case .answers: return .answer(offset)
        case .groups:
            // The last group starting at or before the offset.
            var low = 0, high = groupStarts.count - 2
            while low < high {
                let middle = (low + high + 1) / 2
                if groupStarts[middle] <= offset { low = middle } else { high = middle - 1 }
            }
            let within = offset - groupStarts[low]
            return within == 0 ? .group(order[low]) : .reporter(group: order[low], reporter: within - 1)
        }
    }

    /// How many lines the list takes.
    var lineCount: Int { sections.reduce(0) { $0 + 1 + max($1.count, 1) } }

    /// What line `n` shows.
    func line(_ n: Int) -> Line? {
        var first = 0
        for entry in sections {
            let lines = 1 + max(entry.count, 1)
            if n < first + lines {
                if n == first { return .header(entry.section) }
                return entry.count == 0 ? .empty(entry.section) : .item(entry.first + n - first - 1)
            }
            first += lines
        }
        return nil
    }

    /// The line an item is on.
    func line(ofItem index: Int) -> Int {
        var first = 0
        for entry in sections {
            if index < entry.first + entry.count { return first + 1 + index - entry.first }
            first += 1 + max(entry.count, 1)
        }
        return max(first - 1, 0)
    }

    /// Whether a group is in the link-local control range: 224.0.0.0/24, or an IPv6 group of
    /// interface- or link-local scope.
    static func isLinkLocalControl(_ group: IPAddress) -> Bool {
        switch group {
        case .v4(let a): a.value >> 8 == 0xe0_0000
        case .v6(let a): a.high >> 56 == 0xff && (1...2).contains((a.high >> 48) & 0x0f)
        }
    }

    /// Every item's text for `/`, in order.
    var searchTexts: [String] { (0..<count).map(searchText) }

    /// The text `/` looks for in an item.
    func searchText(_ index: Int) -> String {
        guard let report, let item = item(index) else { return "" }
        let state = report.state
        func name(_ interface: Int) -> String { state.host.name(ofInterface: interface) }
        switch item {
        case .querier(let i):
            let querier = state.queriers[i]
            return "\(name(querier.interfaceIndex)) \(querier.address) \(querier.version) \(state.role(of: querier, at: report.now).rawValue)"
        case .warning(let i):
            let finding = report.warnings[i]
            return "\(finding.severity) \(finding.interface ?? "host") \(finding.summary) \(finding.id)"
        case .answer(let i):
            let record = state.responses[i]
            return "this host's answers \(name(record.interfaceIndex)) \(record.group)"
        case .group(let g):
            return "\(name(state.groups[g].interfaceIndex)) \(state.groups[g].group)"
        case .reporter(let g, let r):
            let reporter = state.groups[g].reporters[r]
            return "\(state.groups[g].group) \(reporter.address) \(reporter.version) \(reporter.mode.rawValue)" + (reporter.isThisHost ? " this host" : "")
        }
    }
}
