import MulticastDoctor
import MulticastExpert
import Testing

/// rp_filter (effective value and per-source verdicts) and accept_local on described hosts.
@Suite("Doctor: reverse-path filter and accept_local checks")
struct ReversePathCheckTests {
    /// eth1 198.18.0.2/24 and eth2 198.18.1.2/24, with routes for their subnets.
    let host = FabricatedHost()
        .interface("eth1", ipv4: ["198.18.0.2/24"]).interface("eth2", ipv4: ["198.18.1.2/24"])
        .route("198.18.0.0/24", dev: "eth1").route("198.18.1.0/24", dev: "eth2")

    @Test("the effective rp_filter is the larger of all and the interface, named with the knob that set it",
          arguments: [(0, 1, "strict (1), set by net.ipv4.conf.eth1.rp_filter"), (2, 1, "loose (2), set by net.ipv4.conf.all.rp_filter"),
                      (1, 0, "strict (1), set by net.ipv4.conf.all.rp_filter"), (0, 0, "off (0), set by net.ipv4.conf.all.rp_filter")])
    func effectiveMode(all: Int, own: Int, expected: String) throws {
        let configured = host.ipv4Conf("all", "rp_filter", all).ipv4Conf("eth1", "rp_filter", own)
        let mode = try #require(try examine(configured, DoctorRequest(interfaces: ["eth1"])).first("rp_filter.mode"))
        #expect(mode.summary.hasSuffix(expected), "\(mode.summary)")
        #expect(configured.view.effectiveReversePathFilter("eth1").value == max(all, own))
    }

    @Test("strict mode without a named source is a warning that suggests loose mode")
    func strictWithoutSource() throws {
        let strict = try #require(try examine(host.ipv4Conf("all", "rp_filter", 1), DoctorRequest(interfaces: ["eth1"])).first("rp_filter.strict"))
        #expect(strict.severity == .warn)
        #expect(strict.fix == "sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.eth1.rp_filter=2")
    }

    @Test("loose mode and no default route warns; a default route clears it")
    func looseWithoutDefault() throws {
        let loose = host.ipv4Conf("all", "rp_filter", 2)
        #expect(try examine(loose, DoctorRequest(interfaces: ["eth1"])).first("rp_filter.loose-no-default")?.severity == .warn)
        let routed = loose.route("0.0.0.0/0", dev: "eth1", via: "198.18.0.1")
        #expect(try examine(routed, DoctorRequest(interfaces: ["eth1"])).first("rp_filter.loose-no-default") == nil)
    }

    @Test("per source: off is not filtered, a route back passes, none is dropped, strict via another interface is dropped")
    func verdicts() throws {
        let request = DoctorRequest(interfaces: ["eth1"], sources: [address("198.18.0.9"), address("198.18.1.9"), address("203.0.113.5")])
        let off = try examine(host, request)
        #expect(off.with("rp_filter.source-ok").count == 3)
        #expect(off.first("rp_filter.source-ok")?.summary.contains("not reverse-path filtered") == true)

        let strict = try examine(host.ipv4Conf("eth1", "rp_filter", 1), request)
        let passes = try #require(strict.with("rp_filter.source-ok").first { $0.source == "198.18.0.9" })
        #expect(passes.summary.contains("route back: 198.18.0.0/24 dev eth1"))
        let wrong = try #require(strict.with("rp_filter.source-dropped").first { $0.source == "198.18.1.9" })
        #expect(wrong.severity == .fail && wrong.summary.contains("the route back leaves by eth2"))
        let noRoute = try #require(strict.with("rp_filter.source-dropped").first { $0.source == "203.0.113.5" })
        #expect(noRoute.summary.contains("no route back to 203.0.113.5 (rp_filter strict (1))"))
        #expect(noRoute.fix?.hasPrefix("ip route add 203.0.113.5/32 dev eth1    # or: sysctl -w") == true)

        let loose = try examine(host.ipv4Conf("all", "rp_filter", 2), request)
        #expect(Set(loose.with("rp_filter.source-ok").compactMap(\.source)) == ["198.18.0.9", "198.18.1.9"], "loose accepts any route back")
        #expect(loose.first("rp_filter.source-dropped")?.source == "203.0.113.5")
        #expect(loose.first("rp_filter.strict") == nil, "a named source gets a verdict instead of the general warning")
    }

    @Test("the host's own addresses are left to the accept_local check, and IPv6 sources are never reverse-path filtered")
    func ownAndIPv6Sources() throws {
        let findings = try examine(host.ipv4Conf("all", "rp_filter", 1),
                                   DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3"), group("ff15::1")], sources: [address("198.18.1.2"), address("fd00::9")]))
        #expect(findings.with("rp_filter.source-ok").isEmpty && findings.with("rp_filter.source-dropped").isEmpty)
        #expect(host.view.reversePathVerdict(source: address("fd00::9"), arrivingOn: "eth1") == .notFiltered)
    }

    @Test("a source that is this host's address on another interface needs accept_local: off fails with the fix")
    func acceptLocalOff() throws {
        let findings = try examine(host, DoctorRequest(interfaces: ["eth1", "eth2"], sources: [address("198.18.0.2")]))
        let off = try #require(findings.first("accept_local.off", interface: "eth2"))
        #expect(off.severity == .fail && off.source == "198.18.0.2")
        #expect(off.fix == "sysctl -w net.ipv4.conf.eth2.accept_local=1")
        #expect(findings.first("accept_local.off", interface: "eth1") == nil, "the source's own interface is not asked")
    }

    @Test("accept_local on for all or for the interface is ok, and says which knob", arguments: ["all", "eth2"])
    func acceptLocalOn(knob: String) throws {
        let findings = try examine(host.ipv4Conf(knob, "accept_local", 1), DoctorRequest(interfaces: ["eth1", "eth2"], sources: [address("198.18.0.2")]))
        let on = try #require(findings.first("accept_local.on", interface: "eth2"))
        #expect(on.severity == .ok)
        #expect(on.summary.contains("(net.ipv4.conf.\(knob).accept_local)"))
        #expect(findings.first("accept_local.off") == nil)
    }
}
