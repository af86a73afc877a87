import MulticastDoctor
import MulticastExpert
import Testing

/// Forced IGMP/MLD versions, membership limits and current memberships, on described hosts.
@Suite("Doctor: IGMP, MLD and membership checks")
struct IGMPCheckTests {
    let host = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"], ipv6: ["fd00::2/64"])

    @Test("force_igmp_version 2 warns, and fails when sources ask for source-specific joins")
    func forcedIGMP() throws {
        let forced = host.ipv4Conf("eth1", "force_igmp_version", 2)
        let plain = try #require(try examine(forced, DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")])).first("igmp.forced-version"))
        #expect(plain.severity == .warn)
        #expect(plain.summary == "IGMP is forced to version 2 on eth1")
        #expect(plain.fix == "sysctl -w net.ipv4.conf.all.force_igmp_version=0 net.ipv4.conf.eth1.force_igmp_version=0")
        let ssm = try examine(forced, DoctorRequest(interfaces: ["eth1"], groups: [group("232.1.2.3")], sources: [address("198.18.0.9")]))
        #expect(ssm.first("igmp.forced-version")?.severity == .fail)
    }

    @Test("force_igmp_version from all applies too; version 3 forced is a warning even with sources")
    func forcedIGMPFromAll() throws {
        let forced = host.ipv4Conf("all", "force_igmp_version", 3)
        let finding = try #require(try examine(forced, DoctorRequest(interfaces: ["eth1"], groups: [group("232.1.2.3")], sources: [address("198.18.0.9")])).first("igmp.forced-version"))
        #expect(finding.severity == .warn && finding.summary.contains("version 3"))
    }

    @Test("an interface that fell back to IGMPv2 (seen in /proc/net/igmp) is info, fail for source-specific joins")
    func querierFallback() throws {
        let fellBack = host.joined("224.0.0.1", on: "eth1", igmpVersion: 2)
        #expect(try examine(fellBack, DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")])).first("igmp.querier-fallback")?.severity == .info)
        let ssm = try examine(fellBack, DoctorRequest(interfaces: ["eth1"], groups: [group("232.1.2.3")], sources: [address("198.18.0.9")]))
        #expect(ssm.first("igmp.querier-fallback")?.severity == .fail)
        let v3 = host.joined("224.0.0.1", on: "eth1", igmpVersion: 3)
        #expect(try examine(v3, DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")])).first("igmp.querier-fallback") == nil)
    }

    @Test("force_mld_version 1 warns, fails with sources; 2 is fine")
    func forcedMLD() throws {
        let request = DoctorRequest(interfaces: ["eth1"], groups: [group("ff35::1")])
        let forced = try #require(try examine(host.ipv6Conf("eth1", "force_mld_version", 1), request).first("mld.forced-version"))
        #expect(forced.severity == .warn && forced.fix == "sysctl -w net.ipv6.conf.all.force_mld_version=0 net.ipv6.conf.eth1.force_mld_version=0")
        var ssm = request
        ssm.sources = [address("fd00::9")]
        #expect(try examine(host.ipv6Conf("all", "force_mld_version", 1), ssm).first("mld.forced-version")?.severity == .fail)
        #expect(try examine(host.ipv6Conf("eth1", "force_mld_version", 2), request).first("mld.forced-version") == nil)
    }

    @Test("igmp_max_memberships: fewer than the interfaces fails; fewer than groups x interfaces warns; else info")
    func maxMemberships() throws {
        let two = host.interface("eth2", ipv4: ["198.18.1.2/24"])
        let tooFew = try #require(try examine(two.sysctl("net/ipv4/igmp_max_memberships", 1), DoctorRequest(interfaces: ["eth1", "eth2"], groups: [group("239.1.2.3")])).first("igmp.max-memberships"))
        #expect(tooFew.severity == .fail && tooFew.fix == "sysctl -w net.ipv4.igmp_max_memberships=20")
        let groups = (1...11).map { group("239.1.2.\($0)") }
        let tight = try #require(try examine(two.sysctl("net/ipv4/igmp_max_memberships", 20), DoctorRequest(interfaces: ["eth1", "eth2"], groups: groups)).first("igmp.max-memberships"))
        #expect(tight.severity == .warn && tight.fix == "sysctl -w net.ipv4.igmp_max_memberships=22")
        let plenty = try examine(two.sysctl("net/ipv4/igmp_max_memberships", 20), DoctorRequest(interfaces: ["eth1", "eth2"], groups: [group("239.1.2.3")]))
        #expect(plenty.first("igmp.max-memberships")?.severity == .info)
        #expect(try examine(two, DoctorRequest(interfaces: ["eth1"])).first("igmp.max-memberships") == nil, "an unreadable limit makes no finding")
    }

    @Test("more IPv4 sources than igmp_max_msf fails with the sysctl to raise")
    func maxSourceFilters() throws {
        let limited = host.sysctl("net/ipv4/igmp_max_msf", 2)
        let sources = ["198.18.0.7", "198.18.0.8", "198.18.0.9"].map(address)
        let msf = try #require(try examine(limited, DoctorRequest(interfaces: ["eth1"], groups: [group("232.1.2.3")], sources: sources)).first("igmp.max-msf"))
        #expect(msf.severity == .fail && msf.fix == "sysctl -w net.ipv4.igmp_max_msf=3")
        #expect(try examine(limited, DoctorRequest(interfaces: ["eth1"], groups: [group("232.1.2.3")], sources: Array(sources.prefix(2)))).first("igmp.max-msf") == nil)
    }

    @Test("memberships: nobody joined is info; each holder is listed with its users and sources")
    func memberships() throws {
        let none = try #require(try examine(host, DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")])).first("membership.none"))
        #expect(none.severity == .info && none.group == "239.1.2.3")
        let joined = host.joined("232.1.2.3", on: "eth1", users: 2, igmpVersion: 3, sources: ["198.18.0.9", "198.18.0.10"])
        let holder = try #require(try examine(joined, DoctorRequest(interfaces: ["eth1"], groups: [group("232.1.2.3")])).first("membership.joined", interface: "eth1"))
        #expect(holder.summary == "232.1.2.3 is joined on eth1 by 2 user(s) (sources: 198.18.0.9, 198.18.0.10)")
    }
}
