import MulticastDoctor
import MulticastExpert
import Testing

/// The interface check on described hosts: state, carrier, MULTICAST flag, addresses, IPv6 off.
@Suite("Doctor: interface check")
struct InterfaceCheckTests {
    @Test("a named interface that is down fails with 'ip link set up'; an unnamed one is only info")
    func down() throws {
        let host = FabricatedHost().interface("eth1", flags: [.broadcast, .multicast], ipv4: ["198.18.0.2/24"])
        let named = try #require(try examine(host, DoctorRequest(interfaces: ["eth1"])).first("interface.down", interface: "eth1"))
        #expect(named.severity == .fail)
        #expect(named.fix == "ip link set eth1 up")
        #expect(try examine(host, DoctorRequest()).first("interface.down")?.severity == .info)
    }

    @Test("up without carrier is reported; a down interface is reported as down only")
    func noCarrier() throws {
        let host = FabricatedHost().interface("eth1", flags: [.up, .broadcast, .multicast], ipv4: ["198.18.0.2/24"])
        let findings = try examine(host, DoctorRequest(interfaces: ["eth1"]))
        #expect(findings.first("interface.no-carrier")?.severity == .fail)
        #expect(findings.first("interface.ok") == nil)
        let down = FabricatedHost().interface("eth1", flags: [.multicast])
        #expect(try examine(down, DoctorRequest(interfaces: ["eth1"])).first("interface.no-carrier") == nil)
    }

    @Test("no MULTICAST flag: fail when named, warn otherwise, with 'multicast on'; on lo it is normal")
    func multicastFlag() throws {
        let host = FabricatedHost().interface("eth1", flags: [.up, .running, .lowerUp], ipv4: ["198.18.0.2/24"])
        let named = try #require(try examine(host, DoctorRequest(interfaces: ["eth1"])).first("interface.no-multicast"))
        #expect(named.severity == .fail && named.fix == "ip link set eth1 multicast on")
        #expect(try examine(host, DoctorRequest()).first("interface.no-multicast")?.severity == .warn)
        let loopback = try examine(FabricatedHost(), DoctorRequest(interfaces: ["lo"]))
        #expect(loopback.first("interface.loopback-no-multicast-flag")?.severity == .info)
        #expect(loopback.first("interface.no-multicast") == nil)
    }

    @Test("no address of a family a group needs is a warning; of a family no group needs, info")
    func missingAddress() throws {
        let host = FabricatedHost().interface("eth1", ipv6: ["fe80::1/64"])
        let findings = try examine(host, DoctorRequest(interfaces: ["eth1"], groups: [group("239.1.2.3")]))
        let missing = try #require(findings.first("interface.no-ipv4"))
        #expect(missing.severity == .warn)
        #expect(missing.fix == "ip addr add ADDRESS/PREFIX dev eth1")
        #expect(findings.first("interface.ok") == nil)
        let noGroups = try examine(FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"]), DoctorRequest(interfaces: ["eth1"]))
        #expect(noGroups.first("interface.no-ipv6")?.severity == .info)
        #expect(noGroups.first("interface.ok") != nil)
    }

    @Test("disable_ipv6 on the interface or on all: fail for an IPv6 group, with the knob that did it")
    func ipv6Disabled() throws {
        let own = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"]).ipv6Conf("eth1", "disable_ipv6", 1)
        let finding = try #require(try examine(own, DoctorRequest(interfaces: ["eth1"], groups: [group("ff15::1")])).first("interface.ipv6-disabled"))
        #expect(finding.severity == .fail)
        #expect(finding.fix == "sysctl -w net.ipv6.conf.eth1.disable_ipv6=0")
        let all = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"]).ipv6Conf("all", "disable_ipv6", 1)
        let viaAll = try #require(try examine(all, DoctorRequest(interfaces: ["eth1"])).first("interface.ipv6-disabled"))
        #expect(viaAll.severity == .info, "no IPv6 group asked for")
        #expect(viaAll.fix == "sysctl -w net.ipv6.conf.all.disable_ipv6=0")
    }

    @Test("a healthy interface is ok and lists its addresses")
    func healthy() throws {
        let host = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"], ipv6: ["fd00::2/64"])
        let ok = try #require(try examine(host, DoctorRequest(interfaces: ["eth1"])).first("interface.ok"))
        #expect(ok.severity == .ok)
        #expect(ok.explanation.contains("198.18.0.2/24, fd00::2/64"))
    }
}
