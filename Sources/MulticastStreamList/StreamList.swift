import MulticastExpert
import MulticastMonitor

/// The streams a stream-list file names: what `listen --streams`, `tui --streams` and the
/// Prometheus exporter join and report under people's names instead of bare group:port pairs.
///
/// Values only: ``StreamListFile`` reads and writes it, and the tools turn each
/// ``StreamDefinition`` into a ``Subscription`` for the ``Monitor``.
public struct StreamList: Sendable, Hashable {
    /// The streams in file order; names are unique, and so is each (group, port, interface, source).
    public var streams: [StreamDefinition]
    /// Where each stream's interface was written, by stream name, for errors about an interface
    /// that read well but is not on this host (``interfaceError(_:path:message:)``). Filled by
    /// the parser; not part of equality, so the same streams from another file are the same list.
    public var interfacePlaces: [String: StreamListPlace]

    /// Wraps streams as they are (``StreamListFile/parse(_:path:)`` is what checks them).
    public init(streams: [StreamDefinition] = [], interfacePlaces: [String: StreamListPlace] = [:]) {
        self.streams = streams
        self.interfacePlaces = interfacePlaces
    }

    /// Lists are equal when their streams are; where the file wrote them does not count.
    public static func == (lhs: StreamList, rhs: StreamList) -> Bool { lhs.streams == rhs.streams }

    /// Hashes the streams only, as ``==`` compares them.
    public func hash(into hasher: inout Hasher) { hasher.combine(streams) }
}

/// One named stream: where it arrives, what it carries and how fast it should come.
public struct StreamDefinition: Sendable, Hashable {
    /// The name people know the stream by; unique in the file, 1...64 characters and at most
    /// 256 bytes, no control characters.
    public var name: String
    /// The group to join.
    public var group: MulticastGroup
    /// The UDP port the stream is sent to.
    public var port: UInt16
    /// The interface as written (name, index or address); nil means any, as `listen` without `--iface`.
    public var interface: String?
    /// The sender for a source-specific join; nil for any-source.
    public var source: IPAddress?
    /// The payload kind (auto unless said) and the RTP clock rate for dynamic payload types.
    public var payload: PayloadOptions
    /// Datagrams per second the stream should bring, when known.
    public var expectedPacketRate: Double?
    /// Bits per second the stream should bring, when known.
    public var expectedBitRate: Double?
    /// Silence after which the stream counts as down; nil lets the tool derive a default.
    public var timeout: Duration?
    /// The file's labels for the stream, in file order (the defaults' first, then its own).
    public var labels: [StreamLabel]

    /// A stream with only what is required; the rest as `listen` would assume.
    public init(name: String, group: MulticastGroup, port: UInt16, interface: String? = nil, source: IPAddress? = nil,
                payload: PayloadOptions = PayloadOptions(), expectedPacketRate: Double? = nil, expectedBitRate: Double? = nil,
                timeout: Duration? = nil, labels: [StreamLabel] = []) {
        self.name = name
        self.group = group
        self.port = port
        self.interface = interface
        self.source = source
        self.payload = payload
        self.expectedPacketRate = expectedPacketRate
        self.expectedBitRate = expectedBitRate
        self.timeout = timeout
        self.labels = labels
    }

    /// What to give the ``Monitor`` to receive this stream: its group on its port, on its
    /// interface (or every interface), from its source (or any), with its payload options.
    public var subscription: Subscription {
        Subscription(groups: [group], port: port, interfaces: interface.map { [InterfaceSpecifier($0)] } ?? [],
                     sources: source.map { [$0] } ?? [], payload: payload)
    }

    /// `239.1.2.3:5000` or `[ff15::1]:5000`: the stream's address as the command line writes it.
    public var groupText: String { GroupSpec.text(group, port: port) }
}

/// A label from the file: a Prometheus-style key and a free-text value, shown and exported as is.
public struct StreamLabel: Sendable, Hashable {
    /// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`, not one of ``StreamListFile/builtInLabelKeys``.
    public var key: String
    /// At most ``StreamListFile/maximumLabelValueLength`` characters and
    /// ``StreamListFile/maximumLabelValueBytes`` bytes, no control characters.
    public var value: String

    /// Wraps a key and value as they are (``StreamListFile/parse(_:path:)`` is what checks them).
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
