/// How far a multicast group's traffic is meant to travel.
///
/// For IPv6 this is the scope nibble of `ffXY::` (RFC 4291 §2.7); for IPv4 it follows the
/// conventions of RFC 5771 and RFC 2365 (224.0.0.0/24 stays on the link, 239/8 is
/// administratively scoped).
public enum MulticastScope: Sendable, Hashable, CustomStringConvertible {
    /// ff01::/16 — never leaves the host; the only IPv6 scope Linux loops over `lo`.
    case interfaceLocal
    /// ff02::/16 or 224.0.0.0/24 — one link; needs an interface (scope id) on IPv6.
    case linkLocal
    /// ff03::/16.
    case realmLocal
    /// ff04::/16, or IPv4 239.0.0.0/8 outside the ranges below.
    case adminLocal
    /// ff05::/16, or IPv4 239.255.0.0/16.
    case siteLocal
    /// ff08::/16, or IPv4 239.192.0.0/14.
    case organizationLocal
    /// ff0e::/16, or any other IPv4 group.
    case global
    /// An IPv6 scope nibble with no name (0, 6, 7, 9-d, f).
    case other(UInt8)

    public var description: String {
        switch self {
        case .interfaceLocal: "interface-local"
        case .linkLocal: "link-local"
        case .realmLocal: "realm-local"
        case .adminLocal: "admin-local"
        case .siteLocal: "site-local"
        case .organizationLocal: "organization-local"
        case .global: "global"
        case .other(let nibble): "scope \(nibble)"
        }
    }
}

/// A validated multicast group address: the thing sockets join and send to.
///
/// Making one is where bad input is caught: text that is not an address, a unicast address,
/// or (with `family:`) an address of the wrong family each throw a ``MulticastError`` that
/// names the value.
public struct MulticastGroup: Sendable, Hashable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    /// The group's address; always multicast.
    public let address: IPAddress

    /// Accepts an address only when it is multicast (and of `family`, when given).
    public init(_ address: IPAddress, family: AddressFamily? = nil) throws(MulticastError) {
        guard address.isMulticast else { throw .notMulticast(address) }
        if let family, address.family != family { throw .familyMismatch(address, expected: family) }
        self.address = address
    }

    /// Parses and validates text such as `239.1.2.3` or `ff15::1`.
    public init(parsing text: String, family: AddressFamily? = nil) throws(MulticastError) {
        try self.init(try IPAddress.parse(text), family: family)
    }

    /// Lossless-string conformance: nil for anything ``init(parsing:family:)`` would reject.
    public init?(_ description: String) {
        guard let group = try? MulticastGroup(parsing: description) else { return nil }
        self = group
    }

    /// The group's family.
    public var family: AddressFamily { address.family }

    /// How far the group's traffic is meant to travel.
    public var scope: MulticastScope {
        switch address {
        case .v4(let a):
            if a.value >> 8 == 0xE0_0000 { return .linkLocal }  // 224.0.0.0/24
            if a.value >> 16 == 0xEFFF { return .siteLocal }  // 239.255.0.0/16
            if a.value >> 18 == 0xEFC0 >> 2 { return .organizationLocal }  // 239.192.0.0/14
            if a.value >> 24 == 0xEF { return .adminLocal }  // 239.0.0.0/8
            return .global
        case .v6(let a):
            switch UInt8(truncatingIfNeeded: a.high >> 48) & 0x0f {
            case 1: return .interfaceLocal
            case 2: return .linkLocal
            case 3: return .realmLocal
            case 4: return .adminLocal
            case 5: return .siteLocal
            case 8: return .organizationLocal
            case 0xe: return .global
            case let nibble: return .other(nibble)
            }
        }
    }

    /// Whether the group is in the source-specific range: 232.0.0.0/8 or ff3x::/32 (RFC 4607).
    public var isSourceSpecificRange: Bool {
        switch address {
        case .v4(let a): a.value >> 24 == 232
        case .v6(let a): a.high >> 52 == 0xff3 && UInt32(truncatingIfNeeded: a.high >> 32) & 0xffff == 0
        }
    }

    /// Whether sockets must name an interface (scope id) to bind to this group: IPv6
    /// interface-local and link-local groups. IPv4 has no scope ids.
    public var needsScopeID: Bool {
        guard family == .ipv6 else { return false }
        return scope == .interfaceLocal || scope == .linkLocal
    }

    public var description: String { address.description }

    public static func < (lhs: MulticastGroup, rhs: MulticastGroup) -> Bool { lhs.address < rhs.address }
}

extension MulticastGroup {
    /// For addresses the kernel reports as a multicast destination; falls back to `fallback`
    /// if the kernel ever reports something that is not multicast.
    init(kernelDestination address: IPAddress, fallback: MulticastGroup) {
        self = (try? MulticastGroup(address)) ?? fallback
    }
}
