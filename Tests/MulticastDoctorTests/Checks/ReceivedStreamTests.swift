import MulticastDoctor
import MulticastExpert
import Testing

/// The checks with live streams as input: a group arriving on an interface proves the path it
/// took works, so no finding may warn about that path, and no two findings may say opposite
/// things about one property.
@Suite("Doctor: findings agree with the received streams")
struct ReceivedStreamTests {
    /// `mcexpert tui --demo` in a fresh namespace (`unshare --net`): lo only, no routes at all,
    /// and the demo's probes to 239.255.77.1 sent on lo (naming it) and received on lo.
    let demoHost = FabricatedHost()
    let demoGroup = "239.255.77.1"
    /// What the TUI asks for in the demo: the subscription's interface and group.
    var demoRequest: DoctorRequest { DoctorRequest(interfaces: ["lo"], groups: [group(demoGroup)]) }

    /// Pairs of findings that say opposite things about one property of one interface or group.
    func contradictions(_ findings: [Finding]) -> [(Finding, Finding)] {
        var pairs: [(Finding, Finding)] = []
        for a in findings {
            for b in findings {
                // The OK of an interface claims multicast works while another finding says its flag is missing.
                if a.id == "interface.ok", a.summary.contains("multicast"), a.interface == b.interface,
                   ["interface.loopback-no-multicast-flag", "interface.no-multicast"].contains(b.id) { pairs.append((a, b)) }
                // lo is and is not fit for a group.
                if a.id == "loopback.route-ok" || a.id == "loopback.receiving", b.id.hasPrefix("loopback."), b.id != a.id, a.group == b.group {
                    pairs.append((a, b))
                }
                // A group is routed somewhere and nowhere.
                if a.id == "route.group", b.id == "route.group-unroutable", a.group == b.group { pairs.append((a, b)) }
            }
        }
        return pairs
    }

    /// Warnings and failures about a received group, or about the interface it arrives on.
    func warningsAgainst(_ received: [(group: String, interface: String)], in findings: [Finding]) -> [Finding] {
        findings.filter { finding in
            finding.severity >= .warn && received.contains { finding.group == $0.group || finding.interface == $0.interface }
        }
    }

    @Test("before: without the live stream, the demo gets the warnings the issue quotes (the checks still find what is missing)")
    func demoWithoutStream() throws {
        let findings = try examine(demoHost, demoRequest)
        #expect(findings.first("loopback.no-route")?.severity == .warn)
        #expect(findings.first("route.group-unroutable")?.severity == .warn)
        #expect(findings.first("interface.loopback-no-multicast-flag")?.severity == .info)
        #expect(findings.first("interface.ok", interface: "lo")?.summary == "lo is up", "no claim that lo supports multicast beside 'no MULTICAST flag'")
        #expect(contradictions(findings).isEmpty, "\(contradictions(findings).map { ($0.0.summary, $0.1.summary) })")
    }

    @Test("the demo's own stream on lo: no warning contradicts it, lo's multicast is one OK, and the route to add is still named")
    func demoWithItsStream() throws {
        let findings = try examine(demoHost.receiving(demoGroup, on: "lo"), demoRequest)
        let against = warningsAgainst([(demoGroup, "lo")], in: findings)
        #expect(against.isEmpty, "warnings about the path the stream uses: \(against.map(\.summary))")
        #expect(contradictions(findings).isEmpty, "\(contradictions(findings).map { ($0.0.summary, $0.1.summary) })")

        let receiving = try #require(findings.first("loopback.receiving"))
        #expect(receiving.severity == .ok && receiving.interface == "lo" && receiving.group == demoGroup)
        #expect(receiving.summary == "239.255.77.1 arrives on lo: loopback multicast works")
        #expect(receiving.explanation.contains("ip route add 239.255.77.0/24 dev lo"), "what senders that rely on routes need: \(receiving.explanation)")
        #expect(findings.first("loopback.no-route") == nil)

        #expect(findings.first("interface.loopback-no-multicast-flag") == nil, "one finding about lo's multicast, not two")
        #expect(findings.with("interface.ok", interface: "lo").map(\.summary) == ["lo is up and carries multicast; 239.255.77.1 arrives on it"])

        let unroutable = try #require(findings.first("route.group-unroutable"))
        #expect(unroutable.severity == .info, "its sender names lo, so only other senders miss the route")
        #expect(unroutable.summary.hasPrefix("no route for 239.255.77.1: it arrives on lo, but"))
        #expect(findings.filter { $0.severity >= .warn }.map(\.id) == ["route.no-default"], "only the host's missing default route is left to warn about")
    }

    @Test("a group received on lo with a route to lo: the OK says route-relying senders reach it too")
    func demoWithRoute() throws {
        let findings = try examine(demoHost.route("239.255.77.0/24", dev: "lo").receiving(demoGroup, on: "lo"), demoRequest)
        #expect(findings.first("loopback.receiving")?.explanation.contains("Senders that do not name an interface reach it too") == true)
        #expect(findings.first("loopback.route-ok") == nil && findings.first("loopback.no-route") == nil)
        #expect(contradictions(findings).isEmpty)
    }

    @Test("an IPv6 group received on lo is not said to be impossible there")
    func ipv6OnLoopback() throws {
        let request = DoctorRequest(interfaces: ["lo"], groups: [group("ff15::77")])
        #expect(try examine(demoHost, request).first("loopback.ipv6-scope")?.severity == .fail, "without traffic the scope rule stands")
        let findings = try examine(demoHost.receiving("ff15::77", on: "lo"), request)
        #expect(findings.first("loopback.ipv6-scope") == nil)
        #expect(findings.first("loopback.receiving")?.severity == .ok)
        #expect(warningsAgainst([("ff15::77", "lo")], in: findings).isEmpty)
    }

    @Test("an interface without the MULTICAST flag that receives a group is worth knowing, not a failure")
    func flaglessButReceiving() throws {
        let host = FabricatedHost().interface("eth1", flags: [.up, .running, .lowerUp], ipv4: ["198.18.0.2/24"]).route("0.0.0.0/0", dev: "eth1")
        let request = DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")])
        #expect(try examine(host, request).first("interface.no-multicast")?.severity == .fail)
        let finding = try #require(try examine(host.receiving("239.1.2.3", on: "eth1"), request).first("interface.no-multicast"))
        #expect(finding.severity == .info && finding.summary == "eth1 does not have the MULTICAST flag, yet 239.1.2.3 arrives on it")
        #expect(finding.fix == "ip link set eth1 multicast on")
    }

    @Test("a healthy interface's OK names what arrives on it; a missing address of the family is no warning when its group arrives")
    func healthyAndAddressless() throws {
        let host = FabricatedHost().interface("eth1", ipv6: ["fe80::1/64"]).route("0.0.0.0/0", dev: "eth1")
        let request = DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")])
        #expect(try examine(host, request).first("interface.no-ipv4")?.severity == .warn)
        let findings = try examine(host.receiving("239.1.2.3", on: "eth1"), request)
        let missing = try #require(findings.first("interface.no-ipv4"))
        #expect(missing.severity == .info && missing.summary == "eth1 has no IPv4 address: 239.1.2.3 arrives, but nothing can be sent from it")
        #expect(findings.first("interface.ok")?.summary == "eth1 is up, has carrier and supports multicast; 239.1.2.3 arrives on it")
        #expect(warningsAgainst([("239.1.2.3", "eth1")], in: findings).isEmpty)
        let two = try examine(FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"]).receiving("239.1.2.3", on: "eth1").receiving("239.1.2.4", on: "eth1"),
                              DoctorRequest(interfaces: ["eth1"]))
        #expect(two.first("interface.ok")?.summary == "eth1 is up, has carrier and supports multicast; 239.1.2.3, 239.1.2.4 arrive on it")
    }

    @Test("a stream on another interface changes nothing about lo", arguments: [true, false])
    func elsewhere(withStream: Bool) throws {
        let host = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"])
        let received = withStream ? host.receiving(demoGroup, on: "eth1") : host
        let findings = try examine(received, demoRequest)
        #expect(findings.first("loopback.no-route")?.severity == .warn)
        #expect(findings.first("interface.loopback-no-multicast-flag") != nil)
        #expect(findings.first("route.group-unroutable")?.severity == (withStream ? .info : .warn))
    }
}
