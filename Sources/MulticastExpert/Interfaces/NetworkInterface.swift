/// The link-level state bits of an interface (`SIOCGIFFLAGS` / `ifa_flags`).
public struct InterfaceFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Administratively up (`ip link set X up`).
    public static let up = InterfaceFlags(rawValue: 0x1)
    /// Has a broadcast address.
    public static let broadcast = InterfaceFlags(rawValue: 0x2)
    /// The loopback interface.
    public static let loopback = InterfaceFlags(rawValue: 0x8)
    /// A point-to-point link (VPN tunnels, PPP).
    public static let pointToPoint = InterfaceFlags(rawValue: 0x10)
    /// Up and with resources allocated (operationally running).
    public static let running = InterfaceFlags(rawValue: 0x40)
    /// Supports multicast; without it joins and sends on the interface do nothing useful.
    public static let multicast = InterfaceFlags(rawValue: 0x1000)
    /// The link has carrier (cable in, peer up).
    public static let lowerUp = InterfaceFlags(rawValue: 0x10000)

    public var description: String {
        let names: [(InterfaceFlags, String)] = [
            (.up, "UP"), (.broadcast, "BROADCAST"), (.loopback, "LOOPBACK"), (.pointToPoint, "POINTOPOINT"),
            (.running, "RUNNING"), (.multicast, "MULTICAST"), (.lowerUp, "LOWER_UP"),
        ]
        return names.filter { contains($0.0) }.map(\.1).joined(separator: ",")
    }
}

/// One address assigned to an interface.
public struct InterfaceAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address itself.
    public var address: IPAddress
    /// The prefix length of its subnet (`/24`, `/64`).
    public var prefixLength: Int
    /// For IPv6, the scope id the kernel reports (the interface index for link-local addresses, else 0).
    public var scopeID: UInt32

    /// Describes one address; `scopeID` is the interface index for IPv6 link-local addresses.
    public init(address: IPAddress, prefixLength: Int, scopeID: UInt32 = 0) {
        self.address = address
        self.prefixLength = prefixLength
        self.scopeID = scopeID
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

/// A network interface of this host: the thing every multicast socket belongs to.
public struct NetworkInterface: Sendable, Hashable, Identifiable, CustomStringConvertible {
    /// The kernel's name for it (`eth0`, `lo`).
    public var name: String
    /// The kernel's interface index: what joins and `IP_MULTICAST_IF` use, and IPv6 scope ids.
    public var index: UInt32
    /// Link-level state.
    public var flags: InterfaceFlags
    /// Every IPv4 address, in the order the kernel lists them.
    public var ipv4Addresses: [InterfaceAddress]
    /// Every IPv6 address, in the order the kernel lists them.
    public var ipv6Addresses: [InterfaceAddress]

    /// Describes an interface (``InterfaceTable/current()`` reads the real ones).
    public init(name: String, index: UInt32, flags: InterfaceFlags, ipv4Addresses: [InterfaceAddress] = [], ipv6Addresses: [InterfaceAddress] = []) {
        self.name = name
        self.index = index
        self.flags = flags
        self.ipv4Addresses = ipv4Addresses
        self.ipv6Addresses = ipv6Addresses
    }

    public var id: UInt32 { index }

    /// The addresses of one family.
    public func addresses(_ family: AddressFamily) -> [InterfaceAddress] {
        family == .ipv4 ? ipv4Addresses : ipv6Addresses
    }

    /// Whether the interface is up.
    public var isUp: Bool { flags.contains(.up) }
    /// Whether the interface is the loopback device.
    public var isLoopback: Bool { flags.contains(.loopback) }
    /// Whether the interface supports multicast.
    public var isMulticastCapable: Bool { flags.contains(.multicast) }

    /// Whether a receiver listening on "all interfaces" should use it for `family`: up,
    /// multicast-capable, not loopback, with an address of the family (the seed's rule: loopback
    /// is left out so a host does not hear its own traffic twice).
    public func isListenable(for family: AddressFamily) -> Bool {
        isUp && isMulticastCapable && !isLoopback && !addresses(family).isEmpty
    }

    /// The address a Tx socket binds to so datagrams carry the right source: the first
    /// address of the family (for IPv6 a global one if there is one, else link-local).
    func sourceAddress(_ family: AddressFamily) -> SocketAddress? {
        switch family {
        case .ipv4:
            return ipv4Addresses.first.map { SocketAddress(address: $0.address, port: 0) }
        case .ipv6:
            let preferred = ipv6Addresses.first { if case .v6(let a) = $0.address { !a.isLinkLocalUnicast } else { false } } ?? ipv6Addresses.first
            return preferred.map { address in
                let needsScope: Bool = if case .v6(let a) = address.address { a.isLinkLocalUnicast } else { false }
                return SocketAddress(address: address.address, port: 0, scopeID: needsScope ? index : 0)
            }
        }
    }

    public var description: String { "\(name) (index \(index))" }
}
