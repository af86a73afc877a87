import MulticastExpert

/// What ``IGMPState`` needs to know about this host to judge the conversation it hears: its
/// interfaces and addresses (to mark its own reports), its IPv4 routes and rp_filter settings
/// (would it drop a querier's queries?), its memberships (which groups it should report), and
/// its forced IGMP/MLD versions. A plain value: build it from a ``HostView``, read it with
/// ``current()``, or describe it by hand in tests.
public struct IGMPHostFacts: Sendable, Hashable {
    public var interfaces: [NetworkInterface]
    public var routes4: [Route]
    /// Group memberships from /proc/net/igmp, igmp6, mcfilter and mcfilter6.
    public var memberships: [Membership]
    /// The sysctls read, by `/proc/sys` path with slashes (`net/ipv4/conf/all/rp_filter`): rp_filter
    /// and force_igmp_version under net/ipv4/conf, force_mld_version under net/ipv6/conf, for `all`
    /// and each interface.
    public var sysctls: [String: Int]
    private var ownAddresses: Set<IPAddress>

    /// The facts given by hand; anything left out is unknown (no interfaces, no routes, no
    /// memberships, every sysctl unread).
    public init(interfaces: [NetworkInterface] = [], routes4: [Route] = [], memberships: [Membership] = [], sysctls: [String: Int] = [:]) {
        self.interfaces = interfaces
        self.routes4 = routes4
        self.memberships = memberships
        self.sysctls = sysctls
        ownAddresses = Set(interfaces.flatMap { $0.ipv4Addresses.map(\.address) + $0.ipv6Addresses.map(\.address) })
    }

    /// The facts a ``HostView`` holds (its sysctls read through the view).
    public init(host: HostView) {
        let interfaces = host.interfaces.interfaces
        self.init(interfaces: interfaces, routes4: host.routes4, memberships: host.memberships,
                  sysctls: Self.readSysctls(interfaces.map(\.name), host.sysctl))
    }

    /// The live host (the calling thread's namespace): interfaces, IPv4 routes, memberships and
    /// the sysctls above. Cheap enough to call every second (no firewall tools, unlike ``HostView/current()``).
    public static func current() throws(MulticastError) -> IGMPHostFacts {
        let table = try InterfaceTable.current()
        return IGMPHostFacts(interfaces: table.interfaces, routes4: RoutingTable.currentRoutes(.ipv4), memberships: MembershipFiles.current(),
                             sysctls: readSysctls(table.interfaces.map(\.name)) { path in
                                 ProcFiles.read("/proc/sys/\(path)").flatMap { Int($0.trimmingWhitespaceForDoctor()) }
                             })
    }

    static func readSysctls(_ names: [String], _ read: (String) -> Int?) -> [String: Int] {
        var values: [String: Int] = [:]
        for name in ["all"] + names {
            for path in ["net/ipv4/conf/\(name)/rp_filter", "net/ipv4/conf/\(name)/force_igmp_version", "net/ipv6/conf/\(name)/force_mld_version"] {
                if let value = read(path) { values[path] = value }
            }
        }
        return values
    }

    /// The interface with index `index`.
    public func interface(_ index: Int) -> NetworkInterface? { interfaces.first { Int($0.index) == index } }

    /// The interface's name, or its index as text when it is not (or no longer) known. Raw: sanitise before printing.
    public func name(ofInterface index: Int) -> String { interface(index)?.name ?? "#\(index)" }

    /// Whether `address` is one of this host's.
    public func isOwn(_ address: IPAddress) -> Bool { ownAddresses.contains(address) }

    /// Whether this host sent `message`: its outgoing copy says so. Only on loopback, where the
    /// listener keeps the incoming copy instead, does the source address decide; elsewhere a
    /// frame from the wire with this host's address as its source is someone else's forgery
    /// and must neither answer a query for this host nor silence its checks.
    public func sent(_ message: IGMPMessage) -> Bool {
        message.sentByThisHost || (interface(message.interfaceIndex)?.isLoopback == true && isOwn(message.source))
    }

    /// Whether this host's reverse-path filter drops packets from `source` arriving on the
    /// interface `index` (IPv4 only; unknown interfaces and unreadable settings count as not filtered).
    public func reversePathVerdict(source: IPAddress, interfaceIndex index: Int) -> ReversePathVerdict {
        guard let name = interface(index)?.name else { return .notFiltered }
        let sysctls = self.sysctls
        let view = HostView(interfaces: InterfaceTable(interfaces: interfaces), routes4: routes4, sysctl: { sysctls[$0] })
        return view.reversePathVerdict(source: source, arrivingOn: name)
    }

    /// The IGMP (`ipv4`) or MLD (`ipv6`) version the interface is forced to, or nil when it is not
    /// forced (or unknown). The kernel applies the larger of `all` and the interface's own value.
    public func forcedVersion(interfaceIndex index: Int, family: AddressFamily) -> Int? {
        guard let name = interface(index)?.name else { return nil }
        func key(_ interface: String) -> String {
            family == .ipv4 ? "net/ipv4/conf/\(interface)/force_igmp_version" : "net/ipv6/conf/\(interface)/force_mld_version"
        }
        let value = max(sysctls[key("all")] ?? 0, sysctls[key(name)] ?? 0)
        return value == 0 ? nil : value
    }

    /// The groups this host has joined on interface `index` in `family` and reports (not
    /// 224.0.0.1, ff02::1 or interface-local scopes), in /proc order, without repeats.
    public func reportedGroups(interfaceIndex index: Int, family: AddressFamily) -> [IPAddress] {
        var groups: [IPAddress] = []
        for membership in memberships where membership.interfaceIndex == index && membership.group.family == family
            && membership.group.isReportedGroup && !groups.contains(membership.group) {
            groups.append(membership.group)
        }
        return groups
    }

    /// Whether this host receives `group` on interface `index` from chosen sources (a source-specific join).
    public func hasSourceFilter(interfaceIndex index: Int, group: IPAddress) -> Bool {
        memberships.contains { $0.interfaceIndex == index && $0.group == group && !$0.sources.isEmpty }
    }
}
