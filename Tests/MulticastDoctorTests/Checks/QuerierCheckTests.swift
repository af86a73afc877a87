import MulticastDoctor
import MulticastExpert
import Testing

/// The querier check on described listens: heard, none, dropped by rp_filter, a full log, no permission.
@Suite("Doctor: querier check")
struct QuerierCheckTests {
    let host = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"], ipv6: ["fe80::2/64"]).route("198.18.0.0/24", dev: "eth1")
    let request = DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")], querierWait: .seconds(10))

    @Test("a querier heard three times is ok, with its version, count, interval and advertised interval")
    func heard() throws {
        let listened = host.heard([("eth1", "198.18.0.1", "IGMPv3", [0, 125, 250])])
        let finding = try #require(try examine(listened, request).first("querier.heard", interface: "eth1"))
        #expect(finding.severity == .ok && finding.source == "198.18.0.1")
        #expect(finding.summary == "IGMPv3 querier 198.18.0.1 heard on eth1 (3 queries, every ~125.0 s, advertised interval 125 s)")
    }

    @Test("an IGMPv2 query without Router Alert is heard and marked")
    func withoutRouterAlert() throws {
        let listened = host.heard([("eth1", "198.18.0.1", "IGMPv2", [1])], routerAlert: false)
        let finding = try #require(try examine(listened, request).first("querier.heard"))
        #expect(finding.summary == "IGMPv2 querier 198.18.0.1 heard on eth1 (1 query, once, without the Router Alert option)")
    }

    @Test("nothing heard on an interface is a warning per family, naming how long was listened")
    func none() throws {
        let findings = try examine(host.heard([], listening: 3), DoctorRequest(interfaces: ["eth1"]))
        let none = findings.with("querier.none", interface: "eth1")
        #expect(none.map(\.summary).sorted() == ["no IGMP querier heard on eth1 in 3.0 s", "no MLD querier heard on eth1 in 3.0 s"])
        #expect(none.allSatisfy { $0.severity == .warn && $0.explanation.contains("260 s") })
    }

    @Test("a querier heard only on another interface does not count for this one")
    func otherInterface() throws {
        let two = host.interface("eth2", ipv4: ["198.18.1.2/24"]).heard([("eth2", "198.18.1.1", "IGMPv3", [0])])
        let findings = try examine(two, DoctorRequest(interfaces: ["eth1", "eth2"], groups: [group("239.1.2.3")]))
        #expect(findings.first("querier.none", interface: "eth1") != nil)
        #expect(findings.first("querier.heard", interface: "eth2") != nil)
    }

    @Test("a querier that rp_filter drops fails, with a route to it as the fix")
    func droppedByReversePath() throws {
        let strict = host.ipv4Conf("all", "rp_filter", 1).heard([("eth1", "203.0.113.254", "IGMPv3", [0, 1])])
        let findings = try examine(strict, request)
        #expect(findings.first("querier.heard")?.source == "203.0.113.254")
        let dropped = try #require(findings.first("querier.rp-filter-drops"))
        #expect(dropped.severity == .fail)
        #expect(dropped.fix?.hasPrefix("ip route add 203.0.113.254/32 dev eth1    # or: sysctl -w net.ipv4.conf.all.rp_filter=0") == true)
        #expect(findings.first?.id == "querier.rp-filter-drops", "worst first")
    }

    @Test("a querier in the subnet passes strict rp_filter; a bridge querying from 0.0.0.0 is never reverse-path checked")
    func notDropped() throws {
        let strict = host.ipv4Conf("all", "rp_filter", 1)
        #expect(try examine(strict.heard([("eth1", "198.18.0.1", "IGMPv3", [0])]), request).first("querier.rp-filter-drops") == nil)
        let bridge = try examine(strict.heard([("eth1", "0.0.0.0", "IGMPv2", [0])]), request)
        #expect(bridge.first("querier.heard")?.source == "0.0.0.0")
        #expect(bridge.first("querier.rp-filter-drops") == nil)
    }

    @Test("more queriers than the log holds: the ones heard are reported, the overflow is a warning")
    func logOverflow() throws {
        let flooded = host.heard([("eth1", "198.18.0.1", "IGMPv3", [0]), ("eth1", "198.18.0.3", "IGMPv3", [0]), ("eth1", "198.18.0.4", "IGMPv3", [1])], capacity: 1)
        let findings = try examine(flooded, request)
        #expect(findings.with("querier.heard").map(\.source) == ["198.18.0.1"])
        let full = try #require(findings.first("querier.log-full"))
        #expect(full.severity == .warn)
        #expect(full.summary == "more than 1 different queriers heard: 2 further queries were not recorded")
    }

    @Test("no packet socket: info with the command to run as root")
    func notPermitted() throws {
        let finding = try #require(try examine(host.querierListenNotPermitted(listening: 130), request).first("querier.needs-cap-net-raw"))
        #expect(finding.severity == .info)
        #expect(finding.fix == "sudo mcexpert doctor --querier-wait 130")
    }

    @Test("without a listen there are no querier findings at all")
    func notListened() throws {
        #expect(try examine(host, request).filter { $0.id.hasPrefix("querier.") }.isEmpty)
    }
}
