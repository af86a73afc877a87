import MulticastExpert

/// Why an IGMP or MLD frame was not believed. Such frames are counted by reason and never
/// shown as a querier or a member: on a link anyone can send them, and a malformed one is either
/// broken equipment or forged.
public enum IGMPRejectionReason: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible, Error {
    /// Shorter than its headers or length fields say (or cut by the capture buffer).
    case truncated
    /// The IPv4 header checksum is wrong.
    case ipHeaderChecksum = "ip-header-checksum"
    /// A fragment: membership messages are never fragmented.
    case fragment
    /// IPv4 options that run past the header.
    case ipOptions = "ip-options"
    /// IPv6 extension headers that run past the packet, nest too deep, or include a routing header.
    case extensionHeaders = "extension-headers"
    /// TTL or hop limit other than 1: the message crossed a router, or was forged off-link.
    case notLinkLocal = "ttl-not-1"
    /// The IGMP or ICMPv6 checksum is wrong.
    case checksum
    /// No Router Alert option where the protocol requires it (IGMPv3, MLD).
    case noRouterAlert = "no-router-alert"
    /// A source that cannot send: multicast or broadcast, or (MLD) not link-local.
    case badSource = "bad-source"
    /// Sent to an address this message type is never sent to.
    case badDestination = "bad-destination"
    /// A group field that is not a multicast address, or (IGMPv1) a group in a query.
    case badGroup = "bad-group"
    /// A length the protocol does not allow, or source and record counts beyond the message.
    case badLength = "bad-length"
    /// An IGMP type that is not a membership message (DVMRP, mtrace, router discovery, ...).
    case otherType = "other-type"

    /// Plain words for people.
    public var description: String {
        switch self {
        case .truncated: "truncated"
        case .ipHeaderChecksum: "IPv4 header checksum wrong"
        case .fragment: "fragment"
        case .ipOptions: "malformed IPv4 options"
        case .extensionHeaders: "malformed IPv6 extension headers"
        case .notLinkLocal: "TTL/hop limit not 1"
        case .checksum: "checksum wrong"
        case .noRouterAlert: "no Router Alert option"
        case .badSource: "impossible source address"
        case .badDestination: "wrong destination address"
        case .badGroup: "group field not a multicast group"
        case .badLength: "wrong length or counts"
        case .otherType: "not a membership message type"
        }
    }

    public static func < (a: IGMPRejectionReason, b: IGMPRejectionReason) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}

/// An IGMP or MLD frame that was not believed, with what could be read of it.
public struct IGMPRejection: Sendable, Hashable {
    public var reason: IGMPRejectionReason
    /// IPv4 for IGMP, IPv6 for MLD.
    public var family: AddressFamily
    public var interfaceIndex: Int
    public var heardAt: Int64
    public var sentByThisHost: Bool
    /// The IP source as the header claims it (nil when the header was too short to say).
    public var source: IPAddress?
    /// The IGMP or ICMPv6 type, when it could be read.
    public var wireType: UInt8?

    public init(reason: IGMPRejectionReason, family: AddressFamily, interfaceIndex: Int, heardAt: Int64, sentByThisHost: Bool = false,
                source: IPAddress? = nil, wireType: UInt8? = nil) {
        self.reason = reason
        self.family = family
        self.interfaceIndex = interfaceIndex
        self.heardAt = heardAt
        self.sentByThisHost = sentByThisHost
        self.source = source
        self.wireType = wireType
    }
}

/// What ``IGMPDecoder`` made of one frame.
public enum IGMPDecoding: Sendable, Hashable {
    /// A well-formed membership message.
    case message(IGMPMessage)
    /// An IGMP or MLD frame that failed validation.
    case rejected(IGMPRejection)
    /// Not IGMP or MLD at all (UDP, ARP, neighbour discovery, ...): nothing to count.
    case other
}
