import MulticastDoctor
import MulticastExpert
import Testing

/// The doctor's entry point on a described host: which interfaces are examined, errors, order.
@Suite("Doctor: examination of a described host")
struct ExaminationTests {
    let host = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"]).interface("eth2", ipv4: ["198.18.1.2/24"])

    @Test("no interface named: every non-loopback interface is examined, as information")
    func defaultInterfaces() throws {
        let findings = try examine(host, DoctorRequest())
        #expect(Set(findings.with("interface.ok").compactMap(\.interface)) == ["eth1", "eth2"])
        #expect(findings.with("interface.ok", interface: "lo").isEmpty)
    }

    @Test("interfaces can be named by index or address, and a name given twice is examined once")
    func namedInterfaces() throws {
        let findings = try examine(host, DoctorRequest(interfaces: ["eth1", .index(2), "198.18.0.2"]))
        #expect(findings.with("interface.ok").compactMap(\.interface) == ["eth1"])
    }

    @Test("a named interface the host does not have throws, naming it")
    func unknownInterface() {
        #expect(throws: MulticastError.self) { try examine(host, DoctorRequest(interfaces: ["eth9"])) }
    }

    @Test("on the live host, an unknown interface fails before the querier listen starts (hang check: well under the 60 s wait)")
    func unknownInterfaceFailsFast() {
        let start = monotonicNanoseconds()
        #expect(throws: MulticastError.self) { try Doctor.examine(DoctorRequest(interfaces: ["mcx-no-such-if"], querierWait: .seconds(60))) }
        #expect(monotonicNanoseconds() - start < 20_000_000_000)
    }

    @Test("findings come worst first")
    func worstFirst() throws {
        let findings = try examine(host.ipv4Conf("eth1", "rp_filter", 1), DoctorRequest(interfaces: ["eth1"], sources: [address("203.0.113.5")]))
        #expect(findings.first?.severity == .fail)
        #expect(findings.map(\.severity) == findings.map(\.severity).sorted(by: >))
    }

    @Test("examining a described host is repeatable: the same host and request give the same findings")
    func repeatable() throws {
        let described = host.ipv4Conf("all", "rp_filter", 2).heard([("eth1", "198.18.0.1", "IGMPv3", [0, 125])])
            .firewallListings(nftables: .listed(FirewallCheckTests.nftDropsPort))
        let request = DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")], port: 5000)
        #expect(try examine(described, request) == examine(described, request))
    }
}
