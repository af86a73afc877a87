import Foundation
import NetnsLab
import Testing

/// `mcexpert mesh` without a bridge: its name check, what `--count` counts, and the per-pair
/// table and duplicate problem in text, with real runs on lo in a namespace of their own.
@Suite("mcexpert mesh options and text output")
struct MeshOutputTests {
    let port = TestPorts.unique()

    @Test("an empty or whitespace-only --name exits 2 with a message saying so, before any socket is opened",
          arguments: ["", " ", "\t "])
    func emptyNameRefused(name: String) throws {
        let result = try CLI.run(["mesh", "239.255.79.1:\(port)", "-i", "lo", "--name", name, "-c", "1"])
        #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("--name is empty"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

/// Runs on lo in a namespace (needs root).
@Suite("mcexpert mesh on lo", .enabled(if: Lab.shouldRun, "needs root to build a network namespace; required when MCEXPERT_REQUIRE_NETNS=1"))
struct MeshLoopbackTests {
    let port = TestPorts.unique()

    /// The `{"summary": ...}` object of a `--format json` run.
    func summary(_ stdout: String) throws -> [String: Any] {
        let line = try #require(stdout.split(separator: "\n").last { $0.hasPrefix("{\"summary\"") }, "\(stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try #require(object["summary"] as? [String: Any])
    }

    @Test("--count N sends exactly N beacons, even at 1000 a second (it counts sends, not time): N sent, N heard on the diagonal",
          arguments: [1, 25, 200])
    func countCountsSends(count: Int) throws {
        let lab = try Lab("meshcount")
        defer { lab.tearDown() }
        let host = try lab.namespace("lo")
        let result = try CLI.run(["mesh", "239.255.79.2:\(port)", "-i", "lo", "--name", "solo", "--rate", "1000", "-c", "\(count)",
                                  "--format", "json"], in: host)
        #expect(result.status == 1, "alone: no other participant heard; \(result.stderr)")
        let summary = try summary(result.stdout)
        let matrix = try #require(summary["matrix"] as? [String: Any])
        let counters = try #require(matrix["counters"] as? [String: Any])
        #expect(counters["beacons_sent"] as? Int == count, "\(counters)")
        #expect(counters["beacon_send_failures"] as? Int == 0, "\(counters)")
        let diagonal = (matrix["cells"] as? [[String: Any]])?.first { $0["receiver"] as? String == "solo" && $0["sender"] as? String == "solo" }
        #expect(diagonal?["received"] as? Int == count, "every beacon sent came back over loopback: \(diagonal ?? [:])")
    }

    @Test("a beacon the kernel refuses (IPv6 multicast on lo in a fresh namespace: no route) is a send failure, not a beacon sent; --count still ends the run")
    func failedSendsAreNotSent() throws {
        let lab = try Lab("meshfail")
        defer { lab.tearDown() }
        let host = try lab.namespace("lo")
        let result = try CLI.run(["mesh", "[ff15::79]:\(port)", "-i", "lo", "--name", "v6", "--rate", "50", "-c", "10", "--format", "json"], in: host)
        #expect(result.status == 1, "\(result.stderr)")
        let summary = try summary(result.stdout)
        let counters = try #require((summary["matrix"] as? [String: Any])?["counters"] as? [String: Any])
        #expect(counters["beacons_sent"] as? Int == 0, "\(counters)")
        #expect(counters["beacon_send_failures"] as? Int == 10, "\(counters)")
        #expect((summary["latest_failure"] as? String)?.contains("unreachable") == true, "\(summary)")
    }

    @Test("nftables duplicates every beacon on lo: the text output's pair table shows dups equal to received for both pairs, TTL and origin, within 80 columns, and each host reports the duplicates as a problem")
    func duplicatesInPairTable() throws {
        let lab = try Lab("meshdup")
        defer { lab.tearDown() }
        let host = try lab.namespace("lo")
        let group = "239.255.79.3"
        try host.sh("nft add table ip mesh && nft 'add chain ip mesh out { type filter hook output priority 0; }' && "
                    + "nft add rule ip mesh out ip daddr \(group) udp dport \(port) counter dup to \(group) device lo")
        let beta = try CLI.spawn(["mesh", "\(group):\(port)", "-i", "lo", "--name", "beta", "--rate", "20", "-d", "3", "--format", "json"], in: host)
        let alpha = try CLI.run(["mesh", "\(group):\(port)", "-i", "lo", "--name", "alpha", "--rate", "20", "-d", "2", "--interval", "0.5"], in: host)
        _ = beta.waitForExit(seconds: 15)
        let betaOutput = beta.stop()
        #expect(alpha.status == 1, "\(alpha.stdout)\n\(alpha.stderr)")
        let final = try #require(alpha.stdout.components(separatedBy: ", final:").last)
        let lines = final.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("pairs (latency") }, "\(final)")
        #expect(lines[start + 2].split(separator: " ") == ["receiver", "sender", "recv", "lost", "loss", "dups", "latency", "jitter", "TTL", "origin"])
        let rows = lines[(start + 3)...].prefix { !$0.isEmpty }.map { $0.split(separator: " ").map(String.init) }
        #expect(rows.count == 2, "\(rows)")
        for row in rows {
            // alpha * beta 40 0 0% 40 93µs 1w 26µs 1 here   /   beta alpha 40 0 0% 40 ... 1 0.1s
            let here = row.first == "alpha"
            let numbers = Array(row.dropFirst(here ? 3 : 2))
            guard numbers.count == 9 else {
                Issue.record("a pair row has 9 figures after the names: \(row)")
                continue
            }
            #expect(Int(numbers[0]).map { $0 >= 30 } == true && numbers[1] == "0" && numbers[2] == "0%", "\(row)")
            // Every beacon comes twice; the last one's copy may land after the figures were taken.
            #expect(Int(numbers[3]).flatMap { dups in Int(numbers[0]).map { (received) in dups <= received && dups >= received - 1 } } == true,
                    "every beacon came twice: dups = received (or one fewer): \(row)")
            #expect(numbers[5] == "1w" || numbers[5] == "rtt", "latency is marked: \(row)")
            #expect(numbers[7] == "1", "TTL 1 arrived: \(row)")
            #expect(here ? numbers[8] == "here" : numbers[8].hasSuffix("s"), "origin: \(row)")
        }
        #expect(lines[start...].prefix { !$0.isEmpty }.allSatisfy { $0.count <= 80 })
        #expect(alpha.stdout.components(separatedBy: "pairs (latency").count - 1 >= 4, "the table is in every interval print too")
        #expect(final.contains("alpha receives") && final.contains("of beta's beacons twice (a loop or two paths)"), "\(final)")
        let betaSummary = try summary(betaOutput)
        #expect((betaSummary["problems"] as? [String])?.contains { $0.hasPrefix("beta receives") && $0.hasSuffix("of alpha's beacons twice (a loop or two paths)") } == true,
                "\(betaSummary["problems"] ?? [])")
        let cell = ((betaSummary["matrix"] as? [String: Any])?["cells"] as? [[String: Any]])?.first { $0["receiver"] as? String == "beta" && $0["sender"] as? String == "alpha" }
        let received = cell?["received"] as? Int ?? 0, duplicates = cell?["duplicates"] as? Int ?? -1
        #expect(received > 0 && duplicates <= received && duplicates >= received - 1, "\(cell ?? [:])")
        print("mesh duplicates: alpha's pair rows \(rows); beta's cell of alpha: \(cell ?? [:])")
    }
}
