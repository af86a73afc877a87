import MulticastExpert

/// The membership protocol and its version: IGMPv1–v3 for IPv4 (RFC 1112, RFC 2236, RFC 3376),
/// MLDv1–v2 for IPv6 (RFC 2710, RFC 3810). MLD is IGMP for IPv6, so one type serves both.
public enum IGMPVersion: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case igmpV1 = "IGMPv1"
    case igmpV2 = "IGMPv2"
    case igmpV3 = "IGMPv3"
    case mldV1 = "MLDv1"
    case mldV2 = "MLDv2"

    /// IPv4 for IGMP, IPv6 for MLD.
    public var family: AddressFamily {
        switch self {
        case .igmpV1, .igmpV2, .igmpV3: .ipv4
        case .mldV1, .mldV2: .ipv6
        }
    }

    /// The version number within its protocol (MLDv1 is 1, MLDv2 is 2).
    public var number: Int {
        switch self {
        case .igmpV1, .mldV1: 1
        case .igmpV2, .mldV2: 2
        case .igmpV3: 3
        }
    }

    /// Whether this version carries sources (IGMPv3, MLDv2): the one that source-specific multicast needs.
    public var hasSources: Bool { self == .igmpV3 || self == .mldV2 }

    /// "IGMP" or "MLD".
    public var protocolName: String { family == .ipv4 ? "IGMP" : "MLD" }

    public var description: String { rawValue }
}

/// What a membership message is for.
public enum IGMPMessageType: String, Sendable, Hashable, CaseIterable {
    /// A membership query (IGMP 0x11, MLD 130).
    case query
    /// A membership report (IGMP 0x12, 0x16, 0x22; MLD 131, 143).
    case report
    /// IGMPv2 leave group (0x17) or MLDv1 done (132).
    case leave
}

/// A membership query's contents (RFC 3376 §4.1, RFC 3810 §5.1).
public struct IGMPQuery: Sendable, Hashable {
    /// The group asked about; nil for a general query.
    public var group: IPAddress?
    /// The sources asked about (a group-and-source-specific query); empty otherwise.
    public var sources: [IPAddress]
    /// How long hosts may wait before answering, milliseconds (IGMPv1: 10 s, as RFC 1112 hosts assume).
    public var maxResponseMilliseconds: Int
    /// The querier's robustness variable (QRV, IGMPv3/MLDv2); nil when absent or 0 (meaning more than 7).
    public var robustness: Int?
    /// The querier's query interval (QQIC, IGMPv3/MLDv2), seconds; nil when absent or 0.
    public var queryInterval: Int?
    /// The S flag: routers receiving it skip their timer updates (RFC 3376 §4.1.5).
    public var suppressRouterProcessing: Bool

    public init(group: IPAddress? = nil, sources: [IPAddress] = [], maxResponseMilliseconds: Int, robustness: Int? = nil,
                queryInterval: Int? = nil, suppressRouterProcessing: Bool = false) {
        self.group = group
        self.sources = sources
        self.maxResponseMilliseconds = maxResponseMilliseconds
        self.robustness = robustness
        self.queryInterval = queryInterval
        self.suppressRouterProcessing = suppressRouterProcessing
    }

    /// General, group-specific or group-and-source-specific.
    public var kind: Kind {
        if group == nil { return .general }
        return sources.isEmpty ? .groupSpecific : .groupAndSourceSpecific
    }

    /// The three kinds of query (RFC 3376 §4.1.9).
    public enum Kind: String, Sendable, Hashable {
        case general
        case groupSpecific = "group-specific"
        case groupAndSourceSpecific = "group-and-source-specific"
    }
}

/// The type of an IGMPv3/MLDv2 group record (RFC 3376 §4.2.12, RFC 3810 §5.2.12): 1–6, or any
/// other value as it came (receivers ignore records of unknown type).
public struct IGMPRecordType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// MODE_IS_INCLUDE: current state, receive only from the sources listed.
    public static let isInclude = IGMPRecordType(rawValue: 1)
    /// MODE_IS_EXCLUDE: current state, receive from all but the sources listed.
    public static let isExclude = IGMPRecordType(rawValue: 2)
    /// CHANGE_TO_INCLUDE_MODE: the filter changed to include; with no sources, a leave.
    public static let toInclude = IGMPRecordType(rawValue: 3)
    /// CHANGE_TO_EXCLUDE_MODE: the filter changed to exclude; with no sources, a join of every source.
    public static let toExclude = IGMPRecordType(rawValue: 4)
    /// ALLOW_NEW_SOURCES.
    public static let allow = IGMPRecordType(rawValue: 5)
    /// BLOCK_OLD_SOURCES.
    public static let block = IGMPRecordType(rawValue: 6)

    /// Whether this is one of the six types the RFCs define.
    public var isKnown: Bool { (1...6).contains(rawValue) }

    /// `IS_IN`, `IS_EX`, `TO_IN`, `TO_EX`, `ALLOW`, `BLOCK`, or `type N`.
    public var description: String {
        switch rawValue {
        case 1: "IS_IN"
        case 2: "IS_EX"
        case 3: "TO_IN"
        case 4: "TO_EX"
        case 5: "ALLOW"
        case 6: "BLOCK"
        default: "type \(rawValue)"
        }
    }
}

/// One group record of an IGMPv3 or MLDv2 report.
public struct IGMPGroupRecord: Sendable, Hashable {
    public var type: IGMPRecordType
    public var group: IPAddress
    /// The sources the record lists (every one in the frame: a frame's size bounds them).
    public var sources: [IPAddress]

    public init(type: IGMPRecordType, group: IPAddress, sources: [IPAddress] = []) {
        self.type = type
        self.group = group
        self.sources = sources
    }
}

/// What a membership message says.
public enum IGMPMessageBody: Sendable, Hashable {
    case query(IGMPQuery)
    /// An IGMPv1/v2 or MLDv1 report: the sender is a member of `group`, from every source.
    case report(group: IPAddress)
    /// An IGMPv2 leave or MLDv1 done: the sender left `group`.
    case leave(group: IPAddress)
    /// An IGMPv3 or MLDv2 report: group records.
    case records([IGMPGroupRecord])
}

/// One IGMP or MLD message heard on the wire, decoded and validated by ``IGMPDecoder``.
public struct IGMPMessage: Sendable, Hashable {
    /// The interface it was heard on (or sent from, when ``sentByThisHost``).
    public var interfaceIndex: Int
    /// Monotonic time it was heard, nanoseconds.
    public var heardAt: Int64
    /// Whether this host sent it (an outgoing frame).
    public var sentByThisHost: Bool
    /// The IP source: the querier or reporter (0.0.0.0 for a Linux bridge querying without an
    /// address or a host without one yet; :: for an MLDv2 report before a link-local address).
    public var source: IPAddress
    /// The IP destination.
    public var destination: IPAddress
    public var version: IGMPVersion
    /// Whether the packet carried the IP Router Alert option. Always true for IGMPv3 and MLD,
    /// which are rejected without it; IGMPv1/v2 messages may lack it.
    public var routerAlert: Bool
    public var body: IGMPMessageBody

    public init(interfaceIndex: Int, heardAt: Int64, sentByThisHost: Bool = false, source: IPAddress, destination: IPAddress,
                version: IGMPVersion, routerAlert: Bool = true, body: IGMPMessageBody) {
        self.interfaceIndex = interfaceIndex
        self.heardAt = heardAt
        self.sentByThisHost = sentByThisHost
        self.source = source
        self.destination = destination
        self.version = version
        self.routerAlert = routerAlert
        self.body = body
    }

    /// Query, report or leave.
    public var type: IGMPMessageType {
        switch body {
        case .query: .query
        case .report, .records: .report
        case .leave: .leave
        }
    }

    /// The type number on the wire: IGMP 0x11, 0x12, 0x16, 0x17, 0x22; ICMPv6 130, 131, 132, 143.
    public var wireType: UInt8 {
        switch (version, type) {
        case (.igmpV1, .query), (.igmpV2, .query), (.igmpV3, .query): 0x11
        case (.igmpV1, _): 0x12
        case (.igmpV2, .report): 0x16
        case (.igmpV2, .leave), (.igmpV3, .leave): 0x17
        case (.igmpV3, _): 0x22
        case (.mldV1, .query), (.mldV2, .query): 130
        case (.mldV1, .report): 131
        case (.mldV1, .leave), (.mldV2, .leave): 132
        case (.mldV2, _): 143
        }
    }

    /// The kind for counting: version and type.
    public var kind: IGMPMessageKind { IGMPMessageKind(version: version, type: type) }

    /// The query, when this is one.
    public var query: IGMPQuery? {
        if case .query(let query) = body { return query }
        return nil
    }

    /// The groups the message is about: the queried group, the reported or left group, or each record's group.
    public var groups: [IPAddress] {
        switch body {
        case .query(let query): query.group.map { [$0] } ?? []
        case .report(let group), .leave(let group): [group]
        case .records(let records): records.map(\.group)
        }
    }
}

/// A message's version and type, as messages are counted: "IGMPv3 report", "MLDv1 done".
public struct IGMPMessageKind: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var version: IGMPVersion
    public var type: IGMPMessageType

    public init(version: IGMPVersion, type: IGMPMessageType) {
        self.version = version
        self.type = type
    }

    /// `IGMPv2 leave`, `MLDv1 done` (MLD's name for a leave), `IGMPv3 query`.
    public var description: String {
        let name = type == .leave && version.family == .ipv6 ? "done" : type.rawValue
        return "\(version) \(name)"
    }

    public static func < (a: IGMPMessageKind, b: IGMPMessageKind) -> Bool {
        let order = IGMPVersion.allCases, types = IGMPMessageType.allCases
        let ia = order.firstIndex(of: a.version) ?? 0, ib = order.firstIndex(of: b.version) ?? 0
        if ia != ib { return ia < ib }
        return (types.firstIndex(of: a.type) ?? 0) < (types.firstIndex(of: b.type) ?? 0)
    }
}
