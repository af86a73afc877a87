import MulticastExpert
import MulticastMonitor

/// The Groups screen: how the joined streams are sorted and filtered, the selected row, and
/// which rows show their sources. The streams themselves come from the shared snapshot.
public struct GroupsScreen: Sendable, Hashable {
    public var sortColumn: GroupColumn = .group
    public var sortAscending = true
    public var cursor = ListCursor()
    public var expanded: Set<StreamKey> = []
    /// The filter: streams whose "group:port interface name" contains its text are shown.
    public var search = ListSearch()

    public init() {}

    /// Streams as the table shows them: filtered by the search text and sorted. `names` gives
    /// a stream's name from the stream list (`--streams`), which the search matches and the
    /// NAME sort orders by; nil when no list is loaded.
    func visibleStreams(in snapshot: MonitorSnapshot?, names: ((StreamStatistics) -> String?)? = nil) -> [StreamStatistics] {
        let streams = (snapshot?.streams ?? []).filter { search.text.isEmpty || search.matches(Self.searchText($0, name: names?($0))) }
        // Each stream's sort value is worked out once (a rate sums its buckets; a thousand
        // streams compared n log n times made a frame take tens of milliseconds), and the stream
        // key breaks ties, so equal values keep a stable order in both directions.
        let value: (StreamStatistics) -> Double
        switch sortColumn {
        case .group:
            return streams.sorted { sortAscending ? $0.key < $1.key : $1.key < $0.key }
        case .interface:
            return streams.sorted { a, b in
                let (x, y) = sortAscending ? (a, b) : (b, a)
                return (x.key.interfaceName, x.key) < (y.key.interfaceName, y.key)
            }
        case .sources: value = { Double($0.sources.count) }
        case .kind: value = { stream in stream.kind.map { kind in Double(PayloadKind.allCases.firstIndex(of: kind) ?? 0) } ?? -1 }
        case .packetsPerSecond: value = { $0.rate.packetsPerSecond }
        case .bitsPerSecond: value = { $0.rate.bitsPerSecond }
        case .loss: value = { $0.lossPercent ?? -1 }
        case .jitter: value = { $0.jitterNanoseconds ?? -1 }
        case .lastSeen: value = { Double($0.lastSeen?.nanosecondsSinceEpoch ?? 0) }
        case .name:
            // Named streams in name order (ignoring case), then the unnamed; the key breaks ties.
            let keyed = streams.map { (name: names?($0)?.lowercased(), stream: $0) }
            return keyed.sorted { a, b in
                let (x, y) = sortAscending ? (a, b) : (b, a)
                switch (x.name, y.name) {
                case let (p?, q?) where p != q: return p < q
                case (.some, nil): return true
                case (nil, .some): return false
                default: return x.stream.key < y.stream.key
                }
            }.map(\.stream)
        }
        let keyed = streams.map { (value: value($0), stream: $0) }
        return keyed.sorted { a, b in
            let (x, y) = sortAscending ? (a, b) : (b, a)
            return x.value != y.value ? x.value < y.value : x.stream.key < y.stream.key
        }.map(\.stream)
    }

    /// What the filter looks for in a stream: `239.1.2.3:5000 eth0`, and its name when the
    /// stream list has one: `239.1.2.3:5000 eth0 BBC One HD`.
    static func searchText(_ stream: StreamStatistics, name: String? = nil) -> String {
        let text = "\(GroupSpec.text(stream.key.group, port: stream.key.port)) \(stream.key.interfaceName)"
        return name.map { text + " " + $0 } ?? text
    }

    /// The stream under the cursor.
    func selectedStream(in snapshot: MonitorSnapshot?, names: ((StreamStatistics) -> String?)? = nil) -> StreamStatistics? {
        let streams = visibleStreams(in: snapshot, names: names)
        return streams.indices.contains(cursor.index) ? streams[cursor.index] : nil
    }

    /// `s`: sorts by the next column; NAME only when a stream list gives names (`hasNames`).
    mutating func cycleSortColumn(hasNames: Bool = false) -> StatusMessage {
        sortColumn = sortColumn.next
        if sortColumn == .name, !hasNames { sortColumn = sortColumn.next }
        return sortStatus
    }

    /// `S`: flips the sort direction.
    mutating func flipSortDirection() -> StatusMessage {
        sortAscending.toggle()
        return sortStatus
    }

    /// A click on a column's title: sorts by it, or flips the direction when it already sorts.
    mutating func sort(by column: GroupColumn) -> StatusMessage {
        if sortColumn == column { sortAscending.toggle() } else { sortColumn = column }
        return sortStatus
    }

    private var sortStatus: StatusMessage {
        StatusMessage(text: "sorted by \(sortColumn.title) \(sortAscending ? "ascending" : "descending")", style: .info)
    }

    /// Space: shows or hides the selected stream's sources.
    mutating func toggleSources(in snapshot: MonitorSnapshot?) {
        guard let key = selectedStream(in: snapshot)?.key else { return }
        if expanded.contains(key) { expanded.remove(key) } else { expanded.insert(key) }
    }

    /// `l`: the subscription to leave for the selected stream, and the status line.
    func leaveSelected(in snapshot: MonitorSnapshot?) -> (effects: [Effect], status: StatusMessage) {
        guard let stream = selectedStream(in: snapshot), let subscriptions = snapshot?.subscriptions else {
            return ([], StatusMessage(text: "no stream selected", style: .warn))
        }
        let name = GroupSpec.text(stream.key.group, port: stream.key.port)
        guard let (id, _) = subscriptions.first(where: { $0.value.groups.contains(stream.key.group) && $0.value.port == stream.key.port }) else {
            return ([], StatusMessage(text: "\(name) was already left", style: .warn))
        }
        return ([.leave(id)], StatusMessage(text: "left \(name)", style: .info))
    }
}
