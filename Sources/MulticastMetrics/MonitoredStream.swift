import MulticastExpert
import MulticastMonitor

/// One stream the exporter follows, as the stream-list file describes it: what to join, how to
/// read its payload, what it is expected to carry, and the labels its series get.
///
/// Kept apart from the file format so the metrics can be built and tested without YAML; the
/// executable turns each file entry into one of these. Two values are equal exactly when a
/// reload must keep the stream's counters and subscription.
public struct MonitoredStream: Sendable, Hashable {
    /// Unique within a list; the `name` label and the key a reload matches streams by.
    public var name: String
    /// The group to join.
    public var group: MulticastGroup
    /// The UDP port the stream is sent to.
    public var port: UInt16
    /// The interface to join on (name, index or address); nil: every up, multicast-capable,
    /// non-loopback interface.
    public var interface: String?
    /// The sender of a source-specific join; nil for any-source. Only this sender's datagrams
    /// are counted for the stream.
    public var source: IPAddress?
    /// How the payload kind is chosen (detected unless the file names it).
    public var payload: PayloadOptions
    /// Datagrams per second the stream should carry, exported as a gauge for alert rules.
    public var expectedPacketRate: Double?
    /// Bits per second (UDP payload) the stream should carry, exported as a gauge.
    public var expectedBitRate: Double?
    /// How long without a datagram before the stream counts as down; nil: ``defaultTimeout``.
    public var timeout: Duration?
    /// The file's own labels, in file order.
    public var labels: [MetricLabel]

    /// How long a stream may be silent and still be `up` when the file does not say: long
    /// enough for a stream of a few datagrams per second to miss a beat, short enough that a
    /// dead channel shows at the next scrape but one.
    public static let defaultTimeout = Duration.seconds(5)

    /// A stream with only what is required; the rest as `listen` would assume.
    public init(name: String, group: MulticastGroup, port: UInt16, interface: String? = nil, source: IPAddress? = nil,
                payload: PayloadOptions = PayloadOptions(), expectedPacketRate: Double? = nil, expectedBitRate: Double? = nil,
                timeout: Duration? = nil, labels: [MetricLabel] = []) {
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

    /// The silence after which the stream is down.
    public var effectiveTimeout: Duration { timeout ?? Self.defaultTimeout }

    /// What the engine is asked to receive for this stream.
    public var subscription: Subscription {
        Subscription(groups: [group], port: port, interfaces: interface.map { [InterfaceSpecifier($0)] } ?? [],
                     sources: source.map { [$0] } ?? [], payload: payload)
    }
}

/// A label the stream-list file gives a stream (`site: paris`), exported on each of its series.
public struct MetricLabel: Sendable, Hashable {
    /// A Prometheus label name (``StreamLabels`` leaves out keys that are not).
    public var key: String
    /// Free text; escaped by the exposition and cut to ``StreamLabels/maximumValueBytes``.
    public var value: String

    /// Wraps a key and a value as they are.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
