import MulticastDoctor
import MulticastExpert
import Testing

/// The /proc parsers and the query decoder, on real captured contents (and odd ones).
@Suite("Doctor parsers")
struct ParserTests {
    // Captured from a namespace with ASM and SSM joins on va.
    static let igmp = """
        Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter
        1\tlo        :     1      V3
        \t\t\t\t010000E0     1 0:00000000\t\t0
        3\tva        :     4      V2
        \t\t\t\t090909EF     1 0:00000000\t\t0
        \t\t\t\t010101E8     2 0:00000000\t\t0
        \t\t\t\t030201EF     1 0:00000000\t\t0
        \t\t\t\t010000E0     1 0:00000000\t\t0
        garbage line that the kernel never prints
        """

    @Test("/proc/net/igmp: groups decoded from little-endian hex, users and the interface's IGMP version")
    func igmp() {
        let memberships = MembershipFiles.parseIGMP(Self.igmp)
        #expect(memberships.count == 5)
        #expect(memberships.map(\.group.description) == ["224.0.0.1", "239.9.9.9", "232.1.1.1", "239.1.2.3", "224.0.0.1"])
        #expect(memberships[2].users == 2)
        #expect(memberships[2].interfaceName == "va")
        #expect(memberships[2].interfaceIndex == 3)
        #expect(memberships[2].igmpVersion == 2)
        #expect(memberships[0].igmpVersion == 3)
    }

    @Test("/proc/net/igmp6 and mcfilter/mcfilter6 with their source filters")
    func igmp6AndFilters() {
        let igmp6 = """
            1    lo              ff020000000000000000000000000001     1 0000000C 0
            3    va              ff150000000000000000000000000007     2 00000004 0
            3    va              not-hex-at-all                       1 00000004 0
            """
        let v6 = MembershipFiles.parseIGMP6(igmp6)
        #expect(v6.map(\.group.description) == ["ff02::1", "ff15::7"])
        #expect(v6[1].users == 2)
        let mcfilter = """
            Idx Device        MCA        SRC    INC    EXC
              3     va 0xe8010101 0xc6120009      1      0
              3     va 0xe8010101 0xc612000a      1      0
            """
        let filters = MembershipFiles.parseMcfilter(mcfilter)
        #expect(filters.count == 1)
        #expect(filters[0].group.description == "232.1.1.1")
        #expect(filters[0].sources.map(\.source.description) == ["198.18.0.9", "198.18.0.10"])
        let mcfilter6 = """
            Idx Device                Multicast Address                   Source Address    INC    EXC
              3     va ff3e0000000000000000000080000001 fd000000000000000000000000000009      1      0
            """
        let filters6 = MembershipFiles.parseMcfilter6(mcfilter6)
        #expect(filters6.first?.group.description == "ff3e::8000:1")
        #expect(filters6.first?.sources.first?.source.description == "fd00::9")
        #expect(MembershipFiles.parseIGMP("") == [] && MembershipFiles.parseMcfilter("Idx\n") == [])
    }

    @Test("route lookup: longest prefix wins, reject routes mean no route")
    func routeLookup() {
        let text = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
            eth1\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0
            eth2\t0001000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            lo\t050000CB\t00000000\t0201\t0\t0\t0\tFFFFFFFF\t0\t0\t0
            """
        let routes = RoutingTable.routesIPv4(procNetRoute: text)
        #expect(RoutingTable.lookup(IPAddress("10.0.1.7")!, in: routes)?.interfaceName == "eth2")
        #expect(RoutingTable.lookup(IPAddress("10.9.9.9")!, in: routes)?.interfaceName == "eth1")
        #expect(RoutingTable.lookup(IPAddress("8.8.8.8")!, in: routes)?.interfaceName == "eth0")
        #expect(RoutingTable.lookup(IPAddress("203.0.0.5")!, in: routes) == nil, "a reject route is no route")
        #expect(RoutingTable.lookup(IPAddress("8.8.8.8")!, in: Array(routes.dropFirst())) == nil)
    }
}
