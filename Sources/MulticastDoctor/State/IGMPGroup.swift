import MulticastExpert

/// Whether a member receives only the sources listed (include) or all but them (exclude); an
/// IGMPv1/v2 or MLDv1 member is exclude with none listed: every source.
public enum IGMPFilterMode: String, Sendable, Hashable {
    case include
    case exclude
}

/// One host that reported a group: its version, its filter, when it last reported, whether it left.
public struct IGMPReporter: Sendable, Hashable {
    public var address: IPAddress
    /// The version of its latest report or leave.
    public var version: IGMPVersion
    public var mode: IGMPFilterMode
    /// The sources of its filter (at most ``IGMPLimits/sourcesPerReporter``; more are counted in ``sourcesOverflow``).
    public var sources: [IPAddress] = []
    public var sourcesOverflow = 0
    /// The type of its latest IGMPv3/MLDv2 record; nil for IGMPv1/v2 and MLDv1.
    public var lastRecordType: IGMPRecordType?
    public var reports = 0
    public var firstReportAt: Int64
    public var lastReportAt: Int64
    /// When it left (a leave, a done, TO_IN with no source, or its last source blocked); nil while a member.
    public var leftAt: Int64?
    /// Whether this is this host (it sent the report, or the report comes from one of its addresses).
    public var isThisHost: Bool

    public init(address: IPAddress, version: IGMPVersion, mode: IGMPFilterMode, at time: Int64, isThisHost: Bool) {
        self.address = address
        self.version = version
        self.mode = mode
        self.firstReportAt = time
        self.lastReportAt = time
        self.isThisHost = isThisHost
    }

    /// Whether it has left the group.
    public var hasLeft: Bool { leftAt != nil }
}

/// One group on one interface as the reports, leaves and group-specific queries heard show it.
public struct IGMPGroup: Sendable, Hashable {
    public var interfaceIndex: Int
    public var group: IPAddress
    /// The hosts that reported it, in the order first heard (at most ``IGMPLimits/reportersPerGroup``).
    public var reporters: [IGMPReporter] = []
    /// Reporters not kept because the group or the state was full.
    public var reportersOverflow = 0
    /// Reports (and records) about it, leaves from it, group-specific queries for it.
    public var reports = 0
    public var leaves = 0
    public var groupQueries = 0
    public var firstHeardAt: Int64
    public var lastHeardAt: Int64
    public var lastReportAt: Int64?
    public var lastLeaveAt: Int64?
    public var lastGroupQueryAt: Int64?

    public init(interfaceIndex: Int, group: IPAddress, at time: Int64) {
        self.interfaceIndex = interfaceIndex
        self.group = group
        self.firstHeardAt = time
        self.lastHeardAt = time
    }

    /// Reporters that are members now (have not left).
    public var members: [IGMPReporter] { reporters.filter { !$0.hasLeft } }

    /// Whether the group is in the source-specific range (232.0.0.0/8, ff3x::/32), where only
    /// IGMPv3/MLDv2 joins with sources work.
    public var isSourceSpecific: Bool { group.isSourceSpecificGroup }
}

/// How this host answered the queries about a group it had joined: for the check that it
/// reports within the max response time, and that a v1/v2 neighbour did not silence it.
public struct IGMPResponseRecord: Sendable, Hashable {
    public var interfaceIndex: Int
    public var group: IPAddress
    /// Queries it answered in time.
    public var answered = 0
    /// Queries it did not answer because another host's IGMPv1/v2 or MLDv1 report came first (report suppression).
    public var suppressed = 0
    /// Queries it did not answer at all.
    public var missed = 0
    /// The host whose report suppressed it last.
    public var lastSuppressedBy: IPAddress?
    /// The latest query it did not answer: when, from whom, with what max response time (ms).
    public var lastMissedQueryAt: Int64?
    public var lastMissedQuerier: IPAddress?
    public var lastMissedResponseMilliseconds = 0

    public init(interfaceIndex: Int, group: IPAddress) {
        self.interfaceIndex = interfaceIndex
        self.group = group
    }
}

extension IPAddress {
    /// 232.0.0.0/8 or ff3x::/32 (RFC 4607 source-specific multicast).
    var isSourceSpecificGroup: Bool {
        switch self {
        case .v4(let a): a.value >> 24 == 232
        case .v6(let a): a.high >> 52 == 0xff3 && (a.high >> 32) & 0xffff == 0
        }
    }

    /// Whether a host reports its membership of this group: never for 224.0.0.1 and ff02::1
    /// (everyone is a member), nor for interface-local IPv6 scopes (ff00::/16, ff01::/16).
    var isReportedGroup: Bool {
        switch self {
        case .v4(let a): a.value != 0xe000_0001 && a.value >> 28 == 0xe
        case .v6(let a): a.high >> 56 == 0xff && (a.high >> 48) & 0x0f > 1 && !(a.high == 0xff02_0000_0000_0000 && a.low == 1)
        }
    }
}
