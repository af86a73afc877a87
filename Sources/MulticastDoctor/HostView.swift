import MulticastExpert

/// Everything the doctor knows about the host: interfaces, routes, sysctls, memberships,
/// firewall rulesets, kernel counters and the queriers heard on the wire. Every check is a pure
/// function of this view and the request, so a view described by hand tests any check without
/// root; ``current()`` reads the live host. Nothing here writes anything.
public struct HostView: Sendable {
    public var interfaces: InterfaceTable
    public var routes4: [Route]
    public var routes6: [Route]
    /// Group memberships from /proc/net/igmp, igmp6, mcfilter and mcfilter6.
    public var memberships: [Membership]
    /// The nftables and iptables rulesets as their listing tools printed them.
    public var firewall: FirewallListings
    /// Host-wide UDP counters from /proc/net/snmp and snmp6.
    public var udpCounters: UDPCounters
    /// What a listen for IGMP/MLD queriers heard; nil when nobody listened (the querier check is skipped).
    public var queriers: QuerierObservation?
    /// Groups a receiver on this host is getting datagrams for right now, and where (the TUI's
    /// live streams). Traffic that arrives is proof that what it needed works: the checks never
    /// warn about a path a received stream is using.
    public var receivedStreams: [ReceivedStream]
    /// Reads `/proc/sys/<path>` as an integer (path with slashes, e.g. `net/ipv4/conf/all/rp_filter`).
    public var sysctl: @Sendable (String) -> Int?

    /// A host described by hand (tests, replaying a captured state). Left out: no routes, no
    /// memberships, no firewall tool, no counters, no querier listen, nothing received, every
    /// sysctl unreadable.
    public init(interfaces: InterfaceTable, routes4: [Route] = [], routes6: [Route] = [], memberships: [Membership] = [],
                firewall: FirewallListings = FirewallListings(), udpCounters: UDPCounters = UDPCounters(),
                queriers: QuerierObservation? = nil, receivedStreams: [ReceivedStream] = [],
                sysctl: @escaping @Sendable (String) -> Int? = { _ in nil }) {
        self.interfaces = interfaces
        self.routes4 = routes4
        self.routes6 = routes6
        self.memberships = memberships
        self.firewall = firewall
        self.udpCounters = udpCounters
        self.queriers = queriers
        self.receivedStreams = receivedStreams
        self.sysctl = sysctl
    }

    /// Reads the live host (the calling thread's namespace): /proc, the routing tables and the
    /// firewall listing tools (each bounded by ``FirewallListings/timeout``). ``queriers`` is left
    /// nil: listening takes a while, so the caller adds ``QuerierObservation/listen(for:)`` when asked;
    /// ``receivedStreams`` is left empty: only a running receiver knows them.
    public static func current() throws(MulticastError) -> HostView {
        HostView(interfaces: try InterfaceTable.current(), routes4: RoutingTable.currentRoutes(.ipv4),
                 routes6: RoutingTable.currentRoutes(.ipv6), memberships: MembershipFiles.current(),
                 firewall: FirewallListings.current(), udpCounters: UDPCounters.current(),
                 sysctl: { path in ProcFiles.read("/proc/sys/\(path)").flatMap { Int($0.trimmingWhitespaceForDoctor()) } })
    }

    /// `net.ipv4.conf.<interface>.<key>`.
    public func ipv4Conf(_ interface: String, _ key: String) -> Int? { sysctl("net/ipv4/conf/\(interface)/\(key)") }
    /// `net.ipv6.conf.<interface>.<key>`.
    public func ipv6Conf(_ interface: String, _ key: String) -> Int? { sysctl("net/ipv6/conf/\(interface)/\(key)") }

    /// The routes of one family.
    public func routes(_ family: AddressFamily) -> [Route] { family == .ipv4 ? routes4 : routes6 }

    /// The groups received on the interface named `interface`, in order, without repeats.
    public func groupsReceived(on interface: String) -> [MulticastGroup] {
        var groups: [MulticastGroup] = []
        for stream in receivedStreams where stream.interface == interface && !groups.contains(stream.group) { groups.append(stream.group) }
        return groups
    }

    /// The names of the interfaces `group` is received on, in order, without repeats.
    public func interfacesReceiving(_ group: MulticastGroup) -> [String] {
        var names: [String] = []
        for stream in receivedStreams where stream.group == group && !names.contains(stream.interface) { names.append(stream.interface) }
        return names
    }

    /// The interface owning `address` on this host, if any.
    public func owner(of address: IPAddress) -> NetworkInterface? {
        interfaces.interfaces.first { $0.addresses(address.family).contains { $0.address == address } }
    }
}

/// A group whose datagrams arrive on an interface of this host: the receiver's word that the
/// path works. Only streams that received datagrams belong here.
public struct ReceivedStream: Sendable, Hashable {
    public var group: MulticastGroup
    /// The interface's name, as the receiver saw it (raw: sanitise it before printing).
    public var interface: String

    public init(group: MulticastGroup, interface: String) {
        self.group = group
        self.interface = interface
    }
}

/// A sysctl that the kernel combines from the `all` value and the interface's own value.
public struct EffectiveSetting: Sendable, Hashable {
    /// The value that applies.
    public var value: Int
    /// The sysctl name that made it so (e.g. `net.ipv4.conf.all.rp_filter`; an interface's dots
    /// written as slashes, as `sysctl` spells them). Raw: sanitise it before printing.
    public var decidedBy: String
}

extension HostView {
    /// rp_filter: the kernel applies the larger of `all` and the interface's value.
    public func effectiveReversePathFilter(_ interface: String) -> EffectiveSetting {
        let all = ipv4Conf("all", "rp_filter") ?? 0, own = ipv4Conf(interface, "rp_filter") ?? 0
        return all >= own ? EffectiveSetting(value: all, decidedBy: "net.ipv4.conf.all.rp_filter")
            : EffectiveSetting(value: own, decidedBy: SysctlName.ipv4Conf(interface, "rp_filter"))
    }

    /// accept_local: on when `all` or the interface has it on.
    public func effectiveAcceptLocal(_ interface: String) -> EffectiveSetting {
        let all = ipv4Conf("all", "accept_local") ?? 0, own = ipv4Conf(interface, "accept_local") ?? 0
        if all != 0 { return EffectiveSetting(value: 1, decidedBy: "net.ipv4.conf.all.accept_local") }
        return EffectiveSetting(value: own != 0 ? 1 : 0, decidedBy: SysctlName.ipv4Conf(interface, "accept_local"))
    }

    /// mc_forwarding: on only when both `all` and the interface have it on.
    public func effectiveMulticastForwarding(_ interface: String) -> EffectiveSetting {
        let all = ipv4Conf("all", "mc_forwarding") ?? 0, own = ipv4Conf(interface, "mc_forwarding") ?? 0
        if all == 0 { return EffectiveSetting(value: 0, decidedBy: "net.ipv4.conf.all.mc_forwarding") }
        return EffectiveSetting(value: own != 0 ? 1 : 0, decidedBy: SysctlName.ipv4Conf(interface, "mc_forwarding"))
    }
}

extension String {
    func trimmingWhitespaceForDoctor() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\n" || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\n" || c == "\t" { s.removeLast() }
        return String(s)
    }
}
