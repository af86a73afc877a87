import MulticastExpert

/// What to receive: groups on one port, on some or all interfaces, optionally from given sources.
public struct Subscription: Sendable, Hashable {
    public var groups: [MulticastGroup]
    public var port: UInt16
    /// Interfaces by name, index or address; empty means every up, multicast-capable, non-loopback one.
    public var interfaces: [InterfaceSpecifier]
    /// Senders for a source-specific join; empty for any-source.
    public var sources: [IPAddress]
    /// How the streams' payload kind is chosen (detected unless said) and the RTP clock rate
    /// for dynamic payload types.
    public var payload: PayloadOptions

    public init(groups: [MulticastGroup], port: UInt16, interfaces: [InterfaceSpecifier] = [], sources: [IPAddress] = [],
                payload: PayloadOptions = PayloadOptions()) {
        self.groups = groups
        self.port = port
        self.interfaces = interfaces
        self.sources = sources
        self.payload = payload
    }
}

/// Names one subscription of a ``Monitor`` so it can be left again.
public struct SubscriptionID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64
    /// Wraps a number (the monitor hands them out; tools and tests may make their own).
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "#\(rawValue)" }
    public static func < (a: SubscriptionID, b: SubscriptionID) -> Bool { a.rawValue < b.rawValue }
}

/// A consistent copy of everything the monitor knows, for drawing or printing.
public struct MonitorSnapshot: Sendable {
    /// Every stream seen, ordered by group, port and interface.
    public var streams: [StreamStatistics]
    /// The active subscriptions and what each asked for.
    public var subscriptions: [SubscriptionID: Subscription]
    /// Datagrams received since the monitor started.
    public var totalPackets: UInt64
    /// Datagrams per second over the last second, all streams together.
    public var totalPacketsPerSecond: Double
    /// Streams not itemised because ``Monitor/maxStreams`` was reached, and their datagrams.
    public var untrackedStreamPackets: UInt64
    /// The latest problem the receive loop hit (e.g. an interface vanished), if any.
    public var lastError: String?
    /// Wakeups that brought datagrams: ``totalPackets`` over this is the engine's average batch.
    public var receiveRounds: UInt64
    /// The batch window in force (smaller than configured for a while after a kernel drop).
    public var batchWindow: Duration

    /// Assembles a snapshot (the monitor makes them; renderers' tests and benchmarks may make their own).
    public init(streams: [StreamStatistics], subscriptions: [SubscriptionID: Subscription], totalPackets: UInt64,
                totalPacketsPerSecond: Double, untrackedStreamPackets: UInt64 = 0, lastError: String? = nil,
                receiveRounds: UInt64 = 0, batchWindow: Duration = .zero) {
        self.streams = streams
        self.subscriptions = subscriptions
        self.totalPackets = totalPackets
        self.totalPacketsPerSecond = totalPacketsPerSecond
        self.untrackedStreamPackets = untrackedStreamPackets
        self.lastError = lastError
        self.receiveRounds = receiveRounds
        self.batchWindow = batchWindow
    }
}
