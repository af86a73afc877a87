#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import MulticastDoctor
import MulticastExpert
import NetnsLab
import Testing

/// Fix commands stay paste-safe whatever the interface is called or a firewall rule says.
@Suite("Printed fixes are safe to paste")
struct PasteSafeFixTests {
    static let hostileName = "e$(x);\u{1b}[2J"

    /// Findings for a host with one interface called `name`: down, or up with strict rp_filter,
    /// a forced IGMP version and an unroutable source, so most fix commands name the interface.
    func findings(for name: String) -> [Finding] {
        let down = NetworkInterface(name: name, index: 7, flags: [.broadcast, .multicast])
        let up = NetworkInterface(name: name, index: 7, flags: [.up, .running, .lowerUp, .broadcast, .multicast],
                                  ipv4Addresses: [InterfaceAddress(address: IPAddress("198.18.0.2")!, prefixLength: 24)])
        var all: [Finding] = []
        for interface in [down, up] {
            let host = HostView(interfaces: InterfaceTable(interfaces: [interface])) { key in
                key.hasSuffix("rp_filter") ? 1 : key.hasSuffix("force_igmp_version") ? 2 : key.hasSuffix("disable_ipv6") ? 1 : nil
            }
            let request = DoctorRequest(interfaces: [], groups: [try! MulticastGroup(parsing: "239.1.2.3"), try! MulticastGroup(parsing: "ff15::1")],
                                        sources: [IPAddress("203.0.113.9")!])
            let exam = Examination(host: host, request: request, interfaces: [interface], explicitlyNamed: true)
            all += exam.interfaceFindings() + exam.reversePathFindings() + exam.routeFindings() + exam.igmpFindings()
            var heard = IGMPState(startedAt: 0)
            heard.record(IGMPMessage(interfaceIndex: 7, heardAt: 0, source: IPAddress("203.0.113.254")!, destination: IPAddress("224.0.0.1")!,
                                     version: .igmpV2, body: .query(IGMPQuery(maxResponseMilliseconds: 10_000))))
            all += exam.querierFindings(QuerierObservation(duration: .seconds(1), result: .heard(heard)))
        }
        return all
    }

    /// Runs `fix` with `sh -c` and a PATH holding only a trap program `x` (which `$(x)` would run)
    /// and a `printf`-like recorder for every command the fix names; returns whether `x` ran.
    func runsSomethingUnexpected(_ fix: String) throws -> Bool {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mcx-fix-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = directory.appendingPathComponent("ran").path
        let trap = directory.appendingPathComponent("x")
        try "#!/bin/sh\ntouch '\(marker)'\n".write(to: trap, atomically: true, encoding: .utf8)
        chmod(trap.path, 0o755)
        _ = try Shell.capture(["/usr/bin/env", "PATH=\(directory.path)", "/bin/sh", "-c", fix], timeout: 10)
        return FileManager.default.fileExists(atPath: marker)
    }

    @Test("an interface named e$(x);ESC[2J: every fix that names it quotes it, and pasting the fix runs nothing")
    func hostileInterfaceName() throws {
        let fixes = findings(for: Self.hostileName).compactMap(\.fix)
        let naming = fixes.filter { $0.contains("e$(x)") }
        #expect(naming.count >= 5, "fixes: \(fixes)")
        for fix in naming {
            #expect(!fix.contains(" e$(x)"), "the name never starts an unquoted word: \(fix)")
            let syntax = try Shell.capture(["/bin/sh", "-n", "-c", fix], timeout: 10)
            #expect(syntax.status == 0, "sh -n: \(fix)")
            #expect(try !runsSomethingUnexpected(fix), "pasting ran $(x): \(fix)")
        }
    }

    @Test("the interface name reaches the command as one intact argument")
    func tokenisation() throws {
        let fix = try #require(findings(for: Self.hostileName).first { $0.id == "interface.down" }?.fix)
        let words = try Shell.capture(["/bin/sh", "-c", "set -- \(fix); printf '%s\\n' \"$@\""], timeout: 10).stdout
        #expect(words == "ip\nlink\nset\n\(Self.hostileName)\nup\n")
    }

    @Test("free text embeds the hostile name sanitised; the interface field keeps it raw")
    func sanitisedText() {
        for finding in findings(for: Self.hostileName) where finding.interface != nil {
            #expect(finding.interface == Self.hostileName)
            #expect(!finding.summary.unicodeScalars.contains { $0 == "\u{1b}" }, "\(finding.summary)")
            #expect(!finding.explanation.unicodeScalars.contains { $0 == "\u{1b}" })
        }
    }

    @Test("an interface named eth0.100 gets sysctl names with the dot as a slash, unquoted")
    func dottedName() throws {
        let fixes = findings(for: "eth0.100").compactMap(\.fix)
        #expect(fixes.contains("ip route add 203.0.113.9/32 dev eth0.100    # or: sysctl -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0/100.rp_filter=0"), "fixes: \(fixes)")
        #expect(fixes.contains("sysctl -w net.ipv4.conf.all.force_igmp_version=0 net.ipv4.conf.eth0/100.force_igmp_version=0"))
        #expect(fixes.contains("ip link set eth0.100 up"))
        #expect(!fixes.contains { $0.contains("conf.eth0.100.") })
    }

    @Test("the slash form is what sysctl accepts for a dotted interface (checked in a namespace)", .enabled(if: Lab.shouldRun, "needs root to build network namespaces"))
    func sysctlAcceptsSlashForm() throws {
        let lab = try Lab("dotsys")
        defer { lab.tearDown() }
        let ns = try lab.namespace("n")
        try ns.sh("ip link add a.b type veth peer name c")
        try ns.sh(SysctlName.write([(SysctlName.ipv4Conf("a.b", "rp_filter"), "2")]))
        #expect(try ns.sh("cat /proc/sys/net/ipv4/conf/a.b/rp_filter") == "2\n")
    }

    @Test("ShellQuote: plain words stay, everything else is single-quoted with '\\'' for quotes")
    func shellQuote() {
        #expect(ShellQuote.word("eth0.100") == "eth0.100")
        #expect(ShellQuote.word("198.18.0.1/32") == "198.18.0.1/32")
        #expect(ShellQuote.word("") == "''")
        #expect(ShellQuote.word("a b") == "'a b'")
        #expect(ShellQuote.word("it's") == "'it'\\''s'")
        #expect(ShellQuote.word("$(reboot)") == "'$(reboot)'")
    }

    @Test("a firewall rule whose comment says $(reboot) is named by table, chain and position, never echoed into the fix")
    func firewallFixDoesNotEchoRule() throws {
        let save = """
            *filter
            :INPUT ACCEPT [0:0]
            -A INPUT -p tcp --dport 22 -j ACCEPT
            -A INPUT -p udp -m udp --dport 5000 -m comment --comment "$(reboot)" -j DROP
            COMMIT
            """
        let found = FirewallCheck.suspicious(in: save, tool: "iptables-save", port: 5000)
        let rule = try #require(found.first { $0.id == "firewall.drops" })
        let fix = try #require(rule.fix)
        #expect(fix.hasPrefix("iptables -t filter -D INPUT 2    #"), "\(fix)")
        #expect(!fix.contains("reboot"))
        #expect(rule.summary.contains("$(reboot)"), "the summary quotes the rule (sanitised), the fix does not")
        let nft = """
            table inet mcx { # handle 3
            \tchain input { # handle 1
            \t\ttype filter hook input priority filter; policy accept;
            \t\tudp dport 5000 drop comment "$(reboot)\u{1b}[2J" # handle 2
            \t}
            }
            """
        let nftRule = try #require(FirewallCheck.suspicious(in: nft, tool: "nftables", port: 5000).first { $0.id == "firewall.drops" })
        #expect(nftRule.fix?.hasPrefix("nft delete rule inet mcx input handle 2") == true, "\(nftRule.fix ?? "")")
        #expect(nftRule.fix?.contains("reboot") == false)
        #expect(!nftRule.summary.unicodeScalars.contains("\u{1b}"))
        #expect(!nftRule.summary.contains("# handle"))
    }

    @Test("a huge, infinite or NaN --rate reaching the library sizes buffers without trapping", arguments: [1e300, .infinity, .nan, -1, 1e-300, 5e8])
    func hostileRate(rate: Double) {
        let host = HostView(interfaces: InterfaceTable(interfaces: [])) { key in key.contains("rmem") ? Int.max : nil }
        let exam = Examination(host: host, request: DoctorRequest(rate: rate, datagramSize: Int.max), interfaces: [], explicitlyNamed: false)
        #expect(!exam.bufferFindings().isEmpty)
    }
}
