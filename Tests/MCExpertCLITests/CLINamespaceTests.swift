import Foundation
import NetnsLab
import Testing

/// `mcexpert send` in one namespace, `mcexpert listen` in another, across a veth pair.
@Suite("mcexpert command line across namespaces", .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
struct CLINamespaceTests {
    let port = TestPorts.unique()

    /// Starts the listener, then sends probes for a while from A (so the join has time to happen), and returns listen's result.
    func sendAndListen(_ hosts: TwoHosts, listen: [String], send: [String]) throws -> CommandResult {
        let listener = try CLI.spawn(listen, in: hosts.b)
        let sender = try CLI.spawn(send, in: hosts.a)
        defer { sender.stop() }
        let status = listener.waitForExit(seconds: 20)
        let output = listener.stop()
        return CommandResult(status: status ?? -1, stdout: output, stderr: "", wasSignalled: status == nil)
    }

    @Test("probes sent in one namespace arrive in the other as JSON lines with group, interface and source",
          arguments: [("239.61.0.1", "198.18.0.1"), ("ff15::61", "fe80::")])
    func jsonAcrossLink(groupText: String, sourcePrefix: String) throws {
        let hosts = try TwoHosts("clij")
        defer { hosts.tearDown() }
        let target = groupText.contains(":") ? "[\(groupText)]:\(port)" : "\(groupText):\(port)"
        let result = try sendAndListen(hosts, listen: ["listen", target, "-i", "vb", "--count", "5", "--format", "json"],
                                       send: ["send", target, "-i", "va", "--rate", "50", "--count", "500", "--size", "100"])
        #expect(result.status == 0, "listen output: \(result.stdout)")
        let lines = CLI.jsonLines(result.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"") && !$0.hasPrefix("{\"summary\"") }.joined(separator: "\n"))
        #expect(lines.count == 5)
        for line in lines {
            #expect(line["group"] as? String == groupText)
            #expect(line["port"] as? Int == Int(port))
            #expect(line["interface"] as? String == "vb")
            #expect((line["source"] as? String)?.hasPrefix(sourcePrefix) == true)
            #expect((line["source_port"] as? Int).map { $0 > 0 } == true)
            #expect(line["length"] as? Int == 100)
            #expect((line["payload_hex"] as? String)?.hasPrefix("4d435850") == true, "payload starts with the probe magic MCXP")
            #expect((line["time"] as? String)?.hasSuffix("Z") == true)
        }
        let sequences = lines.compactMap { $0["probe_sequence"] as? Int }
        #expect(sequences.count == 5 && zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 + 1 })
        #expect(result.stdout.contains("lost 0 of 5 (0.00%)"))
    }

    @Test("a source-specific listen hears the named sender and not another",
          arguments: [("232.61.0.2", "198.18.0.1", "198.18.0.11"), ("ff3e::8000:61", "fd00:61::1", "fd00:61::11")])
    func sourceSpecific(groupText: String, allowed: String, other: String) throws {
        let hosts = try TwoHosts("clis")
        defer { hosts.tearDown() }
        try hosts.a.sh("ip addr add 198.18.0.11/24 dev va; ip addr add fd00:61::1/64 dev va nodad; ip addr add fd00:61::11/64 dev va nodad")
        try hosts.b.sh("ip addr add fd00:61::2/64 dev vb nodad")
        let target = groupText.contains(":") ? "[\(groupText)]:\(port)" : "\(groupText):\(port)"
        let intruder = try CLI.spawn(["send", target, "-i", other, "--rate", "100", "--message", "intruder"], in: hosts.a)
        defer { intruder.stop() }
        let result = try sendAndListen(hosts, listen: ["listen", target, "-i", "vb", "--source", allowed, "--count", "10", "--format", "json"],
                                       send: ["send", target, "-i", allowed, "--rate", "50", "--count", "500"])
        #expect(result.status == 0, "listen output: \(result.stdout)")
        let lines = CLI.jsonLines(result.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"") && !$0.hasPrefix("{\"summary\"") }.joined(separator: "\n"))
        #expect(lines.count == 10)
        #expect(lines.allSatisfy { $0["source"] as? String == allowed }, "only \(allowed) gets through")
        #expect(intruder.output.isEmpty || !intruder.output.contains("mcexpert:"), "the other sender itself ran fine: \(intruder.output)")
    }

    @Test("an IPv6 group on an interface without IPv6 is refused with a clear line")
    func ipv6OnIPv4OnlyInterface() throws {
        let hosts = try TwoHosts("cli46")
        defer { hosts.tearDown() }
        try hosts.b.sh("sysctl -qw net.ipv6.conf.vb.disable_ipv6=1")
        let result = try CLI.run(["listen", "[ff15::62]:\(port)", "-i", "vb"], in: hosts.b)
        #expect(result.status == 2)
        #expect(result.stderr == "mcexpert: interface \"vb\" has no IPv6 address; give it one (e.g. `ip addr add ... dev vb`) or choose another interface\n")
        let send = try CLI.run(["send", "[ff15::62]:\(port)", "-i", "vb", "--count", "1"], in: hosts.b)
        #expect(send.status == 2)
        #expect(send.stderr.contains("has no IPv6 address"))
    }

    @Test("socat sends, mcexpert listens (IPv4 and IPv6)", .enabled(if: ExternalTool.shouldRun("socat"), "socat is not installed (apt-get install socat)"),
          arguments: [("239.61.0.3", "UDP4-DATAGRAM:239.61.0.3:PORT,ip-multicast-if=198.18.0.1"), ("ff15::63", "UDP6-DATAGRAM:[ff15::63]:PORT,so-bindtodevice=va")])
    func socatToListen(groupText: String, socatAddress: String) throws {
        let hosts = try TwoHosts("soctx")
        defer { hosts.tearDown() }
        let target = groupText.contains(":") ? "[\(groupText)]:\(port)" : "\(groupText):\(port)"
        let address = socatAddress.replacingOccurrences(of: "PORT", with: String(port))
        let loop = try hosts.a.spawn(["sh", "-c", "for i in $(seq 100); do echo hello-from-socat | socat -u - '\(address)'; sleep 0.1; done"])
        defer { loop.stop() }
        let result = try CLI.run(["listen", target, "-i", "vb", "--count", "1", "--format", "json"], in: hosts.b, timeout: 20)
        #expect(result.status == 0, "stderr: \(result.stderr); socat: \(loop.output)")
        let line = try #require(CLI.jsonLines(result.stdout).first)
        #expect(line["payload_hex"] as? String == "68656c6c6f2d66726f6d2d736f6361740a")
        #expect(line["interface"] as? String == "vb")
    }

    @Test("mcexpert sends, socat receives (IPv4 and IPv6)", .enabled(if: ExternalTool.shouldRun("socat"), "socat is not installed (apt-get install socat)"),
          arguments: [("239.61.0.4", "UDP4-RECV:PORT,ip-add-membership=239.61.0.4:vb"), ("ff15::64", "UDP6-RECV:PORT,ipv6-join-group=[ff15::64]:vb")])
    func sendToSocat(groupText: String, socatAddress: String) throws {
        let hosts = try TwoHosts("socrx")
        defer { hosts.tearDown() }
        let target = groupText.contains(":") ? "[\(groupText)]:\(port)" : "\(groupText):\(port)"
        let receiver = try hosts.b.spawn(["socat", "-u", socatAddress.replacingOccurrences(of: "PORT", with: String(port)), "-"])
        defer { receiver.stop() }
        let sender = try CLI.spawn(["send", target, "-i", "va", "--message", "hello-to-socat", "--rate", "20", "--count", "200"], in: hosts.a)
        defer { sender.stop() }
        #expect(receiver.waitForOutput(containing: "hello-to-socat", seconds: 15), "socat printed: \(receiver.output)")
    }
}

/// `mcexpert doctor` end to end.
@Suite("mcexpert doctor command", .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
struct DoctorCommandTests {
    @Test("doctor --json lists a planted strict rp_filter failure and exits 1; the text report groups it under the interface")
    func plantedFailure() throws {
        let hosts = try TwoHosts("doccli")
        defer { hosts.tearDown() }
        try hosts.b.sh("sysctl -qw net.ipv4.conf.all.rp_filter=1")
        let json = try CLI.run(["doctor", "--iface", "vb", "--group", "239.62.0.1", "--source", "203.0.113.5", "--json"], in: hosts.b)
        #expect(json.status == 1)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let first = try #require(findings.first)
        #expect(first["severity"] as? String == "fail")
        #expect(first["id"] as? String == "rp_filter.source-dropped")
        #expect(first["interface"] as? String == "vb")
        #expect((first["fix"] as? String)?.hasPrefix("ip route add 203.0.113.5/32 dev vb") == true)
        #expect(findings.allSatisfy { ["ok", "info", "warn", "fail"].contains($0["severity"] as? String ?? "") })

        let text = try CLI.run(["doctor", "--iface", "vb", "--source", "203.0.113.5"], in: hosts.b)
        #expect(text.status == 1)
        #expect(text.stdout.hasPrefix("mcexpert doctor: 1 fail"))
        #expect(text.stdout.contains("\nvb\n  FAIL  packets from 203.0.113.5 arriving on vb are dropped"))
        #expect(!text.stdout.contains("\u{1b}["), "no colour when stdout is not a terminal")

        try hosts.b.sh("sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.vb.rp_filter=0; ip route add default dev vb")
        let healthy = try CLI.run(["doctor", "--iface", "vb", "--source", "203.0.113.5"], in: hosts.b)
        #expect(healthy.status == 0, "nothing fails any more: \(healthy.stdout)")
    }

    @Test("doctor with an unknown interface says which exist")
    func unknownInterface() throws {
        let lab = try Lab("docunk")
        defer { lab.tearDown() }
        let ns = try lab.namespace("x")
        let result = try CLI.run(["doctor", "--iface", "eth7"], in: ns)
        #expect(result.status == 2)
        #expect(result.stderr == "mcexpert: interface \"eth7\" not found; available: lo\n")
    }
}
