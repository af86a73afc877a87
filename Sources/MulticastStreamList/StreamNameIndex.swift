import MulticastExpert
import MulticastMonitor

/// Finds the stream-list name of what the ``Monitor`` reports: a stream (group, port,
/// interface) and, for source-specific entries, its sender.
///
/// An entry with no interface matches the group on every interface; one that names an
/// interface by index or address is resolved once against the interface table given (by name
/// it is compared as written, so an interface that comes later still matches). When several
/// entries match, the most specific (interface and source given) wins, then file order.
public struct StreamNameIndex: Sendable {
    private struct GroupPort: Hashable {
        var group: MulticastGroup
        var port: UInt16
    }

    private struct Entry: Sendable {
        var stream: StreamDefinition
        var interfaceName: String?
        var interfaceIndex: UInt32?
        var source: IPAddress?
        var specificity: Int
        var order: Int
    }

    private var entries: [GroupPort: [Entry]] = [:]

    /// Whether the list named no streams (tools then leave the NAME column out).
    public var isEmpty: Bool { entries.isEmpty }

    /// Indexes a list; `interfaces` resolves entries that name an interface by index or address.
    public init(_ list: StreamList, interfaces: InterfaceTable? = nil) {
        for (order, stream) in list.streams.enumerated() {
            var entry = Entry(stream: stream, source: stream.source, specificity: 0, order: order)
            if let text = stream.interface {
                entry.specificity += 2
                switch InterfaceSpecifier(text) {
                case .name(let name): entry.interfaceName = name
                case .index(let index): entry.interfaceIndex = index
                case .address:
                    // Unresolvable now: matches nothing rather than everything.
                    entry.interfaceIndex = (try? interfaces?.interface(matching: InterfaceSpecifier(text)))?.index ?? 0
                }
            }
            if stream.source != nil { entry.specificity += 1 }
            entries[GroupPort(group: stream.group, port: stream.port), default: []].append(entry)
        }
        for key in entries.keys { entries[key]?.sort { ($0.specificity, -$0.order) > ($1.specificity, -$1.order) } }
    }

    /// The name for a stream, or nil when the list has none for it. `source`, when given,
    /// must match an entry's SSM source; without it, entries with a source match too.
    public func name(group: MulticastGroup, port: UInt16, interfaceIndex: UInt32, interfaceName: String, source: IPAddress? = nil) -> String? {
        stream(group: group, port: port, interfaceIndex: interfaceIndex, interfaceName: interfaceName, source: source)?.name
    }

    /// The list's entry for a stream (its name, payload options, expected rates), or nil.
    public func stream(group: MulticastGroup, port: UInt16, interfaceIndex: UInt32, interfaceName: String, source: IPAddress? = nil) -> StreamDefinition? {
        guard let candidates = entries[GroupPort(group: group, port: port)] else { return nil }
        for entry in candidates {
            if let wanted = entry.interfaceName, wanted != interfaceName { continue }
            if let wanted = entry.interfaceIndex, wanted != interfaceIndex { continue }
            if let wanted = entry.source, let source, wanted != source { continue }
            return entry.stream
        }
        return nil
    }

    /// The name for a stream the monitor reports, matching SSM entries by its senders.
    public func name(for stream: StreamStatistics) -> String? {
        let key = stream.key
        let sources = stream.sources.keys.map(\.address)
        if sources.isEmpty { return name(group: key.group, port: key.port, interfaceIndex: key.interfaceIndex, interfaceName: key.interfaceName) }
        for source in sources.sorted() {
            if let found = name(group: key.group, port: key.port, interfaceIndex: key.interfaceIndex, interfaceName: key.interfaceName, source: source) {
                return found
            }
        }
        return nil
    }
}
