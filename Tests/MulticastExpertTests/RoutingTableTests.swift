import MulticastExpert
import Testing

@Suite("Route file parsers")
struct RoutingTableTests {
    // Captured from a Debian host with Docker and a VPN: the default route is eth0 via 192.168.1.1.
    static let procNetRoute = """
        Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
        wg0\t00000000\t00000000\t0001\t0\t0\t500\t00000000\t0\t0\t0
        eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
        eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
        docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
        """

    @Test("the IPv4 default route with the lowest metric wins, gateway decoded")
    func ipv4Default() {
        let routes = RoutingTable.defaultRoutesIPv4(procNetRoute: Self.procNetRoute)
        #expect(routes.map(\.interfaceName) == ["eth0", "wg0"])
        #expect(routes.first?.gateway == IPAddress("192.168.1.1"))
        #expect(routes.last?.gateway == nil)
    }

    @Test("an IPv4 table without a default route yields none")
    func ipv4None() {
        let text = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth1\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """
        #expect(RoutingTable.defaultRoutesIPv4(procNetRoute: text).isEmpty)
    }

    // Captured /proc/net/ipv6_route: the kernel's unreachable defaults on lo must be ignored.
    static let procNetIPv6Route = """
        fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
        fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe80000000000000000000fffe000001 00000400 00000001 00000000 00450003     eth0
        00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
        ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
        """

    @Test("the IPv6 default route is found and the reject route on lo skipped")
    func ipv6Default() {
        let routes = RoutingTable.defaultRoutesIPv6(procNetIPv6Route: Self.procNetIPv6Route)
        #expect(routes.map(\.interfaceName) == ["eth0"])
        #expect(routes.first?.gateway == IPAddress("fe80::ff:fe00:1"))
        #expect(routes.first?.metric == 0x400)
    }

    @Test("garbage lines are ignored, not fatal")
    func garbage() {
        #expect(RoutingTable.defaultRoutesIPv4(procNetRoute: "nonsense\n\n\tx y z\n").isEmpty)
        #expect(RoutingTable.defaultRoutesIPv6(procNetIPv6Route: "zz 00 zz\n").isEmpty)
    }
}
