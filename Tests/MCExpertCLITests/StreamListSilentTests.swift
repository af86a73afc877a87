import Foundation
import NetnsLab
import Testing

/// `listen --streams FILE` with a stream that never sends: it is shown, with no data, in the
/// stats table, the text summary and the JSON summary; and a stream naming an interface this
/// host lacks is refused at its place in the file.
@Suite("mcexpert listen --streams: silent streams and missing interfaces")
struct StreamListSilentTests {
    let port = TestPorts.unique()

    @Test("a listed stream that never sends is in the stats table (HEALTH no data, 0 packets), the text summary and the JSON summary beside one that sends",
          .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
    func silentStreamShown() throws {
        let hosts = try TwoHosts("clsil")
        defer { hosts.tearDown() }
        let path = try StreamListCLITests.file("""
            streams:
              - {name: Live feed, group: 239.61.9.1:\(port), interface: vb}
              - {name: Down feed, group: 239.61.9.2:\(port), interface: vb}
              - {name: Down anywhere, group: "[ff15::9:62]:\(port)"}
            """)
        let sender = try CLI.spawn(["send", "239.61.9.1:\(port)", "-i", "va", "--rate", "50", "--count", "1000"], in: hosts.a)
        defer { _ = sender.stop() }
        let stats = try CLI.spawn(["listen", "--streams", path, "--duration", "2.5", "--format", "stats"], in: hosts.b)
        #expect(stats.waitForExit(seconds: 20) == 0)
        let output = stats.stop()
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("Live feed") && $0.contains("239.61.9.1:\(port)") && $0.hasSuffix(" ok") }, "\(output)")
        let down = lines.filter { $0.hasPrefix("Down feed") }
        #expect(!down.isEmpty && down.allSatisfy { $0.contains("239.61.9.2:\(port)") && $0.contains(" vb ") && $0.hasSuffix("no data") },
                "every table has the silent stream: \(output)")
        #expect(down.allSatisfy { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(6).first == "0" }, "PACKETS 0: \(output)")
        #expect(lines.contains { $0.hasPrefix("Down anywhere") && $0.contains("[ff15::9:62]:\(port)") && $0.contains(" any ") && $0.hasSuffix("no data") }, "\(output)")
        #expect(lines.contains { $0.hasPrefix("summary: ") && $0.hasSuffix("in 1 stream; 2 listed streams with no data") }, "\(output)")
        #expect(output.contains("  Down feed: 239.61.9.2:\(port) on vb: 0 packets, 0 bytes, 0 sources, no data: nothing arrived since the join"), "\(output)")
        // The table's rows in the monitor's order: group, port, interface.
        let order = lines.filter { $0.hasPrefix("Live feed") || $0.hasPrefix("Down feed") || $0.hasPrefix("Down anywhere") }.prefix(3).map { $0.prefix(9) }
        #expect(order == ["Live feed", "Down feed", "Down anyw"], "\(output)")

        let json = try CLI.spawn(["listen", "--streams", path, "--duration", "2", "--format", "json"], in: hosts.b)
        #expect(json.waitForExit(seconds: 20) == 0)
        let jsonOutput = json.stop()
        let summary = (CLI.jsonLines(jsonOutput.split(separator: "\n").filter { $0.hasPrefix("{\"summary") }.joined(separator: "\n")).last?["summary"] as? [String: Any])?["streams"] as? [[String: Any]] ?? []
        let byName = Dictionary(summary.compactMap { entry in (entry["name"] as? String).map { ($0, entry) } }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byName.keys) == ["Live feed", "Down feed", "Down anywhere"], "\(jsonOutput)")
        #expect((byName["Live feed"]?["packets"] as? Int ?? 0) > 0)
        for name in ["Down feed", "Down anywhere"] {
            let entry = byName[name] ?? [:]
            #expect(entry["packets"] as? Int == 0 && entry["bytes"] as? Int == 0 && entry["sources"] as? Int == 0 && entry["health"] as? String == "no data",
                    "\(name): \(entry)")
        }
        #expect(byName["Down feed"]?["interface"] as? String == "vb" && byName["Down anywhere"]?["interface"] as? String == "any")
    }

    @Test("a listed stream naming an interface this host lacks: exit status 2, one line with file:line:column, the field and the stream's name, for listen and tui",
          arguments: ["listen", "tui"])
    func missingInterface(command: String) throws {
        let path = try StreamListCLITests.file("""
            streams:
              - {name: Fine, group: 239.61.9.3:\(port)}
              - name: Lost "one"
                group: 239.61.9.4:\(port)
                interface: nosuch9
            """)
        let result = try CLI.run([command, "--streams", path] + (command == "listen" ? ["--duration", "1"] : []))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("mcexpert: \(path):5:16: streams[1].interface: stream \"Lost \\\"one\\\"\": interface \"nosuch9\" not found; available: "),
                "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stdout.isEmpty, "one line, nothing joined or drawn: \(result.stdout)")
    }

    @Test("an interface inherited from defaults that this host lacks is reported at the defaults' line")
    func missingDefaultInterface() throws {
        let path = try StreamListCLITests.file("defaults:\n  interface: nosuch8\nstreams:\n  - {name: A, group: 239.61.9.5:\(port)}\n")
        let result = try CLI.run(["listen", "--streams", path, "--duration", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("mcexpert: \(path):2:14: defaults.interface: stream \"A\": interface \"nosuch8\" not found"), "\(result.stderr)")
    }

    @Test("tui --help lists the eight screens, Mesh among them, and says the IGMP/MLD socket is filtered in the kernel")
    func tuiHelp() throws {
        let result = try CLI.run(["tui", "--help"])
        #expect(result.status == 0)
        let text = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("1 Interfaces, 2 Groups, 3 Inspector, 4 Doctor, 5 Memberships, 6 Send, 7 IGMP/MLD, 8 Mesh"), "\(result.stdout)")
        #expect(text.contains("only IGMP frames and IPv6 frames with a hop-by-hop header"))
        #expect(!text.contains("copy of every frame"))
    }
}
