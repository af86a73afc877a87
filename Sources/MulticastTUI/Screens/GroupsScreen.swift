import MulticastExpert
import MulticastMonitor

/// The Groups screen: how the joined streams are sorted and filtered, the selected row, and
/// which rows show their sources. The streams themselves come from the shared snapshot.
public struct GroupsScreen: Sendable, Hashable {
    public var sortColumn: GroupColumn = .group
    public var sortAscending = true
    public var cursor = ListCursor()
    public var expanded: Set<StreamKey> = []
    /// The filter text; streams whose "group:port interface" contains it are shown.
    public var search = ""
    /// Whether keys type into the filter (after `/`, until Enter or Esc).
    public var searching = false

    public init() {}

    /// Streams as the table shows them: filtered by the search text and sorted.
    func visibleStreams(in snapshot: MonitorSnapshot?) -> [StreamStatistics] {
        let streams = (snapshot?.streams ?? []).filter { search.isEmpty || "\(GroupSpec.text($0.key.group, port: $0.key.port)) \($0.key.interfaceName)".contains(search) }
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
        }
        let keyed = streams.map { (value: value($0), stream: $0) }
        return keyed.sorted { a, b in
            let (x, y) = sortAscending ? (a, b) : (b, a)
            return x.value != y.value ? x.value < y.value : x.stream.key < y.stream.key
        }.map(\.stream)
    }

    /// The stream under the cursor.
    func selectedStream(in snapshot: MonitorSnapshot?) -> StreamStatistics? {
        let streams = visibleStreams(in: snapshot)
        return streams.indices.contains(cursor.index) ? streams[cursor.index] : nil
    }

    /// `s`: sorts by the next column.
    mutating func cycleSortColumn() -> StatusMessage {
        sortColumn = sortColumn.next
        return sortStatus
    }

    /// `S`: flips the sort direction.
    mutating func flipSortDirection() -> StatusMessage {
        sortAscending.toggle()
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

    /// `/`: starts typing a new filter.
    mutating func startSearch() {
        searching = true
        search = ""
    }

    /// Enter while searching: keeps the filter and stops typing into it.
    mutating func keepFilter() {
        searching = false
        cursor = ListCursor()
    }

    /// Esc while searching: drops the filter.
    mutating func clearFilter() {
        searching = false
        search = ""
        cursor = ListCursor()
    }

    mutating func typeInFilter(_ character: Character) {
        if search.count < TextField.maximumLength { search.append(character) }
        cursor = ListCursor()
    }

    mutating func deleteFromFilter() {
        if !search.isEmpty { search.removeLast() }
        cursor = ListCursor()
    }
}
