import MulticastExpert
import MulticastMonitor

/// Rows for the listed streams nothing has arrived for. The ``Monitor`` reports a stream from
/// its first datagram on, so a named stream that is down would not be shown at all; the tools
/// put a stand-in with zero counts in its place ("no data"), so the one an operator most needs
/// to see is there from the start.
public enum SilentStreams {
    /// The health a stand-in shows.
    public static let health = "no data"
    /// The interface a stand-in shows for a stream joined on every interface.
    public static let anyInterface = "any"

    /// Whether a stream is a stand-in (nothing has arrived for it).
    public static func isSilent(_ stream: StreamStatistics) -> Bool { stream.packets == 0 }

    /// A zero-count stream for each of `listed` whose name no stream of `heard` carries, at most
    /// one per (group, port, interface), in `listed`'s order. `interfaces` gives the index and
    /// name of an interface the list names by index or address.
    public static func standIns(for listed: [StreamDefinition], heard: [StreamStatistics], names: StreamNameIndex,
                                interfaces: InterfaceTable?) -> [StreamStatistics] {
        guard !listed.isEmpty else { return [] }
        var heardNames: Set<String> = []
        for stream in heard { if let name = names.name(for: stream) { heardNames.insert(name) } }
        var keys = Set(heard.map(\.key))
        var result: [StreamStatistics] = []
        for stream in listed where !heardNames.contains(stream.name) {
            let key = StreamKey(group: stream.group, port: stream.port, interfaceIndex: interfaceIndex(stream, interfaces),
                                interfaceName: interfaceName(stream, interfaces))
            guard keys.insert(key).inserted else { continue }
            result.append(StreamStatistics(key: key, payloadOptions: stream.payload))
        }
        return result
    }

    /// `heard` with the stand-ins for `listed`, ordered by group, port and interface as the
    /// monitor orders its streams.
    public static func merged(_ heard: [StreamStatistics], listed: [StreamDefinition], names: StreamNameIndex,
                              interfaces: InterfaceTable?) -> [StreamStatistics] {
        let standIns = standIns(for: listed, heard: heard, names: names, interfaces: interfaces)
        guard !standIns.isEmpty else { return heard }
        return (heard + standIns).sorted { $0.key < $1.key }
    }

    private static func interfaceIndex(_ stream: StreamDefinition, _ table: InterfaceTable?) -> UInt32 {
        guard let text = stream.interface else { return 0 }
        if let found = try? table?.interface(matching: InterfaceSpecifier(text)) { return found.index }
        if case .index(let index) = InterfaceSpecifier(text) { return index }
        return 0
    }

    private static func interfaceName(_ stream: StreamDefinition, _ table: InterfaceTable?) -> String {
        guard let text = stream.interface else { return anyInterface }
        if case .name(let name) = InterfaceSpecifier(text) { return name }
        return (try? table?.interface(matching: InterfaceSpecifier(text)))?.name ?? text
    }
}
