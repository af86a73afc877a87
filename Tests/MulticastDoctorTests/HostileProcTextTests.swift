import MulticastDoctor
@testable import MulticastExpert
import Testing

/// The /proc parsers on text no kernel writes but a fuzzer (or a strange host) might: they skip
/// what does not parse and never trap.
@Suite("Proc parsers on hostile text")
struct HostileProcTextTests {
    static let hostile: [String] = [
        "",
        "\n\n\n",
        String(repeating: "A", count: 10_000),
        "Iface\tDestination\n" + String(repeating: "f", count: 10_000) + "\t" + String(repeating: "0", count: 10_000),
        "Iface Destination Gateway Flags RefCnt Use Metric Mask\neth0 00000000 0101A8C0 0003 0 0 -9223372036854775808 00000000\neth1 00000000 0 3 0 0 9223372036854775807 0",
        "Iface Destination Gateway Flags RefCnt Use Metric Mask\neth0 FFFFFFFFF 0 0 0 0 0 0\neth0 -1 -1 -1 -1 -1 -1 -1\neth0 zz zz zz",
        "00000000000000000000000000000000 7fffffffffffffff 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 0 0 00000001 eth0",
        "00000000000000000000000000000000 -8000000000000000 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 0 0 00000001 eth0",
        "ff000000000000000000000000000000 81 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 0 0 00000001 eth0",
        "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 0 0 00000001 eth0",
        "Idx\tDevice : Count Querier\n1\tlo : 1 V99999999999999999999999\n\t\t\t\t010000E0 99999999999999999999999 0:00000000\t\t0\n:\n\t\t\t\tZZZZZZZZ 1",
        "1 lo ff02000000000000000000000000000g 1 0 0\n1 lo ff02000000000000000000000000001 -5 0 0\n-1 lo ff020000000000000000000000000001 -5 0 0",
        "Idx Device MCA SRC INC EXC\n3 va 0x 0x -1 -1\n3 va 0xfffffffff 0x1 1 1\n3 va 0x-1 0x+1 1 1\n3 va 0xe8010101 0xc6120009 99999999999999999999 1",
        "Idx\n3 va ff3e0000000000000000000080000001 fd000000000000000000000000000009 -9223372036854775808 9223372036854775807",
        "Idx\n3 va ff3e0000000000000000000080000001 fd0000000000000000000000000000\u{301}9 1 1",
        "\u{FFFD}\u{FFFD}\u{0}\u{1B}[2J\t:\t\u{202E}\n\t\t\t\t\u{FFFD}",
        String(decoding: [0xff, 0xfe, 0x0a, 0x09, 0x80, 0x3a, 0x20, 0xc3] + Array("1\tlo : 1 V3\n".utf8), as: UTF8.self),
    ]

    static let probes: [IPAddress] = [IPAddress("239.1.2.3")!, IPAddress("0.0.0.0")!, IPAddress("ff15::1")!, IPAddress("::")!]

    @Test("route, membership and counter parsers skip hostile lines without trapping", arguments: hostile)
    func noTrap(text: String) {
        let routes = RoutingTable.routesIPv4(procNetRoute: text) + RoutingTable.routesIPv6(procNetIPv6Route: text)
        for route in routes { _ = route.description; _ = route.contains(route.destination) }
        for address in Self.probes { _ = RoutingTable.lookup(address, in: routes) }
        _ = RoutingTable.defaultRoutesIPv4(procNetRoute: text) + RoutingTable.defaultRoutesIPv6(procNetIPv6Route: text)
        _ = MembershipFiles.parseIGMP(text) + MembershipFiles.parseIGMP6(text) + MembershipFiles.parseMcfilter(text) + MembershipFiles.parseMcfilter6(text)
        _ = UDPCounters.receiveBufferErrors(snmp: text, snmp6: text)
    }

    @Test("IPv6 prefix lengths outside 0...128 are not routes")
    func ipv6PrefixRange() {
        let line = { (prefix: String) in "ff000000000000000000000000000000 \(prefix) 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 0 0 00000001 eth0" }
        #expect(RoutingTable.routesIPv6(procNetIPv6Route: line("81")).isEmpty)
        #expect(RoutingTable.routesIPv6(procNetIPv6Route: line("-8000000000000000")).isEmpty)
        #expect(RoutingTable.routesIPv6(procNetIPv6Route: line("08")).first?.prefixLength == 8)
    }

    @Test("a route with any prefix length or metric can be looked up without trapping")
    func handMadeRoutes() {
        let routes = [Int.min, -1, 0, 33, 129, Int.max].flatMap { prefix in
            [Int.min, 0, Int.max].map { metric in
                Route(family: .ipv6, destination: IPAddress("ff00::")!, prefixLength: prefix, interfaceName: "x", gateway: nil, metric: metric, isReject: false)
            }
        }
        _ = RoutingTable.lookup(IPAddress("ff15::1")!, in: routes)
    }

    @Test("the snmp counters: Udp RcvbufErrors plus Udp6RcvbufErrors, saturating, negatives ignored")
    func snmpCounters() {
        let snmp = "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors\nUdp: 10 0 0 5 7\n"
        #expect(UDPCounters.receiveBufferErrors(snmp: snmp, snmp6: "Udp6RcvbufErrors                \t3\n") == 10)
        #expect(UDPCounters.receiveBufferErrors(snmp: "Udp: RcvbufErrors\nUdp: 9223372036854775807\n", snmp6: "Udp6RcvbufErrors 5") == Int.max)
        #expect(UDPCounters.receiveBufferErrors(snmp: "Udp: RcvbufErrors\nUdp: -4\n", snmp6: nil) == nil)
        #expect(UDPCounters.receiveBufferErrors(snmp: nil, snmp6: nil) == nil)
    }
}
