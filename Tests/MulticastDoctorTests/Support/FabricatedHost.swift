@testable import MulticastDoctor
@testable import MulticastExpert

/// A host described in a few lines, for the doctor's checks without root, namespaces or a
/// packet socket: interfaces, routes, sysctls, memberships, firewall listings, UDP counters, the
/// queriers heard and the streams received, each added by one call. ``view`` is the ``HostView``
/// the checks read.
///
/// It starts with `lo` (index 1, 127.0.0.1/8, no MULTICAST flag, as Linux has it) and nothing
/// else: every sysctl unreadable, no routes, no firewall tool, no querier listen, nothing received.
struct FabricatedHost {
    var interfaces: [NetworkInterface] = [FabricatedHost.loopback]
    var routes4: [Route] = []
    var routes6: [Route] = []
    var memberships: [Membership] = []
    /// `/proc/sys` paths with slashes (`net/ipv4/conf/all/rp_filter`) to their values.
    var sysctls: [String: Int] = [:]
    var firewall = FirewallListings()
    var udpCounters = UDPCounters()
    var queriers: QuerierObservation?
    var receivedStreams: [ReceivedStream] = []

    static let loopback = NetworkInterface(name: "lo", index: 1, flags: [.up, .running, .loopback, .lowerUp],
                                           ipv4Addresses: [InterfaceAddress(address: IPAddress("127.0.0.1")!, prefixLength: 8)],
                                           ipv6Addresses: [InterfaceAddress(address: IPAddress("::1")!, prefixLength: 128)])
    /// What a healthy Ethernet interface shows: up, running, carrier, broadcast, multicast.
    static let healthy: InterfaceFlags = [.up, .running, .lowerUp, .broadcast, .multicast]

    /// The host as the checks see it.
    var view: HostView {
        let sysctls = self.sysctls
        return HostView(interfaces: InterfaceTable(interfaces: interfaces), routes4: routes4, routes6: routes6, memberships: memberships,
                        firewall: firewall, udpCounters: udpCounters, queriers: queriers, receivedStreams: receivedStreams,
                        sysctl: { sysctls[$0] })
    }

    /// Adds an interface with the next free index; addresses as `198.18.0.2/24` or `fd00::2/64`.
    func interface(_ name: String, flags: InterfaceFlags = healthy, ipv4: [String] = [], ipv6: [String] = []) -> Self {
        var copy = self
        let index = UInt32((interfaces.map(\.index).max() ?? 0) + 1)
        copy.interfaces.append(NetworkInterface(name: name, index: index, flags: flags,
                                                ipv4Addresses: ipv4.map(Self.address), ipv6Addresses: ipv6.map(Self.address)))
        return copy
    }

    /// Sets `/proc/sys/<path>` (slashes, e.g. `net/core/rmem_max`).
    func sysctl(_ path: String, _ value: Int) -> Self {
        var copy = self
        copy.sysctls[path] = value
        return copy
    }

    /// Sets `net.ipv4.conf.<interface>.<key>`.
    func ipv4Conf(_ interface: String, _ key: String, _ value: Int) -> Self { sysctl("net/ipv4/conf/\(interface)/\(key)", value) }

    /// Sets `net.ipv6.conf.<interface>.<key>`.
    func ipv6Conf(_ interface: String, _ key: String, _ value: Int) -> Self { sysctl("net/ipv6/conf/\(interface)/\(key)", value) }

    /// Adds a route: `destination` as `0.0.0.0/0`, `224.0.0.0/4` or `ff00::/8`.
    func route(_ destination: String, dev: String, via gateway: String? = nil, reject: Bool = false) -> Self {
        var copy = self
        let prefix = Self.address(destination)
        let route = Route(family: prefix.address.family, destination: prefix.address, prefixLength: prefix.prefixLength, interfaceName: dev,
                          gateway: gateway.map { IPAddress($0)! }, metric: 0, isReject: reject)
        if route.family == .ipv4 { copy.routes4.append(route) } else { copy.routes6.append(route) }
        return copy
    }

    /// Adds a membership of `group` on `interface`, as /proc/net/igmp (with the interface's IGMP
    /// version) or igmp6 and mcfilter list it.
    func joined(_ group: String, on interface: String, users: Int = 1, igmpVersion: Int? = nil, sources: [String] = []) -> Self {
        var copy = self
        let index = interfaces.first { $0.name == interface }.map { Int($0.index) } ?? 0
        copy.memberships.append(Membership(interfaceIndex: index, interfaceName: interface, group: IPAddress(group)!, users: users,
                                           igmpVersion: igmpVersion,
                                           sources: sources.map { .init(source: IPAddress($0)!, includeCount: 1, excludeCount: 0) }))
        return copy
    }

    /// Records that a receiver on the host gets datagrams for `group` on `interface` (the TUI's live streams).
    func receiving(_ group: String, on interface: String) -> Self {
        var copy = self
        copy.receivedStreams.append(ReceivedStream(group: try! MulticastGroup(parsing: group), interface: interface))
        return copy
    }

    /// Sets what the firewall listing tools printed.
    func firewallListings(nftables: FirewallListings.Listing = .missing, iptables: FirewallListings.Listing = .missing,
                  ip6tables: FirewallListings.Listing = .missing) -> Self {
        var copy = self
        copy.firewall = FirewallListings(nftables: nftables, iptables: iptables, ip6tables: ip6tables)
        return copy
    }

    /// Sets the host-wide UDP receive-buffer drops (RcvbufErrors plus Udp6RcvbufErrors).
    func receiveBufferErrors(_ count: Int?) -> Self {
        var copy = self
        copy.udpCounters = UDPCounters(receiveBufferErrors: count)
        return copy
    }

    /// Records a listen of `seconds` that heard `queries`: (interface, source, version, times heard at, in seconds).
    func heard(_ queries: [(interface: String, source: String, version: String, at: [Double])], listening seconds: Int = 10,
               capacity: Int = 256, routerAlert: Bool = true) -> Self {
        var copy = self
        var state = IGMPState(startedAt: 0, limits: IGMPLimits(queriers: capacity))
        for query in queries {
            let index = interfaces.first { $0.name == query.interface }.map { Int($0.index) } ?? 0
            let version = IGMPVersion(rawValue: query.version)!
            for time in query.at {
                state.record(IGMPMessage(interfaceIndex: index, heardAt: Int64(time * 1e9), source: IPAddress(query.source)!,
                                         destination: IPAddress(version.family == .ipv4 ? "224.0.0.1" : "ff02::1")!, version: version,
                                         routerAlert: routerAlert,
                                         body: .query(IGMPQuery(maxResponseMilliseconds: 10_000, queryInterval: version.hasSources ? 125 : nil))))
            }
        }
        copy.queriers = QuerierObservation(duration: .seconds(seconds), result: .heard(state))
        return copy
    }

    /// Records a listen that could not open a packet socket.
    func querierListenNotPermitted(listening seconds: Int = 10) -> Self {
        var copy = self
        copy.queriers = QuerierObservation(duration: .seconds(seconds), result: .notPermitted)
        return copy
    }

    private static func address(_ text: String) -> InterfaceAddress {
        let parts = text.split(separator: "/")
        return InterfaceAddress(address: IPAddress(String(parts[0]))!, prefixLength: parts.count > 1 ? Int(parts[1])! : 32)
    }
}

/// The findings of `request` on `host`, through the doctor's public entry point: a described
/// host means nothing is read or sent.
func examine(_ host: FabricatedHost, _ request: DoctorRequest) throws -> [Finding] {
    try Doctor.examine(request, host: host.view)
}

extension Array where Element == Finding {
    /// The findings with `id`, optionally about one interface.
    func with(_ id: String, interface: String? = nil) -> [Finding] {
        filter { $0.id == id && (interface == nil || $0.interface == interface) }
    }

    /// The one finding with `id` (and interface), or nil.
    func first(_ id: String, interface: String? = nil) -> Finding? { with(id, interface: interface).first }
}

/// Groups and addresses written as text in tests.
func group(_ text: String) -> MulticastGroup { try! MulticastGroup(parsing: text) }
func address(_ text: String) -> IPAddress { IPAddress(text)! }
