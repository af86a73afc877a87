#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MulticastDoctor
import MulticastExpert
import NetnsLab
import Testing

/// Each pitfall built for real in namespaces, and the doctor naming it.
@Suite("Doctor against real pitfalls", .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
struct DoctorLabTests {
    let port = TestPorts.unique()

    func examine(_ namespace: Namespace, _ request: DoctorRequest) throws -> [Finding] {
        try namespace.run { try Doctor.examine(request) }
    }

    func finding(_ id: String, in findings: [Finding], interface: String? = nil) -> Finding? {
        findings.first { $0.id == id && (interface == nil || $0.interface == interface) }
    }

    @Test("strict rp_filter with an unroutable source: packets really are dropped, the doctor says why, and its fix works")
    func strictReversePath() throws {
        let hosts = try TwoHosts("rpf")
        defer { hosts.tearDown() }
        try hosts.a.sh("ip addr add 203.0.113.5/32 dev va")
        try hosts.b.sh("sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.vb.rp_filter=1")
        let g = try MulticastGroup(parsing: "239.70.0.1")
        let port = self.port
        let rx = try hosts.b.run { try McastRxSocket(groups: [g], port: port, interfaces: ["vb"], mode: .timeout(.milliseconds(500))) }
        let tx = try hosts.a.run { try McastTxSocket(groups: [g], interface: "203.0.113.5") }
        for _ in 0..<3 { try tx.send([1], to: g, port: port) }
        #expect(try rx.receive() == nil, "the kernel drops the packets")

        let source = try IPAddress.parse("203.0.113.5")
        let findings = try examine(hosts.b, DoctorRequest(interfaces: ["vb"], groups: [g], sources: [source]))
        let dropped = try #require(finding("rp_filter.source-dropped", in: findings))
        #expect(dropped.severity == .fail)
        #expect(dropped.interface == "vb" && dropped.source == "203.0.113.5")
        #expect(dropped.summary.contains("no route back to 203.0.113.5"))
        #expect(findings.first?.severity == .fail, "worst first")
        #expect(finding("rp_filter.mode", in: findings)?.summary.contains("strict (1), set by net.ipv4.conf.all.rp_filter") == true)

        try hosts.b.sh(try #require(dropped.fix?.components(separatedBy: "    #").first))
        let after = try examine(hosts.b, DoctorRequest(interfaces: ["vb"], groups: [g], sources: [source]))
        #expect(finding("rp_filter.source-dropped", in: after) == nil)
        #expect(finding("rp_filter.source-ok", in: after)?.severity == .ok)
        try tx.send([2], to: g, port: port)
        #expect(try rx.receive()?.payload == [2], "after the suggested fix the packets arrive")
    }

    @Test("loose rp_filter with no default route is a warning; a default route clears it")
    func looseWithoutDefault() throws {
        let hosts = try TwoHosts("loose")
        defer { hosts.tearDown() }
        try hosts.b.sh("sysctl -qw net.ipv4.conf.all.rp_filter=2")
        let before = try examine(hosts.b, DoctorRequest(interfaces: ["vb"]))
        #expect(finding("rp_filter.loose-no-default", in: before, interface: "vb")?.severity == .warn)
        #expect(finding("route.no-default", in: before)?.severity == .warn)
        try hosts.b.sh("ip route add default via \(TwoHosts.addressA) dev vb")
        let after = try examine(hosts.b, DoctorRequest(interfaces: ["vb"]))
        #expect(finding("rp_filter.loose-no-default", in: after) == nil)
        #expect(finding("route.default", in: after)?.summary.contains("dev vb") == true)
    }

    @Test("two NICs of one host cabled together need accept_local: the self-test fails, then passes with the fix")
    func acceptLocal() throws {
        let lab = try Lab("acclo")
        defer { lab.tearDown() }
        let host = try lab.namespace("h")
        try lab.cable(host, "h1", host, "h2")
        try host.sh("ip addr add 198.18.1.1/24 dev h1; ip addr add 198.18.2.1/24 dev h2; sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.h1.rp_filter=0 net.ipv4.conf.h2.rp_filter=0")
        let g = try MulticastGroup(parsing: "239.70.0.3")
        let request = DoctorRequest(interfaces: ["h1", "h2"], groups: [g], port: port, selfTest: true)
        let before = try examine(host, request)
        let acceptLocal = try #require(finding("accept_local.off", in: before, interface: "h2"))
        #expect(acceptLocal.severity == .fail && acceptLocal.source == "198.18.1.1")
        #expect(acceptLocal.fix == "sysctl -w net.ipv4.conf.h2.accept_local=1")
        #expect(finding("selftest.failed", in: before)?.severity == .fail)
        try host.sh(try #require(acceptLocal.fix))
        let after = try examine(host, request)
        #expect(finding("accept_local.on", in: after, interface: "h2")?.severity == .ok)
        let passed = try #require(finding("selftest.passed", in: after), "findings: \(after.map(\.summary))")
        #expect(passed.summary.contains("arrived on h2"))
    }

    @Test("loopback multicast: a missing route to lo is named with its fix; a non-ffx1 IPv6 group on lo fails")
    func loopbackRoute() throws {
        let lab = try Lab("lo")
        defer { lab.tearDown() }
        let ns = try lab.namespace("l")
        let g = try MulticastGroup(parsing: "239.2.2.2"), v6 = try MulticastGroup(parsing: "ff15::2")
        let before = try examine(ns, DoctorRequest(interfaces: ["lo"], groups: [g, v6]))
        let missing = try #require(finding("loopback.no-route", in: before))
        #expect(missing.fix == "ip route add 239.2.2.0/24 dev lo")
        #expect(finding("loopback.ipv6-scope", in: before)?.severity == .fail)
        try ns.sh(try #require(missing.fix))
        let after = try examine(ns, DoctorRequest(interfaces: ["lo"], groups: [g]))
        #expect(finding("loopback.route-ok", in: after)?.severity == .ok)
    }

    /// A Linux bridge acting as IGMP querier on `address`, with host H's h0 plugged into it.
    func querierLab(_ tag: String, bridgeAddress: String) throws -> (Lab, Namespace) {
        let lab = try Lab(tag)
        let sw = try lab.namespace("sw"), host = try lab.namespace("h")
        try sw.sh("ip link add br0 type bridge mcast_snooping 1 mcast_querier 1 mcast_query_use_ifaddr 1 mcast_igmp_version 3 mcast_query_interval 100 mcast_startup_query_interval 100 mcast_startup_query_count 5")
        try lab.cable(sw, "p0", host, "h0")
        try sw.sh("ip link set p0 master br0; ip addr add \(bridgeAddress) dev br0; ip link set br0 up")
        try host.sh("ip addr add 198.18.0.2/24 dev h0")
        return (lab, host)
    }

    @Test("a Linux bridge querier is heard and reported with its address and IGMP version")
    func querierHeard() throws {
        let (lab, host) = try querierLab("qok", bridgeAddress: "198.18.0.254/24")
        defer { lab.tearDown() }
        let findings = try examine(host, DoctorRequest(interfaces: ["h0"], querierWait: .seconds(3)))
        let heard = try #require(findings.first { $0.id == "querier.heard" && $0.source == "198.18.0.254" }, "findings: \(findings.map(\.summary))")
        #expect(heard.summary.contains("IGMPv3 querier 198.18.0.254 heard on h0"))
        #expect(finding("querier.rp-filter-drops", in: findings) == nil)
    }

    @Test("a querier whose address rp_filter drops is a failure, and its queries really go unanswered")
    func querierDroppedByReversePath() throws {
        let (lab, host) = try querierLab("qrpf", bridgeAddress: "203.0.113.254/24")
        defer { lab.tearDown() }
        try host.sh("sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.h0.rp_filter=1")
        let findings = try examine(host, DoctorRequest(interfaces: ["h0"], querierWait: .seconds(3)))
        #expect(findings.contains { $0.id == "querier.heard" && $0.source == "203.0.113.254" })
        let dropped = try #require(finding("querier.rp-filter-drops", in: findings))
        #expect(dropped.severity == .fail)
        #expect(dropped.fix?.hasPrefix("ip route add 203.0.113.254/32 dev h0") == true)
    }

    @Test("no querier on the link is a warning")
    func noQuerier() throws {
        let hosts = try TwoHosts("noq")
        defer { hosts.tearDown() }
        let findings = try examine(hosts.b, DoctorRequest(interfaces: ["vb"], groups: [try MulticastGroup(parsing: "239.70.0.7")], querierWait: .seconds(1)))
        let none = try #require(finding("querier.none", in: findings, interface: "vb"))
        #expect(none.severity == .warn)
        #expect(none.explanation.contains("260 s"))
    }

    @Test("joins beyond igmp_max_memberships are predicted, with the sysctl to raise")
    func maxMemberships() throws {
        let hosts = try TwoHosts("maxm")
        defer { hosts.tearDown() }
        try hosts.lab.cable(hosts.a, "va2", hosts.b, "vb2")
        try hosts.b.sh("ip addr add 198.18.5.2/24 dev vb2; sysctl -qw net.ipv4.igmp_max_memberships=1")
        let findings = try examine(hosts.b, DoctorRequest(interfaces: ["vb", "vb2"], groups: [try MulticastGroup(parsing: "239.70.0.8")]))
        let limit = try #require(finding("igmp.max-memberships", in: findings))
        #expect(limit.severity == .fail)
        #expect(limit.summary.contains("net.ipv4.igmp_max_memberships (1)"))
        #expect(limit.fix == "sysctl -w net.ipv4.igmp_max_memberships=20")
    }

    @Test("an interface without the MULTICAST flag fails, with the command that restores it")
    func noMulticastFlag() throws {
        let hosts = try TwoHosts("nomc")
        defer { hosts.tearDown() }
        try hosts.b.sh("ip link set vb multicast off")
        let findings = try examine(hosts.b, DoctorRequest(interfaces: ["vb"]))
        let flag = try #require(finding("interface.no-multicast", in: findings, interface: "vb"))
        #expect(flag.severity == .fail)
        #expect(flag.fix == "ip link set vb multicast on")
    }

    @Test("current memberships are read from /proc: who has joined what, where, with sources")
    func memberships() throws {
        let hosts = try TwoHosts("memb")
        defer { hosts.tearDown() }
        let g = try MulticastGroup(parsing: "232.70.0.9")
        let port = self.port
        let source = try IPAddress.parse(TwoHosts.addressA)
        let rx = try hosts.b.run { try McastRxSocket(groups: [g], port: port, interfaces: ["vb"], sources: [source]) }
        defer { rx.close() }
        let findings = try examine(hosts.b, DoctorRequest(interfaces: ["vb"], groups: [g]))
        let joined = try #require(finding("membership.joined", in: findings, interface: "vb"))
        #expect(joined.summary == "232.70.0.9 is joined on vb by 1 user(s) (sources: 198.18.0.1)")
    }

    @Test("a firewall rule dropping the port is found (nftables)", .enabled(if: ExternalTool.shouldRun("nft"), "nft is not installed (apt-get install nftables)"))
    func firewall() throws {
        let hosts = try TwoHosts("fw")
        defer { hosts.tearDown() }
        try hosts.b.sh("nft add table inet mcx; nft add chain inet mcx input '{ type filter hook input priority 0; }'; nft add rule inet mcx input udp dport \(port) drop")
        let findings = try examine(hosts.b, DoctorRequest(interfaces: ["vb"], port: port))
        let rule = try #require(finding("firewall.drops", in: findings))
        #expect(rule.severity == .fail)
        #expect(rule.summary.contains("UDP port \(port)"))
    }
}
