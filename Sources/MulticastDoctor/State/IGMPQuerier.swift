import MulticastExpert

/// RFC 3376 §8 / RFC 3810 §9 defaults, which hosts and routers assume when a querier does not
/// say otherwise.
public enum IGMPDefaults {
    /// Robustness variable.
    public static let robustness = 2
    /// Query interval, seconds.
    public static let queryInterval = 125.0
    /// Query response interval, seconds.
    public static let queryResponseInterval = 10.0
    /// Group membership interval: robustness × query interval + response interval = 260 s.
    public static var membershipInterval: Double { Double(robustness) * queryInterval + queryResponseInterval }
}

/// One querier as heard on one interface: who, which version, how often, with which timers.
public struct IGMPQuerier: Sendable, Hashable {
    /// The interface its queries were heard on.
    public var interfaceIndex: Int
    /// Its address (0.0.0.0 for a Linux bridge querying without one).
    public var address: IPAddress
    /// The version of its latest query.
    public var version: IGMPVersion
    /// Whether this host sent the queries (it is itself a querier, e.g. a bridge in this namespace).
    public var isThisHost: Bool
    public var generalQueries = 0
    public var groupSpecificQueries = 0
    public var groupAndSourceSpecificQueries = 0
    /// Monotonic times of its first and latest query, nanoseconds.
    public var firstHeardAt: Int64
    public var lastHeardAt: Int64
    /// The latest general query's time.
    public var lastGeneralQueryAt: Int64?
    /// Gaps between its consecutive general queries, nanoseconds, oldest first (the latest few).
    public var intervals: [Int64] = []
    /// The query interval it advertises (QQIC, IGMPv3/MLDv2), seconds.
    public var advertisedInterval: Int?
    /// Its robustness variable (QRV, IGMPv3/MLDv2).
    public var robustness: Int?
    /// The max response time of its latest general query, milliseconds.
    public var maxResponseMilliseconds: Int
    /// Whether its latest query carried the Router Alert option.
    public var routerAlert: Bool
    /// The group its latest group-specific query asked about.
    public var lastQueriedGroup: IPAddress?

    public init(interfaceIndex: Int, address: IPAddress, version: IGMPVersion, isThisHost: Bool = false, firstHeardAt: Int64,
                maxResponseMilliseconds: Int, routerAlert: Bool = true) {
        self.interfaceIndex = interfaceIndex
        self.address = address
        self.version = version
        self.isThisHost = isThisHost
        self.firstHeardAt = firstHeardAt
        self.lastHeardAt = firstHeardAt
        self.maxResponseMilliseconds = maxResponseMilliseconds
        self.routerAlert = routerAlert
    }

    public var family: AddressFamily { address.family }

    /// Every query heard from it.
    public var queries: Int {
        generalQueries.addingSaturating(groupSpecificQueries).addingSaturating(groupAndSourceSpecificQueries)
    }

    /// The median gap between its general queries, seconds; nil before two general queries.
    public var observedInterval: Double? {
        guard !intervals.isEmpty else { return nil }
        let sorted = intervals.sorted()
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? Double(sorted[middle]) : (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
        return median / 1e9
    }

    /// The interval to expect its next general query in, seconds: what it advertises, else what
    /// was observed, else the RFC default (125 s).
    public var expectedInterval: Double {
        if let advertisedInterval, advertisedInterval > 0 { return Double(advertisedInterval) }
        return observedInterval ?? IGMPDefaults.queryInterval
    }

    /// Its max response time, seconds.
    public var responseTime: Double { Double(maxResponseMilliseconds) / 1000 }

    /// RFC 3376 §8.4 group membership interval with its timers: robustness × query interval +
    /// response time. A membership not reported again within it is dropped by routers and
    /// snooping switches.
    public var membershipInterval: Double {
        Double(robustness ?? IGMPDefaults.robustness) * expectedInterval + responseTime
    }

    /// Whether it was still querying at `now`: its latest query is no older than one and a half
    /// of its intervals plus its response time (a missed query is allowed for, two are not).
    /// The advertised interval and response time come from the querier and may be forged (QQIC
    /// goes up to 31744 s), so for this judgement they are capped at 600 s and 60 s: a single
    /// forged query then counts as querying for at most about a quarter of an hour.
    public func isQuerying(at now: Int64) -> Bool {
        let age = Double(now.subtractingSaturating(lastHeardAt)) / 1e9
        return age <= min(expectedInterval, 600) * 1.5 + min(responseTime, 60) + 0.5
    }

    /// Seconds since its latest query at `now`.
    public func secondsSinceLastQuery(at now: Int64) -> Double { Double(now.subtractingSaturating(lastHeardAt)) / 1e9 }
}

/// A querier's part in the election on its link at a given time.
public enum IGMPQuerierRole: String, Sendable, Hashable {
    /// Querying, with the lowest address of those querying (RFC 3376 §6.6.2).
    case elected
    /// Querying, though a querier with a lower address is too: it should stop.
    case notElected = "not-elected"
    /// Heard earlier, no longer querying.
    case stopped
}

extension IPAddress {
    /// Order for querier elections: the lowest address wins, and an unspecified source (a Linux
    /// bridge querying without an address, which yields to any other querier) comes last.
    func electsBefore(_ other: IPAddress) -> Bool {
        let a = isUnspecified, b = other.isUnspecified
        if a != b { return b }
        return self < other
    }

    /// 0.0.0.0 or ::.
    var isUnspecified: Bool {
        switch self {
        case .v4(let a): a.value == 0
        case .v6(let a): a.high == 0 && a.low == 0
        }
    }
}
