import MulticastExpert
import MulticastMonitor
import MulticastStreamList

/// The TUI's stream list: the names of streams joined from `tui --streams FILE`, shown in the
/// Groups table and the detail, and the save form (`w`) that writes the current joins back
/// as a stream list.
public struct StreamListState: Sendable {
    /// The file's entries by the subscription each was joined with, so a save keeps their
    /// names, expected rates, timeouts and labels.
    public private(set) var entries: [Subscription: StreamDefinition] = [:]
    /// Names for the monitor's streams; nil until a list is loaded.
    public private(set) var names: StreamNameIndex?
    /// The list as loaded (to rebuild the index once interfaces are known).
    private var list: StreamList?
    /// The save form, while open.
    public var form: SaveStreamsForm?
    /// The last path saved to, offered the next time.
    public var lastPath = SaveStreamsForm.defaultPath

    public init() {}

    /// Takes the list the TUI was started with; its streams are joined by the caller.
    public mutating func load(_ list: StreamList, interfaces: InterfaceTable?) {
        self.list = list
        for stream in list.streams where entries[stream.subscription] == nil { entries[stream.subscription] = stream }
        names = StreamNameIndex(list, interfaces: interfaces)
    }

    /// Resolves entries naming an interface by address, once the interface table is read.
    public mutating func interfacesChanged(_ table: InterfaceTable) {
        if let list { names = StreamNameIndex(list, interfaces: table) }
    }

    /// The snapshot with a stand-in row (zero counts, "no data") for each named stream still
    /// joined that nothing has arrived for, so a stream that is down shows in the Groups table
    /// from the start; in the snapshot's order (group, port, interface). A stand-in goes when
    /// its first datagram comes (the monitor's stream takes its place) or when it is left.
    public func seeded(_ snapshot: MonitorSnapshot, interfaces: InterfaceTable?) -> MonitorSnapshot {
        guard let names, let list, !entries.isEmpty else { return snapshot }
        let joined = Set(snapshot.subscriptions.values)
        let listed = list.streams.filter { joined.contains($0.subscription) }
        guard !listed.isEmpty else { return snapshot }
        var seeded = snapshot
        seeded.streams = SilentStreams.merged(snapshot.streams, listed: listed, names: names, interfaces: interfaces)
        return seeded
    }

    /// The name of a stream the monitor reports, if the list has one.
    public func name(of stream: StreamStatistics) -> String? { names?.name(for: stream) }

    /// The current joins as a stream list: each joined subscription's file entry when it came
    /// from the file, else an entry per group, interface and source named `group:port` (with
    /// `@interface` and ` from source` when a join has several), made unique. Entries the file
    /// format would refuse (the same stream twice) are left out; at most
    /// ``StreamListFile/maximumStreams``.
    public func listToSave(_ subscriptions: [SubscriptionID: Subscription]) -> StreamList {
        var streams: [StreamDefinition] = []
        var usedNames: Set<String> = []
        var usedAddresses: Set<String> = []
        func add(_ stream: StreamDefinition) {
            guard streams.count < StreamListFile.maximumStreams else { return }
            let address = "\(stream.group) \(stream.port) \(stream.interface ?? "") \(stream.source?.description ?? "")"
            guard !usedAddresses.contains(address) else { return }
            var stream = stream
            var name = String(stream.name.prefix(StreamListFile.maximumNameLength))
            var copy = 2
            while usedNames.contains(name) {
                let suffix = " (\(copy))"
                name = String(stream.name.prefix(StreamListFile.maximumNameLength - suffix.count)) + suffix
                copy += 1
            }
            stream.name = name
            usedAddresses.insert(address)
            usedNames.insert(name)
            streams.append(stream)
        }
        for (_, subscription) in subscriptions.sorted(by: { $0.key < $1.key }) {
            if let entry = entries[subscription] {
                add(entry)
                continue
            }
            let interfaces: [String?] = subscription.interfaces.isEmpty ? [nil] : subscription.interfaces.map(\.description)
            let sources: [IPAddress?] = subscription.sources.isEmpty ? [nil] : subscription.sources
            for group in subscription.groups {
                for interface in interfaces {
                    guard interface.map({ StreamListFile.interfaceProblem($0) == nil }) ?? true else { continue }
                    for source in sources where source.map({ $0.family == group.family && !$0.isMulticast }) ?? true {
                        var name = GroupSpec.text(group, port: subscription.port)
                        if interfaces.count > 1, let interface { name += "@" + interface }
                        if sources.count > 1, let source { name += " from \(source)" }
                        add(StreamDefinition(name: name, group: group, port: subscription.port, interface: interface, source: source,
                                             payload: subscription.payload))
                    }
                }
            }
        }
        return StreamList(streams: streams)
    }
}
