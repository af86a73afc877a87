#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMulticastShims
import SystemPackage

// The multicast socket options, one small function per option. Family differences (IPv4's
// IPPROTO_IP options vs IPv6's IPPROTO_IPV6 ones) are settled here and nowhere else.

extension AddressFamily {
    /// The protocol level for this family's IP options.
    var ipLevel: Int32 { self == .ipv4 ? Int32(IPPROTO_IP) : Int32(IPPROTO_IPV6) }
}

extension UDPSocketDescriptor {
    /// Lets several sockets bind the same group and port (several receivers on one host).
    func allowAddressReuse() throws(Errno) {
        try setOption(level: SOL_SOCKET, name: SO_REUSEADDR, 1)
    }

    /// Picks the interface multicast leaves by: `IP_MULTICAST_IF` with a `struct ip_mreqn`
    /// (index and address, which is what makes `lo` work) or `IPV6_MULTICAST_IF` with the index.
    func setMulticastInterface(_ interface: NetworkInterface, family: AddressFamily) throws(Errno) {
        switch family {
        case .ipv4:
            var request = mcx_ip_mreqn()
            request.imr_ifindex = Int32(interface.index)
            if case .v4(let a) = interface.ipv4Addresses.first?.address { request.imr_address = a.inAddr }
            try setOption(level: Int32(IPPROTO_IP), name: IP_MULTICAST_IF, value: request)
        case .ipv6:
            try setOption(level: Int32(IPPROTO_IPV6), name: IPV6_MULTICAST_IF, Int32(bitPattern: interface.index))
        }
    }

    /// The TTL (IPv4) or hop limit (IPv6) of multicast sent from this socket.
    func setMulticastHops(_ hops: Int32, family: AddressFamily) throws(Errno) {
        try setOption(level: family.ipLevel, name: family == .ipv4 ? IP_MULTICAST_TTL : IPV6_MULTICAST_HOPS, hops)
    }

    /// Whether this host's own receivers get a copy of what the socket sends on a non-loopback interface.
    func setMulticastLoop(_ enabled: Bool, family: AddressFamily) throws(Errno) {
        try setOption(level: family.ipLevel, name: family == .ipv4 ? IP_MULTICAST_LOOP : IPV6_MULTICAST_LOOP, enabled ? 1 : 0)
    }

    /// Turns off Linux's "deliver every joined group to every socket on the port" default
    /// (`IP_MULTICAST_ALL`/`IPV6_MULTICAST_ALL`). Kernels older than 4.20 lack the IPv6 one; that is not an error.
    func disableMulticastAll(family: AddressFamily) throws(Errno) {
        #if os(Linux)
        do {
            try setOption(level: family.ipLevel, name: family == .ipv4 ? mcx_IP_MULTICAST_ALL() : mcx_IPV6_MULTICAST_ALL(), 0)
        } catch .protocolNotAvailable where family == .ipv6 {
            return
        }
        #endif
    }

    /// Asks for the destination address and arrival interface of each datagram (`IP_PKTINFO`/`IPV6_RECVPKTINFO`),
    /// a kernel receive timestamp (`SO_TIMESTAMPNS`) and the socket's drop counter (`SO_RXQ_OVFL`).
    func enableReceiveMetadata(family: AddressFamily) throws(Errno) {
        #if os(Linux)
        try setOption(level: family.ipLevel, name: family == .ipv4 ? mcx_IP_PKTINFO() : mcx_IPV6_RECVPKTINFO(), 1)
        try setOption(level: SOL_SOCKET, name: mcx_SO_TIMESTAMPNS(), 1)
        try setOption(level: SOL_SOCKET, name: mcx_SO_RXQ_OVFL(), 1)
        #endif
    }

    /// Joins `group` on an interface, any-source (`MCAST_JOIN_GROUP`) or from one source
    /// (`MCAST_JOIN_SOURCE_GROUP`, IGMPv3/MLDv2), by interface index for both families.
    func join(_ group: MulticastGroup, interfaceIndex: UInt32, source: IPAddress?) throws(Errno) {
        try changeMembership(group, interfaceIndex: interfaceIndex, source: source, joining: true)
    }

    /// Undoes ``join(_:interfaceIndex:source:)``.
    func leave(_ group: MulticastGroup, interfaceIndex: UInt32, source: IPAddress?) throws(Errno) {
        try changeMembership(group, interfaceIndex: interfaceIndex, source: source, joining: false)
    }

    private func changeMembership(_ group: MulticastGroup, interfaceIndex: UInt32, source: IPAddress?, joining: Bool) throws(Errno) {
        let groupStorage = SocketAddress(address: group.address, port: 0).storage
        if let source {
            var request = mcx_group_source_req()
            request.gsr_interface = interfaceIndex
            request.gsr_group = groupStorage
            request.gsr_source = SocketAddress(address: source, port: 0).storage
            try setOption(level: group.family.ipLevel, name: joining ? mcx_MCAST_JOIN_SOURCE_GROUP() : mcx_MCAST_LEAVE_SOURCE_GROUP(), value: request)
        } else {
            var request = mcx_group_req()
            request.gr_interface = interfaceIndex
            request.gr_group = groupStorage
            try setOption(level: group.family.ipLevel, name: joining ? mcx_MCAST_JOIN_GROUP() : mcx_MCAST_LEAVE_GROUP(), value: request)
        }
    }
}
