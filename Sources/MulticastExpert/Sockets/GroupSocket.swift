/// One OS socket bound to one group and port, joined on one or more interfaces.
///
/// Linux delivers a multicast datagram to every socket bound to its destination address and
/// port, so one socket per group is what keeps group A's traffic away from group B's socket
/// (the seed's "bind to the group" rule). IPv6 interface- and link-local groups need a scope
/// id in the bind, so for those there is one socket per (group, interface).
struct GroupSocket: Sendable {
    let descriptor: UDPSocketDescriptor
    let group: MulticastGroup
    let port: UInt16
    let interfaces: [NetworkInterface]
    let sources: [IPAddress]

    /// Whether a datagram that arrived on `interfaceIndex` is one this socket asked for.
    /// (IPv6 delivers a group to every socket bound to it whatever interface it joined on.)
    func accepts(interfaceIndex: UInt32) -> Bool {
        interfaces.contains { $0.index == interfaceIndex }
    }

    /// The name of a joined interface, or the kernel's name for any other index.
    func interfaceName(_ index: UInt32) -> String {
        interfaces.first { $0.index == index }?.name ?? MulticastExpert.interfaceName(forIndex: index) ?? "if\(index)"
    }
}
