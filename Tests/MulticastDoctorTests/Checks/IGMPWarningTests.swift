@testable import MulticastDoctor
import MulticastExpert
import NetnsLab
import Testing

/// The warnings derived from the IGMP/MLD state: each one from a crafted conversation, with
/// its explanation and fix.
@Suite("IGMP/MLD warnings")
struct IGMPWarningTests {
    typealias F = CraftedFrame

    func findings(_ state: IGMPState, at seconds: Double, families: [AddressFamily] = [.ipv4]) -> [Finding] {
        state.findings(at: at(seconds), families: families)
    }

    @Test("no querier: a warning per family that says when the memberships heard expire (260 s after their last report)")
    func noQuerier() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts())
        state.hear(F.reportV3([(4, "239.1.2.3", [])], from: "198.18.0.2"), at: 1)
        let all = findings(state, at: 5, families: [.ipv4, .ipv6])
        let none = all.with("querier.none")
        #expect(none.map(\.summary).sorted() == ["no IGMP querier heard on eth1 in 5.0 s", "no MLD querier heard on eth1 in 5.0 s"])
        let igmp = try #require(none.first { $0.summary.contains("IGMP") })
        #expect(igmp.severity == .warn && igmp.interface == "eth1")
        #expect(igmp.explanation.contains("260 s after its last report"))
        #expect(igmp.explanation.contains("239.1.2.3 (last reported 4.0 s ago) expires in about 256.0 s"))
        let mld = try #require(none.first { $0.summary.contains("MLD") })
        #expect(mld.explanation.contains("A membership reported now expires 260 s later."))
    }

    @Test("a querier that stopped: when the memberships expire with its own timers")
    func stopped() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts())
        for t in [0.0, 1.0, 2.0] { state.hear(F.ipv4(F.igmpQuery(maxResponse: 10, qqic: 1)), at: t) }
        state.hear(F.reportV3([(2, "239.1.2.3", [])], from: "198.18.0.2"), at: 2.5)
        #expect(findings(state, at: 4).first("querier.stopped") == nil, "still querying at 4 s")
        let stopped = try #require(findings(state, at: 10).first("querier.stopped"))
        #expect(stopped.severity == .warn && stopped.source == "198.18.0.254")
        #expect(stopped.summary == "the IGMP querier on eth1 stopped: 198.18.0.254 last queried 8.0 s ago (it queried every ~1.0 s)")
        #expect(stopped.explanation.contains("3.0 s after its last report (robustness 2 × query interval 1.0 s + response time 1.0 s"))
        #expect(stopped.explanation.contains("239.1.2.3 (last reported 7.5 s ago) has expired"))
        #expect(findings(state, at: 10).first("querier.heard")?.summary == "IGMPv3 querier 198.18.0.254 heard on eth1 (3 queries, every ~1.0 s, advertised interval 1 s)")
    }

    @Test("two queriers querying side by side: a warning naming the one with the lower address; each heard line says its role")
    func multiple() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts())
        for t in stride(from: 0.0, through: 4, by: 1) {
            state.hear(F.ipv4(F.igmpQuery(maxResponse: 10, qqic: 1), source: "198.18.0.10"), at: t)
            state.hear(F.ipv4(F.igmpQuery(maxResponse: 10, qqic: 1), source: "198.18.0.20"), at: t + 0.3)
        }
        let all = findings(state, at: 4.5)
        let multiple = try #require(all.first("querier.multiple"))
        #expect(multiple.summary == "2 IGMP queriers query on eth1: 198.18.0.10 (IGMPv3), 198.18.0.20 (IGMPv3); 198.18.0.10 has the lowest address and should be the only one")
        #expect(multiple.severity == .warn && multiple.source == "198.18.0.10")
        #expect(all.with("querier.heard").map(\.summary).sorted() == [
            "IGMPv3 querier 198.18.0.10 heard on eth1 (5 queries, every ~1.0 s, advertised interval 1 s, elected)",
            "IGMPv3 querier 198.18.0.20 heard on eth1 (5 queries, every ~1.0 s, advertised interval 1 s, not elected: a querier with a lower address queries too)",
        ])
    }

    @Test("a querier with a lower address takes over: the old one stops, which is news, not a fault")
    func takeover() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts())
        for t in stride(from: 0.0, through: 3, by: 1) { state.hear(F.ipv4(F.igmpQuery(maxResponse: 10, qqic: 1), source: "198.18.0.254"), at: t) }
        for t in stride(from: 2.5, through: 9.5, by: 1) { state.hear(F.ipv4(F.igmpQuery(maxResponse: 10, qqic: 1), source: "198.18.0.5"), at: t) }
        let all = findings(state, at: 10)
        let changed = try #require(all.first("querier.changed"))
        #expect(changed.severity == .info)
        #expect(changed.summary == "198.18.0.5 took over as IGMP querier on eth1 from 198.18.0.254, which stopped 7.0 s ago (the lower address wins)")
        #expect(all.first("querier.multiple") == nil && all.first("querier.stopped") == nil)
    }

    @Test("an IGMPv2 querier with IGMPv3 hosts: SSM fails; a warning, a failure once an SSM group is in play; none for a host forced to v2")
    func olderThanHosts() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts())
        state.hear(F.ipv4(F.igmpQuery(v3: false, maxResponse: 10)), at: 0)
        state.hear(F.reportV3([(4, "239.1.2.3", [])], from: "198.18.0.3"), at: 0.5)
        let warned = try #require(findings(state, at: 1).first("querier.older-than-hosts"))
        #expect(warned.severity == .warn)
        #expect(warned.summary == "the IGMP querier 198.18.0.254 on eth1 speaks IGMPv2, older than the hosts: source-specific joins (SSM) do not work")
        #expect(warned.explanation.contains("This host speaks IGMPv3 (it is not forced to an older version) and has fallen back to IGMPv2."))
        #expect(warned.explanation.contains("198.18.0.3 sent IGMPv3 reports."))
        #expect(warned.fix == "ip link set dev BRIDGE type bridge mcast_igmp_version 3    # on the querier, when it is a Linux bridge")
        state.hear(F.reportV2("232.1.1.1", from: "198.18.0.4"), at: 0.6)
        let failed = try #require(findings(state, at: 1).first("querier.older-than-hosts"))
        #expect(failed.severity == .fail)
        #expect(failed.explanation.contains("The source-specific group 232.1.1.1 was reported without sources."))

        var forced = IGMPState(startedAt: 0, host: hostFacts(sysctls: ["net/ipv4/conf/eth1/force_igmp_version": 2]))
        forced.hear(F.ipv4(F.igmpQuery(v3: false, maxResponse: 10)), at: 0)
        forced.hear(F.reportV2("239.1.2.3", from: "198.18.0.3"), at: 0.5)
        #expect(findings(forced, at: 1).first("querier.older-than-hosts") == nil)
        #expect(findings(state, at: 1, families: [.ipv4]).first("querier.heard")?.summary.hasPrefix("IGMPv2 querier 198.18.0.254") == true)
    }

    @Test("an MLDv1 querier with MLDv2 hosts is the same failure for IPv6")
    func mldOlderThanHosts() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts(joined: ["ff3e::8000:1"], sources: ["ff3e::8000:1": ["2001:db8::9"]]))
        state.hear(F.ipv6(F.mldQuery(v2: false, maxResponse: 1000), source: "fe80::99"), at: 0)
        let finding = try #require(findings(state, at: 1, families: [.ipv6]).first("querier.older-than-hosts"))
        #expect(finding.severity == .fail, "this host has a source-specific membership")
        #expect(finding.summary.contains("speaks MLDv1"))
        #expect(finding.fix?.hasPrefix("ip link set dev BRIDGE type bridge mcast_mld_version 2") == true)
    }

    @Test("irregular intervals: a long gap, or a pace far from the advertised interval; startup queries and small jitter are fine")
    func irregular() throws {
        var gap = IGMPState(startedAt: 0, host: hostFacts())
        for t in [0.0, 1, 2, 6, 7, 8] { gap.hear(F.ipv4(F.igmpQuery(maxResponse: 10, qqic: 1), source: "198.18.0.20"), at: t) }
        let late = try #require(findings(gap, at: 8.5).first("querier.irregular-interval"))
        #expect(late.summary == "198.18.0.20 queries irregularly on eth1: a gap of 4.0 s where one every 1.0 s was expected")
        var pace = IGMPState(startedAt: 0, host: hostFacts())
        for t in [0.0, 3, 6, 9] { pace.hear(F.ipv4(F.igmpQuery(maxResponse: 10, qqic: 10)), at: t) }
        #expect(findings(pace, at: 9.5).first("querier.irregular-interval")?.summary == "198.18.0.254 on eth1 queries every ~3.0 s but advertises 10.0 s")
        var steady = IGMPState(startedAt: 0, host: hostFacts())
        for t in [0.0, 0.5, 1, 3, 5.1, 7, 9.05] { steady.hear(F.ipv4(F.igmpQuery(maxResponse: 10, qqic: 2)), at: t) }
        #expect(findings(steady, at: 9.5).first("querier.irregular-interval") == nil)
    }

    @Test("rp_filter dropping the querier: the failure with a route as fix, and the unanswered queries it causes")
    func reversePathAndUnanswered() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts(joined: ["239.1.2.3"], sysctls: ["net/ipv4/conf/all/rp_filter": 1]))
        for t in [0.0, 2.0, 4.0] { state.hear(F.ipv4(F.igmpQuery(maxResponse: 10, qqic: 2), source: "203.0.113.254"), at: t) }
        let all = findings(state, at: 6.1)
        let dropped = try #require(all.first("querier.rp-filter-drops"))
        #expect(dropped.severity == .fail && dropped.fix?.hasPrefix("ip route add 203.0.113.254/32 dev eth1    # or: sysctl -w net.ipv4.conf.all.rp_filter=0") == true)
        let unreported = try #require(all.first("membership.unreported"))
        #expect(unreported.group == "239.1.2.3" && unreported.severity == .warn)
        #expect(unreported.summary == "this host joined 239.1.2.3 on eth1 but did not report it within 1.0 s of 203.0.113.254's query (3 of 3 queries unanswered)")
        #expect(unreported.explanation.contains("reverse-path filtering"))
        #expect(unreported.fix == dropped.fix)
        #expect(all.first?.id == "querier.rp-filter-drops", "worst first")
    }

    @Test("answered queries raise nothing; a v2 neighbour's report that silences this host is a warning")
    func suppressed() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts(joined: ["239.1.2.3"]))
        state.hear(F.ipv4(F.igmpQuery(v3: false, maxResponse: 10)), at: 0)
        state.hear(F.reportV2("239.1.2.3", from: "198.18.0.1"), at: 0.3, sent: true)
        #expect(findings(state, at: 3).filter { $0.id.hasPrefix("membership.") }.isEmpty)
        state.hear(F.ipv4(F.igmpQuery(v3: false, maxResponse: 10)), at: 10)
        state.hear(F.reportV2("239.1.2.3", from: "198.18.0.3"), at: 10.01)
        let finding = try #require(findings(state, at: 13).first("membership.suppressed"))
        #expect(finding.summary == "this host's report of 239.1.2.3 on eth1 was suppressed by 198.18.0.3's report (1 of 2 queries)")
        #expect(finding.explanation.contains("report suppression, RFC 2236"))
        #expect(findings(state, at: 13).first("membership.unreported") == nil)
    }

    @Test("rejected frames and full tables are warnings; interface names in fixes are shell-quoted")
    func integrity() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts(joined: ["239.1.2.3"], sysctls: ["net/ipv4/conf/all/rp_filter": 1], name: "e$(x)"),
                              limits: IGMPLimits(queriers: 1, groups: 1))
        var bad = F.generalQueryV3(from: "198.18.0.66")
        bad[bad.count - 1] ^= 1
        state.hear(bad, at: 0.5)
        state.hear(F.ipv4(F.igmpQuery(), ttl: 64), at: 0.6)
        state.hear(F.ipv4(F.igmpQuery(maxResponse: 10), source: "203.0.113.1"), at: 1)
        state.hear(F.ipv4(F.igmpQuery(maxResponse: 10), source: "203.0.113.2"), at: 1)
        state.hear(F.reportV3([(4, "239.1.2.3", []), (4, "239.1.2.4", [])]), at: 1.5)
        let all = findings(state, at: 2)
        let rejected = try #require(all.first("igmp.rejected"))
        #expect(rejected.summary == "2 IGMP/MLD frames rejected as malformed or forged: TTL/hop limit not 1 (1), checksum wrong (1)")
        #expect(rejected.explanation.contains("The latest came from 198.18.0.254 on e$(x)."))
        #expect(all.first("querier.log-full")?.summary == "more than 1 different queriers heard: 1 further queries were not recorded")
        #expect(all.first("igmp.state-full")?.summary == "IGMP/MLD tables full: 1 messages about further groups, 0 from further reporters and 0 further sources not kept")
        #expect(all.first("querier.rp-filter-drops")?.fix?.hasPrefix("ip route add 203.0.113.1/32 dev 'e$(x)'") == true)
        #expect(all.first("querier.heard")?.interface == "e$(x)")
    }
}
