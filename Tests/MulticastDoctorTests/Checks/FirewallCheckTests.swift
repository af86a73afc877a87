import MulticastDoctor
import MulticastExpert
import Testing

/// Firewall rules in nft and iptables-save text: what drops multicast, and how the fix names the rule.
@Suite("Doctor: firewall check")
struct FirewallCheckTests {
    let host = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"])

    static let nftDropsPort = """
        table inet mcx { # handle 3
        \tchain input { # handle 1
        \t\ttype filter hook input priority filter; policy accept;
        \t\tudp dport 5000 drop # handle 2
        \t}
        }
        """

    @Test("nftables: a rule dropping the port fails, and the fix deletes it by family, table, chain and handle")
    func nftPortDrop() throws {
        let findings = try examine(host.firewallListings(nftables: .listed(Self.nftDropsPort)), DoctorRequest(interfaces: ["eth1"], port: 5000))
        let drop = try #require(findings.first("firewall.drops"))
        #expect(drop.severity == .fail)
        #expect(drop.summary == "nftables drops UDP port 5000: udp dport 5000 drop")
        #expect(drop.fix?.hasPrefix("nft delete rule inet mcx input handle 2") == true)
        #expect(findings.first("firewall.ok") == nil)
    }

    @Test("the same rule is not a finding when the request is about another port")
    func otherPort() throws {
        let findings = try examine(host.firewallListings(nftables: .listed(Self.nftDropsPort)), DoctorRequest(interfaces: ["eth1"], port: 6000))
        #expect(findings.first("firewall.drops") == nil)
        #expect(findings.first("firewall.ok")?.summary == "no firewall rule found that drops IGMP, MLD, multicast or UDP port 6000")
    }

    @Test("nftables: an input chain with policy drop warns")
    func nftPolicyDrop() throws {
        let ruleset = """
            table inet filter {
            \tchain input {
            \t\ttype filter hook input priority filter; policy drop;
            \t}
            }
            """
        let policy = try #require(try examine(host.firewallListings(nftables: .listed(ruleset)), DoctorRequest(interfaces: ["eth1"], port: 5000)).first("firewall.input-policy-drop"))
        #expect(policy.severity == .warn)
        #expect(policy.fix?.contains("udp dport 5000 accept") == true)
    }

    @Test("iptables-save: dropping IGMP fails, named by table, chain and position; a DROP policy on INPUT warns")
    func iptables() throws {
        let save = """
            *filter
            :INPUT DROP [0:0]
            -A INPUT -p tcp --dport 22 -j ACCEPT
            -A INPUT -p igmp -j DROP
            COMMIT
            """
        let findings = try examine(host.firewallListings(iptables: .listed(save)), DoctorRequest(interfaces: ["eth1"]))
        let drop = try #require(findings.first("firewall.drops"))
        #expect(drop.summary.hasPrefix("iptables-save drops IGMP"))
        #expect(drop.fix?.hasPrefix("iptables -t filter -D INPUT 2    #") == true)
        #expect(findings.first("firewall.input-policy-drop")?.severity == .warn)
    }

    @Test("ip6tables-save: dropping MLD (ICMPv6 130) fails with an ip6tables fix")
    func ip6tablesMLD() throws {
        let save = """
            *filter
            :INPUT ACCEPT [0:0]
            -A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 130 -j DROP
            COMMIT
            """
        let drop = try #require(try examine(host.firewallListings(ip6tables: .listed(save)), DoctorRequest(interfaces: ["eth1"])).first("firewall.drops"))
        #expect(drop.summary.hasPrefix("ip6tables-save drops MLD"))
        #expect(drop.fix?.hasPrefix("ip6tables -t filter -D INPUT 1") == true)
    }

    @Test("a rule dropping multicast by address range or packet type fails")
    func multicastDrop() throws {
        let ruleset = "table ip f {\n\tchain input {\n\t\tip daddr 224.0.0.0/4 drop # handle 4\n\t\tpkttype multicast drop # handle 5\n\t}\n}"
        let drops = try examine(host.firewallListings(nftables: .listed(ruleset)), DoctorRequest(interfaces: ["eth1"])).with("firewall.drops")
        #expect(drops.count == 2)
        #expect(drops.allSatisfy { $0.summary.hasPrefix("nftables drops multicast") })
    }

    @Test("a listing tool that timed out is reported; rules of the others are still checked")
    func timedOut() throws {
        let findings = try examine(host.firewallListings(nftables: .timedOut, iptables: .listed("*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n")), DoctorRequest(interfaces: ["eth1"]))
        let timeout = try #require(findings.first("firewall.tool-timeout"))
        #expect(timeout.summary == "nft did not finish within 3 s and was stopped: nftables rules not checked")
        #expect(findings.first("firewall.unknown") == nil)
    }

    @Test("no listing tool at all: the firewall is unknown; an empty ruleset is ok")
    func noToolAndEmpty() throws {
        #expect(try examine(host, DoctorRequest(interfaces: ["eth1"])).first("firewall.unknown")?.severity == .info)
        let empty = try examine(host.firewallListings(nftables: .listed(""), iptables: .failed), DoctorRequest(interfaces: ["eth1"]))
        #expect(empty.first("firewall.ok")?.severity == .ok)
    }

    @Test("a tool that is installed but cannot list is said so, and is not read as an empty ruleset")
    func failedListing() throws {
        let failed = try examine(host.firewallListings(nftables: .failed, iptables: .failed), DoctorRequest(interfaces: ["eth1"]))
        #expect(failed.first("firewall.tool-failed")?.summary == "nft is installed but could not list the rules: nftables rules not checked")
        #expect(failed.first("firewall.ok") == nil, "nothing was listed, so nothing is known to be fine")
        #expect(failed.first("firewall.unknown") == nil)
        let partly = try examine(host.firewallListings(nftables: .listed(""), iptables: .failed), DoctorRequest(interfaces: ["eth1"]))
        #expect(partly.first("firewall.ok") != nil && partly.first("firewall.tool-failed") != nil)
    }
}
