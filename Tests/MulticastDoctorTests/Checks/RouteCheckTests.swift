import MulticastDoctor
import MulticastExpert
import Testing

/// Default routes, where groups are routed, and what multicast over lo needs, on described hosts.
@Suite("Doctor: route checks")
struct RouteCheckTests {
    let host = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"], ipv6: ["fd00::2/64"]).route("198.18.0.0/24", dev: "eth1")

    @Test("a default route is shown per family; a missing one warns with a fix naming the first interface")
    func defaultRoute() throws {
        let findings = try examine(host.route("0.0.0.0/0", dev: "eth1", via: "198.18.0.1"), DoctorRequest(interfaces: ["eth1"]))
        #expect(findings.first("route.default")?.summary == "IPv4 default route: 0.0.0.0/0 via 198.18.0.1 dev eth1")
        let missing = try #require(findings.first("route.no-default"))
        #expect(missing.severity == .warn && missing.summary == "no IPv6 default route")
        #expect(missing.fix == "ip -6 route add default dev eth1")
    }

    @Test("a reject default route is no default route")
    func rejectDefault() throws {
        let findings = try examine(host.route("::/0", dev: "lo", reject: true), DoctorRequest(interfaces: ["eth1"], groups: [group("ff15::1")]))
        #expect(findings.first("route.no-default")?.summary == "no IPv6 default route")
    }

    @Test("each group: the interface its route leaves by, or a warning with the multicast route to add")
    func groupRoutes() throws {
        let routed = try examine(host.route("224.0.0.0/4", dev: "eth1"), DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")]))
        let route = try #require(routed.first("route.group"))
        #expect(route.interface == "eth1" && route.summary.contains("leaves by eth1 (route 224.0.0.0/4 dev eth1)"))
        let unrouted = try examine(host, DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3"), group("ff15::1")]))
        #expect(unrouted.with("route.group-unroutable").compactMap(\.fix).sorted() == ["ip -6 route add ff00::/8 dev eth1", "ip route add 224.0.0.0/4 dev eth1"])
    }

    @Test("IPv4 on lo: a route to lo is ok; without one a warning with the /24 to route")
    func loopbackIPv4() throws {
        let missing = try #require(try examine(host, DoctorRequest(interfaces: ["lo"], groups: [group("239.2.2.2")])).first("loopback.no-route"))
        #expect(missing.severity == .warn && missing.fix == "ip route add 239.2.2.0/24 dev lo")
        let routed = try examine(host.route("239.2.2.0/24", dev: "lo"), DoctorRequest(interfaces: ["lo"], groups: [group("239.2.2.2")]))
        #expect(routed.first("loopback.route-ok")?.severity == .ok)
        #expect(routed.first("loopback.no-route") == nil)
    }

    @Test("IPv6 on lo: a non-ffx1 group fails; an ffx1 group needs a route in the local table")
    func loopbackIPv6() throws {
        let scope = try #require(try examine(host, DoctorRequest(interfaces: ["lo"], groups: [group("ff15::2")])).first("loopback.ipv6-scope"))
        #expect(scope.severity == .fail)
        #expect(scope.fix?.hasPrefix("ip -6 route add table local ff11::/16 dev lo") == true)
        let noRoute = try examine(host, DoctorRequest(interfaces: ["lo"], groups: [group("ff11::1234")]))
        #expect(noRoute.first("loopback.ipv6-no-route")?.severity == .warn)
        let routed = try examine(host.route("ff11::/16", dev: "lo"), DoctorRequest(interfaces: ["lo"], groups: [group("ff11::1234")]))
        #expect(routed.first("loopback.ipv6-no-route") == nil && routed.first("loopback.ipv6-scope") == nil)
    }

    @Test("the loopback checks run only when lo is examined")
    func loopbackOnlyWhenNamed() throws {
        let findings = try examine(host, DoctorRequest(interfaces: ["eth1"], groups: [group("239.2.2.2")]))
        #expect(findings.filter { $0.id.hasPrefix("loopback.") }.isEmpty)
    }
}
