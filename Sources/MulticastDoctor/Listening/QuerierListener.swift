import MulticastExpert

/// One IGMP or MLD membership query heard on the wire.
public struct HeardQuery: Sendable, Hashable {
    public var interfaceIndex: Int
    public var source: IPAddress
    /// "IGMPv1", "IGMPv2", "IGMPv3", "MLDv1" or "MLDv2" (RFC 3376 §7.1 / RFC 3810 §8.1: from length and max-response).
    public var version: String
    /// The query interval the querier advertises (IGMPv3/MLDv2 QQIC), seconds.
    public var advertisedInterval: Int?
    /// Monotonic arrival time, nanoseconds.
    public var heardAt: Int64
    /// Whether the packet carried the IP Router Alert option (RFC 2113 / RFC 2711). Always true
    /// for IGMPv3 and MLD, which are rejected without it; IGMPv1/v2 queries may lack it.
    public var routerAlert: Bool

    /// A query as the frame parser decoded it (public so checks can be tested with fabricated ones).
    public init(interfaceIndex: Int, source: IPAddress, version: String, advertisedInterval: Int?, heardAt: Int64, routerAlert: Bool = true) {
        self.interfaceIndex = interfaceIndex
        self.source = source
        self.version = version
        self.advertisedInterval = advertisedInterval
        self.heardAt = heardAt
        self.routerAlert = routerAlert
    }
}

/// What a passive listen for queriers produced.
public enum QuerierListenResult: Sendable {
    case heard(QuerierLog)
    /// A packet socket could not be opened (needs CAP_NET_RAW).
    case notPermitted
}

/// Listens passively for IGMP (IPv4 protocol 2, type 0x11) and MLD (ICMPv6 type 130) queries.
///
/// It uses a packet socket, which sees frames before reverse-path filtering — so a querier
/// whose queries the kernel drops is still heard, and the doctor can say it is being dropped.
/// The socket sees every frame of every interface, so the listener is built to survive a flood:
/// it looks at the clock before every frame, keeps a bounded ``QuerierLog``, and believes only
/// queries that are well formed as RFC 3376 and RFC 3810 define them (see ``parse(_:etherType:interfaceIndex:heardAt:)``).
public enum QuerierListener {
    /// Listens for `duration` on every interface of the calling thread's namespace.
    ///
    /// Returns within about `duration` however many frames arrive: the deadline is checked before
    /// every frame, not only when the socket runs dry.
    public static func listen(for duration: Duration) -> QuerierListenResult {
        guard let socket = try? PacketSocket.open() else { return .notPermitted }
        defer { socket.close() }
        let end = monotonicNanoseconds().addingSaturating(max(duration.saturatingNanoseconds, 0))
        var log = QuerierLog()
        var buffer = [UInt8](repeating: 0, count: 2048)
        listening: while true {
            let now = monotonicNanoseconds()
            if now >= end { break }
            _ = try? socket.waitReadable(timeoutMilliseconds: Int32(clamping: min((end - now) / 1_000_000 + 1, 200)))
            while true {
                if monotonicNanoseconds() >= end { break listening }
                // nil: drained; an error: wait again until the deadline.
                guard let frame = try? buffer.withUnsafeMutableBytes({ bytes in try socket.receive(into: bytes) }) else { break }
                guard frame.packetType != .outgoing else { continue }  // this host's own frames
                guard frame.etherType == 0x0800 || frame.etherType == 0x86DD else { continue }
                if let query = parse(Array(buffer[0..<frame.byteCount]), etherType: frame.etherType, interfaceIndex: frame.interfaceIndex, heardAt: monotonicNanoseconds()) {
                    log.record(query)
                }
            }
        }
        return .heard(log)
    }

    /// Recognises a well-formed membership query in a network-layer packet; nil for anything else.
    ///
    /// Pure and total: any bytes, any length, no trap. Accepted are:
    /// - IGMP (RFC 2236, RFC 3376): IPv4 header checksum right, not a fragment, TTL 1, IGMP type
    ///   0x11 with a correct checksum, 8 bytes (v1 when max-response is 0, else v2) or 12 + 4·N
    ///   bytes and more (v3), sent to 224.0.0.1 for a general query or to the queried group for a
    ///   group-specific one, from a unicast or the unspecified address (Linux bridges query from
    ///   0.0.0.0 unless `mcast_query_use_ifaddr` is on). The Router Alert option (RFC 2113, option
    ///   148) is required for IGMPv3, whose RFC makes it mandatory and whose senders (Linux, routers)
    ///   always add it; IGMPv1/v2 queries without it are accepted and marked (`routerAlert` false),
    ///   because older routers send them that way and hosts answer them.
    /// - MLD (RFC 2710, RFC 3810): hop limit 1, link-local source (fe80::/10), a hop-by-hop header
    ///   first carrying the Router Alert option (value 0, MLD), ICMPv6 type 130 code 0 with a correct
    ///   checksum over the IPv6 pseudo-header, 24 bytes (v1) or 28 + 16·N and more (v2), sent to
    ///   ff02::1 or to the queried group. Fragments are rejected.
    ///
    /// Frames shorter than their IP length field are rejected; Ethernet padding after it is ignored.
    public static func parse(_ packet: [UInt8], etherType: Int, interfaceIndex: Int, heardAt: Int64) -> HeardQuery? {
        switch etherType {
        case 0x0800: QueryFrame.igmp(packet).map { $0.heard(on: interfaceIndex, at: heardAt) }
        case 0x86DD: QueryFrame.mld(packet).map { $0.heard(on: interfaceIndex, at: heardAt) }
        default: nil
        }
    }

    /// RFC 3376 §4.1.7 / RFC 3810 §5.1.9: values of 128 and above are floating point.
    static func decodeCode(_ code: UInt8) -> Int {
        guard code >= 128 else { return Int(code) }
        let mantissa = Int(code & 0x0f), exponent = Int((code >> 4) & 0x07)
        return (mantissa | 0x10) << (exponent + 3)
    }
}

/// A bounded record of the queries heard: one entry per interface, source and version with a
/// count and first/last arrival, at most ``capacity`` entries. Queries that would need a new
/// entry beyond that are only counted in ``overflow``, so a flood of forged sources costs a fixed
/// amount of memory.
public struct QuerierLog: Sendable, Hashable {
    /// One querier as heard on one interface in one protocol version.
    public struct Entry: Sendable, Hashable {
        /// The interface the queries were heard on.
        public var interfaceIndex: Int
        /// The querier's address (0.0.0.0 for a Linux bridge querying without an address).
        public var source: IPAddress
        /// "IGMPv1" ... "MLDv2", from the query's length and max-response field.
        public var version: String
        /// The interval advertised in the latest query (IGMPv3/MLDv2), seconds.
        public var advertisedInterval: Int?
        /// Whether the latest query carried the Router Alert option.
        public var routerAlert: Bool
        /// Queries heard (saturating).
        public var count: Int
        /// Monotonic times of the first and the latest query, nanoseconds: how often it queries.
        public var firstHeardAt: Int64
        public var lastHeardAt: Int64
    }

    /// The most entries kept.
    public let capacity: Int
    /// Entries in the order first heard.
    public private(set) var entries: [Entry] = []
    /// Queries not recorded because the log was full.
    public private(set) var overflow: Int = 0
    private var positions: [Key: Int] = [:]

    private struct Key: Hashable {
        var interfaceIndex: Int
        var source: IPAddress
        var version: String
    }

    /// An empty log keeping at most `capacity` (interface, source, version) entries; more are
    /// counted as overflow, so a flood of forged queriers cannot grow it.
    public init(capacity: Int = 256) { self.capacity = max(capacity, 0) }

    /// Adds one heard query.
    public mutating func record(_ query: HeardQuery) {
        let key = Key(interfaceIndex: query.interfaceIndex, source: query.source, version: query.version)
        if let position = positions[key] {
            entries[position].count = entries[position].count == .max ? .max : entries[position].count + 1
            entries[position].firstHeardAt = min(entries[position].firstHeardAt, query.heardAt)
            entries[position].lastHeardAt = max(entries[position].lastHeardAt, query.heardAt)
            entries[position].advertisedInterval = query.advertisedInterval ?? entries[position].advertisedInterval
            entries[position].routerAlert = query.routerAlert
        } else if entries.count < capacity {
            positions[key] = entries.count
            entries.append(Entry(interfaceIndex: query.interfaceIndex, source: query.source, version: query.version,
                                 advertisedInterval: query.advertisedInterval, routerAlert: query.routerAlert, count: 1,
                                 firstHeardAt: query.heardAt, lastHeardAt: query.heardAt))
        } else if overflow < .max {
            overflow += 1
        }
    }
}
