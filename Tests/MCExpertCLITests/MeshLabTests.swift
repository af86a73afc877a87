import Foundation
import NetnsLab
import Testing

/// What one `mcexpert mesh --format json` run printed: matrix lines, then the summary.
struct MeshRun: CustomStringConvertible {
    let host: String
    let status: Int32
    let output: String
    let summary: [String: Any]

    init(host: String, status: Int32, output: String) {
        self.host = host
        self.status = status
        self.output = output
        var summary: [String: Any] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("{\"summary\"") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let inner = object["summary"] as? [String: Any] {
                summary = inner
            }
        }
        self.summary = summary
    }

    var description: String { "\(host) (exit \(status)): \(output.split(separator: "\n").last ?? "")" }
    var matrix: [String: Any] { summary["matrix"] as? [String: Any] ?? [:] }
    var participants: [[String: Any]] { matrix["participants"] as? [[String: Any]] ?? [] }
    var cells: [[String: Any]] { matrix["cells"] as? [[String: Any]] ?? [] }
    var problems: Set<String> { Set(summary["problems"] as? [String] ?? []) }
    var names: Set<String> { Set(participants.compactMap { $0["name"] as? String }) }

    func participant(_ name: String) -> [String: Any]? { participants.first { $0["name"] as? String == name } }
    func cell(_ receiver: String, _ sender: String) -> [String: Any]? {
        cells.first { $0["receiver"] as? String == receiver && $0["sender"] as? String == sender }
    }
    func int(_ value: Any?) -> Int { (value as? Int) ?? (value as? Double).map { Int($0) } ?? -1 }
}

/// `mcexpert mesh` on a switched LAN: five or more hosts on a Linux bridge with IGMP/MLD
/// snooping and a querier, each running the real binary; the whole matrix on every host, then
/// one fault at a time, each expected to break exactly its pairs on every host's matrix.
@Suite("mcexpert mesh on a bridge with snooping", .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
struct MeshLabTests {
    let port = TestPorts.unique()

    /// A LAN of `count` hosts behind a snooping bridge that queries every 2 s.
    func lan(_ tag: String, hosts count: Int = 5) throws -> BridgeLab {
        try BridgeLab(tag, hosts: count, querier: .init(igmpVersion: 3, mldVersion: 2, intervalCentiseconds: 200, responseCentiseconds: 100))
    }

    /// Starts `mcexpert mesh GROUP:PORT -i hN --name hN --format json -d SECONDS` on `hosts`
    /// (each with its `extra` arguments, after `delay` seconds), waits for all, and returns what each printed.
    func mesh(_ lan: BridgeLab, _ group: String, hosts: [Int], seconds: Double = 5, rate: Int = 10,
              extra: [Int: [String]] = [:], durations: [Int: Double] = [:], delays: [Int: Double] = [:]) throws -> [Int: MeshRun] {
        let target = group.contains(":") ? "[\(group)]:\(port)" : "\(group):\(port)"
        var processes: [(Int, BackgroundProcess)] = []
        let started = Date()
        for n in hosts.sorted(by: { (delays[$0] ?? 0) < (delays[$1] ?? 0) }) {
            let wait = (delays[n] ?? 0) - Date().timeIntervalSince(started)
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            let arguments = ["mesh", target, "-i", "h\(n)", "--name", "h\(n)", "--format", "json", "--rate", "\(rate)",
                             "-d", "\(durations[n] ?? seconds)"] + (extra[n] ?? [])
            processes.append((n, try CLI.spawn(arguments, in: lan.host(n))))
        }
        var runs: [Int: MeshRun] = [:]
        for (n, process) in processes {
            let status = process.waitForExit(seconds: (durations[n] ?? seconds) + 20) ?? -1
            runs[n] = MeshRun(host: "h\(n)", status: status, output: process.stop())
        }
        return runs
    }

    func names(_ hosts: some Sequence<Int>) -> Set<String> { Set(hosts.map { "h\($0)" }) }

    @Test("five hosts: every host shows the full matrix, every pair clean, with the TTL that arrived",
          arguments: ["239.255.77.1", "ff15::77"])
    func fullMatrix(group: String) throws {
        let lan = try lan("mesh")
        defer { lan.tearDown() }
        let runs = try mesh(lan, group, hosts: Array(1...5), extra: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, ["--expect", "5"]) }))
        for n in 1...5 {
            let run = try #require(runs[n])
            #expect(run.status == 0, "\(run)")
            #expect(run.problems.isEmpty, "\(run.host): \(run.problems)")
            #expect(run.names == names(1...5), "\(run.host): \(run.names)")
            for r in 1...5 {
                for s in 1...5 {
                    let cell = run.cell("h\(r)", "h\(s)")
                    #expect(cell != nil, "\(run.host): h\(r) hears h\(s)")
                    #expect(run.int(cell?["lost"]) == 0, "\(run.host): h\(r) loses none of h\(s)")
                    #expect(run.int(cell?["received"]) >= 30, "\(run.host): h\(r) from h\(s): \(cell ?? [:])")
                    #expect(run.int(cell?["ttl"]) == 1, "TTL 1 sent, 1 arrived on a bridge")
                    #expect(cell?["origin"] as? String == (r == n ? "measured" : "reported"))
                }
            }
            // Same kernel, same clock: the one-way latency is believed and below the round trip.
            let other = n == 1 ? 2 : 1
            let measured = run.cell("h\(n)", "h\(other)")
            #expect(measured?["clocks_agree"] as? Bool == true, "\(run.host): \(measured ?? [:])")
            #expect((measured?["rtt_ms"] as? Double).map { $0 > 0 && $0 < 100 } == true, "\(run.host): \(measured ?? [:])")
        }
        print("mesh \(group): every host sees 25 clean cells; h1's cell of h2: \(runs[1]?.cell("h1", "h2") ?? [:])")
    }

    @Test("h3's input drops h5's beacons (nftables): every host shows exactly h3 not hearing h5")
    func inputDrop() throws {
        let lan = try lan("meshnft")
        defer { lan.tearDown() }
        try lan.host(3).sh("nft add table inet mesh && nft 'add chain inet mesh input { type filter hook input priority 0; }' && "
                           + "nft add rule inet mesh input ip saddr 198.18.0.5 udp dport \(port) counter drop")
        let runs = try mesh(lan, "239.255.77.2", hosts: Array(1...5))
        for n in 1...5 {
            let run = try #require(runs[n])
            #expect(run.status == 1, "\(run)")
            #expect(run.problems == ["h3 does not hear h5"], "\(run.host): \(run.problems)")
            #expect(run.names == names(1...5), "\(run.host)")
        }
        // h3 never heard h5 but knows it from the others' reports; its row is unknown there.
        let h5 = runs[3]?.participant("h5")
        #expect(h5?["heard_directly"] as? Bool == false)
        #expect(h5?["address"] as? String == "198.18.0.5")
        let dropped = try lan.host(3).sh("nft list chain inet mesh input")
        #expect(dropped.range(of: #"packets [1-9]\d+"#, options: .regularExpression) != nil, "\(dropped)")
    }

    @Test("h2 has strict rp_filter and no route back to h4's subnet: every host shows exactly h2 not hearing h4")
    func reversePathFilter() throws {
        let lan = try lan("meshrp")
        defer { lan.tearDown() }
        // h4 sits in another subnet on the same segment; only h2 filters by reverse path.
        try lan.host(4).sh("ip addr del 198.18.0.4/24 dev h4 && ip addr add 198.19.4.4/24 dev h4")
        for n in 1...5 { try lan.host(n).sh("sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.h\(n).rp_filter=0") }
        try lan.host(2).sh("sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.h2.rp_filter=1")
        let runs = try mesh(lan, "239.255.77.3", hosts: Array(1...5))
        for n in 1...5 {
            let run = try #require(runs[n])
            #expect(run.status == 1, "\(run)")
            #expect(run.problems == ["h2 does not hear h4"], "\(run.host): \(run.problems)")
        }
        #expect(runs[1]?.participant("h4")?["address"] as? String == "198.19.4.4")
    }

    @Test("h5 sends without joining: the snooping bridge stops forwarding the group to it, and the other four show exactly h5 hearing nobody")
    func neverJoins() throws {
        let lan = try lan("meshnj")
        defer { lan.tearDown() }
        let group = "239.255.77.4"
        let runs = try mesh(lan, group, hosts: Array(1...5), seconds: 6, extra: [5: ["--no-join"]])
        let expected: Set<String> = Set((1...4).map { "h5 does not hear h\($0)" })
        for n in 1...4 {
            let run = try #require(runs[n])
            #expect(run.status == 1, "\(run)")
            #expect(run.problems == expected, "\(run.host): \(run.problems)")
            #expect(run.participant("h5")?["send_only"] as? Bool == true)
            #expect(run.int(run.cell("h\(n)", "h5")?["lost"]) == 0, "everyone hears the send-only host")
        }
        let h5 = try #require(runs[5])
        #expect(h5.status == 1 && h5.problems == ["no other participant heard"], "\(h5)")
        // The bridge's snooping table: the group goes to the four members' ports, never to p5.
        let mdb = try lan.bridge.sh("bridge mdb show dev br0")
        let ports = Set(mdb.split(separator: "\n").filter { $0.contains(group) }.compactMap { $0.split(separator: " ").drop { $0 != "port" }.dropFirst().first.map(String.init) })
        #expect(ports.isSuperset(of: ["p2", "p3", "p4"]) && !ports.contains("p5"), "\(mdb)")
    }

    @Test("20% random loss on h1 → h2 (nftables numgen at h2's input): every host shows that pair's loss, matching the rule's counters")
    func randomLossOnOneLink() throws {
        let lan = try lan("meshloss")
        defer { lan.tearDown() }
        try lan.host(2).sh("""
            nft -f - <<EOF
            table inet mesh {
              counter dropped { }
              counter passed { }
              chain input {
                type filter hook input priority 0;
                ip saddr 198.18.0.1 udp dport \(port) numgen random mod 100 < 20 counter name "dropped" drop
                ip saddr 198.18.0.1 udp dport \(port) counter name "passed"
              }
            }
            EOF
            """)
        // h2 starts first and ends last, so it listens to every beacon h1 sends.
        let runs = try mesh(lan, "239.255.77.5", hosts: Array(1...5), seconds: 6, rate: 25, extra: [2: ["--max-loss", "5"]],
                            durations: [2: 8], delays: [1: 0.5, 3: 0.5, 4: 0.5, 5: 0.5])
        func counter(_ name: String) throws -> Int {
            let listing = try lan.host(2).sh("nft list counter inet mesh \(name)")
            guard let range = listing.range(of: #"packets (\d+)"#, options: .regularExpression) else { return -1 }
            return Int(listing[range].dropFirst("packets ".count)) ?? -1
        }
        let dropped = try counter("dropped"), passed = try counter("passed")
        let truth = Double(dropped) * 100 / Double(dropped + passed)
        #expect(dropped > 0 && passed > 100, "dropped \(dropped), passed \(passed)")
        let measured = try #require(runs[2]?.cell("h2", "h1"))
        let lost = runs[2]!.int(measured["lost"]), received = runs[2]!.int(measured["received"])
        #expect(abs(received - passed) <= 1, "h2 received \(received) of h1's beacons; nft passed \(passed)")
        #expect(abs(lost - dropped) <= 2, "h2 counts \(lost) lost; nft dropped \(dropped) (a drop after the last received beacon is not a gap)")
        for n in 1...5 {
            let run = try #require(runs[n])
            let cell = run.cell("h2", "h1")
            let loss = (cell?["loss_pct"] as? Double) ?? -1
            #expect(abs(loss - truth) <= 5, "\(run.host) shows h2 losing \(loss)% of h1; nft: \(truth)%")
            let failing = run.problems.filter { !$0.hasPrefix("h2 loses") }
            #expect(failing.isEmpty, "\(run.host): only h2 ← h1 loses: \(run.problems)")
            #expect(run.problems.contains { $0.hasPrefix("h2 loses") && $0.contains("of h1's beacons") }, "\(run.host): \(run.problems)")
            for r in 1...5 {
                for s in 1...5 where !(r == 2 && s == 1) {
                    #expect(run.int(run.cell("h\(r)", "h\(s)")?["lost"]) == 0, "\(run.host): h\(r) ← h\(s)")
                }
            }
        }
        print("mesh loss: nft dropped \(dropped) and passed \(passed) (\(NumberFormatter.localizedString(from: truth as NSNumber, number: .decimal))%); h2 measured \(lost) lost, \(received) received")
    }

    @Test("h4 leaves after 3 s and h5 joins at 4.5 s: h4 is shown gone (kept) on every host that heard it, h5 appears, no pair fails")
    func lateJoinerAndLeaver() throws {
        let lan = try lan("meshjl")
        defer { lan.tearDown() }
        let runs = try mesh(lan, "239.255.77.6", hosts: Array(1...5), seconds: 8, durations: [4: 3, 5: 3.5], delays: [5: 4.5])
        for n in [1, 2, 3] {
            let run = try #require(runs[n])
            #expect(run.status == 0, "\(run)")
            #expect(run.names == names(1...5), "\(run.host): gone, not deleted")
            #expect(run.participant("h4")?["gone"] as? Bool == true, "\(run.host)")
            #expect(run.participant("h5")?["gone"] as? Bool == false, "\(run.host)")
            #expect(run.cell("h\(n)", "h4")?["gone"] as? Bool == true)
            #expect(run.int(run.cell("h\(n)", "h5")?["received"]) >= 25, "\(run.host) hears the late joiner")
        }
        let h5 = try #require(runs[5])
        #expect(h5.status == 0 && h5.names == names([1, 2, 3, 5]), "h5 came after h4 left: \(h5.names)")
        let h4 = try #require(runs[4])
        #expect(h4.status == 0 && h4.names == names(1...4), "h4 left before h5 came: \(h4.names)")
    }

    @Test("a name with terminal escapes arrives in the other host's text matrix made harmless")
    func hostileNameIsSanitised() throws {
        let lab = try Lab("meshname")
        defer { lab.tearDown() }
        let host = try lab.namespace("lo")
        let target = "239.255.77.7:\(port)"
        let evil = try CLI.spawn(["mesh", target, "-i", "lo", "--name", "\u{1B}]0;owned\u{07}\u{1B}[2Jevil", "-d", "3"], in: host)
        let seen = try CLI.run(["mesh", target, "-i", "lo", "--name", "good", "-d", "3", "--interval", "0.5"], in: host)
        _ = evil.waitForExit(seconds: 10)
        evil.stop()
        #expect(seen.status == 0, "\(seen.stdout)\n\(seen.stderr)")
        #expect(seen.stdout.contains("\\x1B]0;owned"), "the escape is shown as text: \(seen.stdout)")
        #expect(!seen.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "no escape or bell reaches the terminal")
    }

    @Test("bad input exits 2 with one line: an SSM group, --duration with --count, a name over 32 bytes, a rate out of range")
    func badInput() throws {
        for arguments in [["232.1.1.1:5000"], ["239.255.77.8:5000", "-d", "1", "-c", "5"], ["239.255.77.8:5000", "--name", String(repeating: "x", count: 33)],
                          ["239.255.77.8:5000", "--rate", "0"], ["239.255.77.8:5000", "--max-loss", "101"], ["239.255.77.8"]] {
            let result = try CLI.run(["mesh"] + arguments + ["-i", "lo"])
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.isEmpty, "\(arguments)")
        }
    }
}
