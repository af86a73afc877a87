import Foundation
import NetnsLab
import Testing

/// What one `mcexpert igmp --format json` run printed: a line per message or rejected frame,
/// then the summary.
struct IgmpRun: CustomStringConvertible {
    let status: Int32
    let output: String
    let lines: [[String: Any]]
    let summary: [String: Any]

    init(status: Int32, output: String) {
        self.status = status
        self.output = output
        var lines: [[String: Any]] = [], summary: [String: Any] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                Issue.record("not a JSON object: \(line)")
                continue
            }
            if let inner = object["summary"] as? [String: Any] { summary = inner } else { lines.append(object) }
        }
        self.lines = lines
        self.summary = summary
    }

    var description: String { output }
    var messages: [[String: Any]] { lines.filter { $0["rejected"] == nil } }
    var rejections: [[String: Any]] { lines.filter { $0["rejected"] != nil } }
    var queriers: [[String: Any]] { summary["queriers"] as? [[String: Any]] ?? [] }
    var groups: [[String: Any]] { summary["groups"] as? [[String: Any]] ?? [] }
    var findings: [[String: Any]] { summary["findings"] as? [[String: Any]] ?? [] }
    var responses: [[String: Any]] { summary["responses"] as? [[String: Any]] ?? [] }

    func querier(_ address: String) -> [String: Any]? { queriers.first { $0["address"] as? String == address } }
    func querier(version: String) -> [String: Any]? { queriers.first { $0["version"] as? String == version } }
    func group(_ group: String) -> [String: Any]? { groups.first { $0["group"] as? String == group } }
    func reporter(_ group: String, _ address: String) -> [String: Any]? {
        (self.group(group)?["reporters"] as? [[String: Any]])?.first { $0["address"] as? String == address }
    }
    func reporters(_ group: String) -> [[String: Any]] { self.group(group)?["reporters"] as? [[String: Any]] ?? [] }
    func findings(_ id: String) -> [[String: Any]] { findings.filter { $0["id"] as? String == id } }
    func response(_ group: String) -> [String: Any]? { responses.first { $0["group"] as? String == group } }
    /// Findings at `warn` or `fail`, as `id: summary`.
    var problems: [String] {
        findings.filter { ["warn", "fail"].contains($0["severity"] as? String) }.map { "\($0["id"] ?? ""): \($0["summary"] ?? "")" }
    }

    /// The messages as the tshark comparison sees them.
    var wireMessages: [MembershipCapture.Message] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return messages.compactMap { line in
            guard let text = line["time"] as? String, let date = formatter.date(from: text), let type = line["wire_type"] as? Int,
                  let source = line["source"] as? String, let groups = line["groups"] as? [String] else { return nil }
            let query = line["query"] as? [String: Any]
            let records = line["records"] as? [[String: Any]] ?? []
            let sources = (query?["sources"] as? [String] ?? []) + records.flatMap { $0["sources"] as? [String] ?? [] }
            return MembershipCapture.Message(time: date.timeIntervalSince1970, wireType: type, source: source, groups: groups, sources: sources)
        }
    }
}

/// `mcexpert igmp` against real kernels: a Linux bridge as IGMPv3/MLDv2 and IGMPv2/MLDv1
/// querier with hosts joining and leaving, queriers taking over, rp_filter dropping queries, no
/// querier at all, forged frames; tshark on the same interface as the independent decoder.
@Suite("mcexpert igmp in namespace labs", .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
struct IgmpCommandTests {
    let port = TestPorts.unique()

    /// Starts `mcexpert igmp -i INTERFACE -d SECONDS --format json` in `namespace`, runs `during`
    /// while it listens, and returns what it printed.
    func listen(_ namespace: Namespace, _ interface: String, seconds: Double, during: () throws -> Void = {}) throws -> IgmpRun {
        let process = try CLI.spawn(["igmp", "-i", interface, "-d", "\(seconds)", "--format", "json"], in: namespace)
        try during()
        let status = process.waitForExit(seconds: seconds + 20)
        let output = process.stop()
        return IgmpRun(status: status ?? -1, output: output)
    }

    /// ``listen(_:_:seconds:during:)`` on h1 of `lan` with tshark capturing h1 all the while, and
    /// the two decoders' agreement over the listen (less its first second and last 0.2 s, where
    /// the two windows differ); the agreement is checked and printed.
    func listenWithWitness(_ lan: BridgeLab, seconds: Double, label: String, during: () throws -> Void) throws -> IgmpRun {
        let capture = try MembershipCapture(lan.host(1), interface: "h1")
        let started = Date().timeIntervalSince1970
        let run = try listen(lan.host(1), "h1", seconds: seconds, during: during)
        let tshark = try capture.stop()
        let agreement = MembershipCapture.agreement(mcexpert: run.wireMessages, tshark: tshark, window: (started + 1.0)...(started + seconds - 0.2))
        #expect(agreement.onlyMcexpert.isEmpty && agreement.onlyTshark.isEmpty,
                "only mcexpert: \(agreement.onlyMcexpert)\nonly tshark: \(agreement.onlyTshark)")
        #expect(agreement.total >= 15, "\(agreement.matched)")
        print("\(label): tshark and mcexpert agree on \(agreement.total) messages: \(agreement.matched.sorted { $0.key < $1.key })")
        return run
    }

    /// After a second: h2 joins the ASM group 239.1.2.3 with `mcexpert listen` and leaves 3 s
    /// later; h3 joins the SSM group 232.1.1.1 from 198.18.0.9 and ff15::1 with Python for
    /// `h3Holds` seconds. Returns the processes, for stopping.
    func joinAndLeave(_ lan: BridgeLab, h3Holds seconds: Int) throws -> [BackgroundProcess] {
        Thread.sleep(forTimeInterval: 1)
        return [try CLI.spawn(["listen", "239.1.2.3:\(port)", "-i", "h2", "-d", "3"], in: lan.host(2)),
                try spawnPython(lan.host(3), BridgeLab.joinScript, ["h3", "\(seconds)", "232.1.1.1/198.18.0.9", "ff15::1"])]
    }

    func spawnPython(_ namespace: Namespace, _ script: String, _ arguments: [String]) throws -> BackgroundProcess {
        try namespace.spawn(["python3", "-c", script] + arguments)
    }

    func double(_ value: Any?) -> Double { (value as? Double) ?? (value as? Int).map(Double.init) ?? .nan }

    @Test("an IGMPv3/MLDv2 bridge querier, hosts joining and leaving ASM and SSM groups, one forced to IGMPv2; tshark decodes the same messages",
          .enabled(if: ExternalTool.shouldRun("tshark"), "tshark is not installed (apt-get install tshark)"))
    func igmpv3Lab() throws {
        // h1's port is a router port, so h1 also hears the IGMPv2 reports h4 sends to its group.
        let lan = try BridgeLab("igv3", hosts: 4, querier: .init(igmpVersion: 3, mldVersion: 2, intervalCentiseconds: 200, responseCentiseconds: 100),
                                routerPorts: [1])
        defer { lan.tearDown() }
        try lan.host(4).sh("sysctl -qw net.ipv4.conf.all.force_igmp_version=2 net.ipv4.conf.h4.force_igmp_version=2")
        // h1 itself holds 239.9.9.9 throughout: its answers to the queries are its own reports.
        let own = try spawnPython(lan.host(1), BridgeLab.joinScript, ["h1", "60", "239.9.9.9"])
        let forced = try spawnPython(lan.host(4), BridgeLab.joinScript, ["h4", "60", "239.1.2.5"])
        defer { own.stop(); forced.stop() }
        #expect(own.waitForOutput(containing: "joined", seconds: 10))
        var joiners: [BackgroundProcess] = []
        let run = try listenWithWitness(lan, seconds: 7, label: "igmp v3 lab") { joiners = try joinAndLeave(lan, h3Holds: 60) }
        for process in joiners { process.stop() }
        #expect(run.status == 0, "\(run)")

        let v3 = try #require(run.querier("198.18.0.254"), "\(run)")
        #expect(v3["version"] as? String == "IGMPv3" && v3["role"] as? String == "elected")
        #expect(v3["advertised_interval_s"] as? Int == 2 && v3["robustness"] as? Int == 2 && v3["max_response_ms"] as? Int == 1000)
        #expect(abs(double(v3["observed_interval_s"]) - 2) < 0.3, "observed \(v3["observed_interval_s"] ?? "nil")")
        #expect((v3["general_queries"] as? Int ?? 0) >= 3 && v3["rp_filter_drops"] as? Bool == false)
        let mld = try #require(run.querier(version: "MLDv2"), "\(run)")
        #expect((mld["address"] as? String)?.hasPrefix("fe80::") == true && mld["role"] as? String == "elected")

        let asm = try #require(run.reporter("239.1.2.3", "198.18.0.2"), "\(run)")
        #expect(asm["version"] as? String == "IGMPv3" && asm["left"] as? Bool == true && asm["this_host"] as? Bool == false)
        #expect((run.group("239.1.2.3")?["leaves"] as? Int ?? 0) >= 1)
        #expect(run.messages.contains { ($0["records"] as? [[String: Any]])?.contains { $0["type"] as? String == "TO_IN" && $0["group"] as? String == "239.1.2.3" } == true },
                "the leave is a TO_IN {} record")
        let ssm = try #require(run.reporter("232.1.1.1", "198.18.0.3"), "\(run)")
        #expect(ssm["mode"] as? String == "include" && ssm["sources"] as? [String] == ["198.18.0.9"] && ssm["left"] as? Bool == false)
        #expect(run.group("232.1.1.1")?["source_specific"] as? Bool == true)
        let v6 = try #require(run.reporters("ff15::1").first, "\(run)")
        #expect(v6["version"] as? String == "MLDv2" && v6["mode"] as? String == "exclude" && v6["left"] as? Bool == false)
        #expect(run.reporter("239.1.2.5", "198.18.0.4")?["version"] as? String == "IGMPv2", "a host forced to IGMPv2 under an IGMPv3 querier")
        let mine = try #require(run.reporter("239.9.9.9", "198.18.0.1"), "\(run)")
        #expect(mine["this_host"] as? Bool == true)
        #expect((run.response("239.9.9.9")?["answered"] as? Int ?? 0) >= 2)
        #expect(run.responses.allSatisfy { $0["missed"] as? Int == 0 && $0["suppressed"] as? Int == 0 }, "\(run.responses)")
        #expect(run.findings("querier.heard").count == 2)
        #expect(run.problems.isEmpty, "\(run.problems)")

    }

    @Test("an IGMPv2/MLDv1 bridge querier: a forced-v2 host leaves, an IGMPv1 host, SSM reported without sources, a v2 neighbour suppressing this host; tshark agrees",
          .enabled(if: ExternalTool.shouldRun("tshark"), "tshark is not installed (apt-get install tshark)"))
    func igmpv2Lab() throws {
        // h1's port is a router port: it hears every host's reports, as on a hub or a router.
        let lan = try BridgeLab("igv2", hosts: 5, querier: .init(igmpVersion: 2, mldVersion: 1, intervalCentiseconds: 200, responseCentiseconds: 100),
                                routerPorts: [1])
        defer { lan.tearDown() }
        try lan.host(2).sh("sysctl -qw net.ipv4.conf.all.force_igmp_version=2 net.ipv4.conf.h2.force_igmp_version=2")
        try lan.host(4).sh("sysctl -qw net.ipv4.conf.all.force_igmp_version=1 net.ipv4.conf.h4.force_igmp_version=1")
        let own = try spawnPython(lan.host(1), BridgeLab.joinScript, ["h1", "60", "239.5.5.5"])
        let v1Host = try spawnPython(lan.host(4), BridgeLab.joinScript, ["h4", "60", "239.1.2.4"])
        let quick = try spawnPython(lan.host(5), BridgeLab.answeringHostScript, [BridgeLab.address(5), "239.5.5.5"])
        defer { for process in [own, v1Host, quick] { process.stop() } }
        #expect(own.waitForOutput(containing: "joined", seconds: 10) && quick.waitForOutput(containing: "ready", seconds: 10))
        var joiners: [BackgroundProcess] = []
        let run = try listenWithWitness(lan, seconds: 8, label: "igmp v2 lab") { joiners = try joinAndLeave(lan, h3Holds: 3) }
        for process in joiners { process.stop() }
        #expect(run.status == 1, "a failure (SSM with an IGMPv2 querier) exits 1: \(run)")

        let querier = try #require(run.querier("198.18.0.254"), "\(run)")
        #expect(querier["version"] as? String == "IGMPv2" && querier["role"] as? String == "elected")
        #expect(querier["advertised_interval_s"] == nil && querier["max_response_ms"] as? Int == 1000, "IGMPv2 has no QQIC")
        #expect(abs(double(querier["observed_interval_s"]) - 2) < 0.3)
        #expect(run.querier(version: "MLDv1")?["role"] as? String == "elected", "\(run.queriers)")

        let forced = try #require(run.reporter("239.1.2.3", "198.18.0.2"), "\(run)")
        #expect(forced["version"] as? String == "IGMPv2" && forced["left"] as? Bool == true)
        #expect(run.messages.contains { $0["type"] as? String == "leave" && $0["wire_type"] as? Int == 0x17 && $0["source"] as? String == "198.18.0.2" })
        #expect(run.reporter("239.1.2.4", "198.18.0.4")?["version"] as? String == "IGMPv1", "\(run.reporters("239.1.2.4"))")
        #expect(run.messages.contains { $0["wire_type"] as? Int == 0x12 })
        #expect(run.reporter("232.1.1.1", "198.18.0.3")?["version"] as? String == "IGMPv2", "the SSM join fell back to IGMPv2")
        #expect(run.reporters("ff15::1").first?["version"] as? String == "MLDv1" && run.reporters("ff15::1").first?["left"] as? Bool == true)
        #expect(run.messages.contains { $0["wire_type"] as? Int == 132 }, "an MLDv1 done")

        let older = try #require(run.findings("querier.older-than-hosts").first { $0["interface"] as? String == "h1" && ($0["summary"] as? String)?.contains("IGMPv2") == true },
                                 "\(run.problems)")
        #expect(older["severity"] as? String == "fail")
        #expect((older["explanation"] as? String)?.contains("232.1.1.1 was reported without sources") == true)
        let suppressed = try #require(run.findings("membership.suppressed").first, "\(run.problems)\n\(run.responses)")
        #expect(suppressed["group"] as? String == "239.5.5.5" && suppressed["source"] as? String == "198.18.0.5")
        #expect(run.findings("membership.unreported").isEmpty, "\(run.problems)")

    }

    @Test("a querier with a lower address takes over from the bridge, another keeps querying beside it, irregularly")
    func takeover() throws {
        let lan = try BridgeLab("igtk", hosts: 3, querier: .init(igmpVersion: 3, mldVersion: 2, intervalCentiseconds: 100, responseCentiseconds: 50),
                                bridgeAddress: "198.18.0.10/24")
        defer { lan.tearDown() }
        try lan.host(2).sh("ip addr add 198.18.0.20/24 dev h2")
        // 198.18.0.3 (lower than the bridge) queries every second from 1.5 s on; 198.18.0.20 (higher)
        // from 3 s on, once with a 3.5 s gap. Neither takes part in elections.
        let lower = try spawnPython(lan.host(3), BridgeLab.querierScript, [BridgeLab.address(3), "3", "1", "5", "1.5"] + Array(repeating: "1", count: 10))
        let higher = try spawnPython(lan.host(2), BridgeLab.querierScript, ["198.18.0.20", "3", "1", "5", "3", "1", "3.5", "1", "1", "1"])
        defer { higher.stop(); lower.stop() }
        let run = try listen(lan.host(1), "h1", seconds: 8.5)
        #expect(run.status == 0, "\(run)")
        #expect(run.querier("198.18.0.3")?["role"] as? String == "elected", "\(run.queriers)")
        #expect(run.querier("198.18.0.10")?["role"] as? String == "stopped", "the bridge hears 198.18.0.3 and stops: \(run.queriers)")
        #expect(run.querier("198.18.0.20")?["role"] as? String == "not-elected")
        let changed = try #require(run.findings("querier.changed").first, "\(run.findings)")
        #expect(changed["severity"] as? String == "info" && changed["source"] as? String == "198.18.0.3")
        #expect((changed["summary"] as? String)?.contains("from 198.18.0.10") == true)
        let multiple = try #require(run.findings("querier.multiple").first, "\(run.problems)")
        #expect(multiple["severity"] as? String == "warn" && multiple["source"] as? String == "198.18.0.3")
        let irregular = try #require(run.findings("querier.irregular-interval").first, "\(run.problems)")
        #expect(irregular["source"] as? String == "198.18.0.20")
    }

    @Test("a querier whose queries this host's rp_filter drops: a failure, the groups go unreported, and the printed fix makes the host answer")
    func reversePathFilter() throws {
        let lan = try BridgeLab("igrp", hosts: 2, querier: .init(igmpVersion: 3, mldVersion: 2, intervalCentiseconds: 200, responseCentiseconds: 100),
                                bridgeAddress: "203.0.113.254/24")
        defer { lan.tearDown() }
        let h1 = lan.host(1)
        try h1.sh("sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.h1.rp_filter=1")
        let own = try spawnPython(h1, BridgeLab.joinScript, ["h1", "60", "239.1.2.3"])
        defer { own.stop() }
        #expect(own.waitForOutput(containing: "joined", seconds: 10))
        let before = try listen(h1, "h1", seconds: 5)
        #expect(before.status == 1, "\(before)")
        #expect(before.querier("203.0.113.254")?["rp_filter_drops"] as? Bool == true)
        let dropped = try #require(before.findings("querier.rp-filter-drops").first, "\(before.problems)")
        #expect(dropped["severity"] as? String == "fail")
        let fix = try #require(dropped["fix"] as? String)
        #expect(fix.hasPrefix("ip route add 203.0.113.254/32 dev h1    # or: sysctl -w net.ipv4.conf.all.rp_filter=0"))
        let unreported = try #require(before.findings("membership.unreported").first, "\(before.problems)")
        #expect(unreported["group"] as? String == "239.1.2.3" && unreported["fix"] as? String == fix)
        #expect((before.response("239.1.2.3")?["missed"] as? Int ?? 0) >= 1, "\(before.responses)")

        try h1.sh(try #require(fix.components(separatedBy: "    #").first))
        let after = try listen(h1, "h1", seconds: 5)
        #expect(after.status == 0, "\(after)")
        #expect(after.findings("querier.rp-filter-drops").isEmpty && after.findings("membership.unreported").isEmpty, "\(after.problems)")
        #expect((after.response("239.1.2.3")?["answered"] as? Int ?? 0) >= 1)
        #expect(after.reporter("239.1.2.3", "198.18.0.1")?["this_host"] as? Bool == true)
    }

    @Test("no querier: a warning for IGMP and MLD that says when the membership heard expires on snooping switches")
    func noQuerier() throws {
        let lan = try BridgeLab("ignq", hosts: 2, querier: nil)
        defer { lan.tearDown() }
        var joiner: BackgroundProcess?
        let run = try listen(lan.host(1), "h1", seconds: 2.5) {
            Thread.sleep(forTimeInterval: 0.7)
            joiner = try spawnPython(lan.host(2), BridgeLab.joinScript, ["h2", "30", "239.1.2.3"])
        }
        joiner?.stop()
        #expect(run.status == 0, "\(run)")
        #expect(run.queriers.isEmpty)
        let none = run.findings("querier.none")
        #expect(Set(none.compactMap { $0["summary"] as? String }.map { $0.components(separatedBy: " in ").first ?? "" })
                == ["no IGMP querier heard on h1", "no MLD querier heard on h1"], "\(run.problems)")
        let igmp = try #require(none.first { ($0["summary"] as? String)?.contains("IGMP") == true })
        let explanation = try #require(igmp["explanation"] as? String)
        #expect(explanation.contains("260 s after its last report") && explanation.contains("239.1.2.3 (last reported") && explanation.contains("expires in about 25"),
                "\(explanation)")
        #expect(run.reporter("239.1.2.3", "198.18.0.2")?["mode"] as? String == "exclude")
    }

    @Test("forged and malformed frames are rejected and counted by reason, never shown as a querier or a member")
    func forgedFrames() throws {
        let hosts = try TwoHosts("igfg")
        defer { hosts.tearDown() }
        typealias F = CraftedFrame
        var badChecksum = F.ipv4(F.igmpQuery(), source: "198.18.0.66")
        badChecksum[badChecksum.count - 1] ^= 1
        var badHeader = F.ipv4(F.igmpQuery(v3: false), source: "198.18.0.67")
        badHeader[10] ^= 0x40
        var overlong = F.igmpV3Report([(1, "232.1.1.1", ["198.18.0.9"])])
        overlong[11] = 9
        var truncated = F.ipv4(F.igmpQuery(v3: false), source: "198.18.0.68")
        truncated[3] = 200
        truncated[10...11] = [0, 0]
        truncated[10...11] = F.checksum(Array(truncated[0..<24]))[...]
        let frames: [(packet: [UInt8], reason: String)] = [
            (badChecksum, "checksum"),
            (badHeader, "ip-header-checksum"),
            (F.ipv4(F.igmpQuery(v3: false), ttl: 64, source: "10.9.9.9", routerAlert: false), "ttl-not-1"),
            (F.ipv4(F.igmpQuery(), source: "198.18.0.69", routerAlert: false), "no-router-alert"),
            (F.ipv4(F.igmpQuery(v3: false), source: "239.1.1.1"), "bad-source"),
            (F.ipv4(F.igmpMembership(0x16, group: "239.1.2.3"), source: "198.18.0.70", destination: "239.9.9.9"), "bad-destination"),
            (F.ipv4(overlong, source: "198.18.0.71", destination: "224.0.0.22"), "bad-length"),
            (truncated, "truncated"),
            (F.ipv4([0x13, 0, 0, 0, 0, 0, 0, 0], source: "198.18.0.72"), "other-type"),
            (F.ipv6(F.mldQuery(), source: "2001:db8::66"), "bad-source"),
            (F.ipv6(F.mldQuery(), hopLimit: 255, source: "fe80::66"), "ttl-not-1"),
        ]
        let run = try listen(hosts.b, "vb", seconds: 3) {
            Thread.sleep(forTimeInterval: 0.8)
            let injector = try spawnPython(hosts.a, BridgeLab.injectorScript, ["va"] + frames.map { $0.packet.map { String(format: "%02x", $0) }.joined() })
            #expect(injector.waitForExit(seconds: 10) == 0, "\(injector.output)")
        }
        #expect(run.status == 0, "\(run)")
        var expected: [String: Int] = [:]
        for frame in frames { expected[frame.reason, default: 0] += 1 }
        #expect(run.summary["rejected"] as? [String: Int] == expected, "\(run.summary["rejected"] ?? "nil")")
        #expect(run.rejections.count == frames.count)
        #expect(run.rejections.contains { $0["rejected"] as? String == "checksum" && $0["source"] as? String == "198.18.0.66" && $0["wire_type"] as? Int == 0x11 })
        #expect(run.queriers.isEmpty, "never a querier: \(run.queriers)")
        #expect(!run.groups.contains { ["239.1.2.3", "232.1.1.1"].contains($0["group"] as? String) }, "never a member")
        let finding = try #require(run.findings("igmp.rejected").first)
        #expect(finding["severity"] as? String == "warn")
        #expect((finding["summary"] as? String)?.hasPrefix("\(frames.count) IGMP/MLD frames rejected as malformed or forged") == true)
    }

    @Test("an interface whose name holds escape bytes and shell syntax: text output shows it escaped, JSON carries it raw")
    func hostileInterfaceName() throws {
        let hosts = try TwoHosts("ighn")
        defer { hosts.tearDown() }
        let name = "e\u{1b}]0;x\u{07}$(id)", printfName = "\"$(printf 'e\\033]0;x\\007$(id)')\""
        try hosts.b.sh("ip link add name \(printfName) type veth peer name hpeer && ip link set hpeer up && ip link set \(printfName) up && ip addr add 198.51.100.1/24 dev \(printfName)")
        var bad = CraftedFrame.generalQueryV3(from: "198.51.100.66")
        bad[bad.count - 1] ^= 1
        let frames = [CraftedFrame.generalQueryV3(from: "198.51.100.254"), bad].map { $0.map { String(format: "%02x", $0) }.joined() }
        for format in ["text", "json"] {
            let process = try CLI.spawn(["igmp", "-i", name, "-d", "2", "--format", format], in: hosts.b)
            Thread.sleep(forTimeInterval: 0.7)
            let injector = try spawnPython(hosts.b, BridgeLab.injectorScript, ["hpeer"] + frames)
            #expect(injector.waitForExit(seconds: 10) == 0, "\(injector.output)")
            let status = process.waitForExit(seconds: 20)
            let output = process.stop()
            #expect(status == 0, "\(output)")
            #expect(!output.unicodeScalars.contains { $0 == "\u{1b}" || $0 == "\u{07}" }, "no raw escape reaches the terminal: \(output)")
            if format == "text" {
                #expect(output.contains("e\\x1B]0;x\\x07$(id)  IGMPv3 query   198.51.100.254 > 224.0.0.1"), "\(output)")
                #expect(output.contains("rejected       IGMP type 17 from 198.51.100.66: checksum wrong"), "\(output)")
            } else {
                let run = IgmpRun(status: status ?? -1, output: output)
                #expect(run.querier("198.51.100.254")?["interface"] as? String == name, "\(run.queriers)")
                #expect(run.rejections.first?["interface"] as? String == name)
            }
        }
    }

    @Test("without CAP_NET_RAW: one clear line and exit status 77")
    func withoutCapability() throws {
        let lab = try Lab("igcap")
        defer { lab.tearDown() }
        let ns = try lab.namespace("c")
        let result = try Shell.capture(["ip", "netns", "exec", ns.name, "setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw", "--",
                                        MCExpertBinary.path, "igmp", "-d", "1"], timeout: 30)
        #expect(result.status == 77, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.hasPrefix("mcexpert: listening to IGMP/MLD needs CAP_NET_RAW (a packet socket): run it as root"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

/// `mcexpert igmp`'s command line: help with examples, and every bad value refused in one line.
@Suite("mcexpert igmp command line")
struct IgmpCommandLineTests {
    @Test("--help explains the command and shows examples")
    func help() throws {
        let result = try CLI.run(["igmp", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:") && result.stdout.contains("sudo mcexpert igmp -i eth0 --duration 130"))
        #expect(result.stdout.contains("--format") && result.stdout.contains("CAP_NET_RAW"))
        #expect(try CLI.run(["--help"]).stdout.contains("igmp"))
    }

    @Test("bad durations, formats and interfaces exit 2 with one line", arguments: [
        (["--duration", "0"], "--duration 0 is out of range"), (["--duration", "nan"], "is not a number"),
        (["--duration", "1e300"], "is out of range"), (["--duration=-5"], "out of range"), (["--format", "xml"], "xml"),
        (["-i", "no-such-if0"], "interface \"no-such-if0\" not found"),
    ])
    func badValues(arguments: [String], message: String) throws {
        let result = try CLI.run(["igmp", "-d", "1"] + arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
