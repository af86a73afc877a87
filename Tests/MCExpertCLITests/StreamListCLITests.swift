import Foundation
import NetnsLab
import Testing

/// `listen --streams FILE`: the file's streams are joined with their own settings and shown by
/// name; a bad file is one line and exit status 2.
@Suite("mcexpert listen --streams")
struct StreamListCLITests {
    let port = TestPorts.unique()

    /// Writes a stream list to a fresh temporary file.
    static func file(_ text: String, name: String = "streams.yaml") throws -> String {
        let directory = NSTemporaryDirectory() + "mcexpert-cli-streams-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("two named streams, IPv4 and IPv6, are joined with the file's interface and payload kind and named in JSON lines and the summary",
          .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
    func joinsAndNames() throws {
        let hosts = try TwoHosts("clisl")
        defer { hosts.tearDown() }
        let path = try Self.file("""
            defaults:
              interface: vb
            streams:
              - name: News "HD" 📺
                group: 239.61.7.1:\(port)
              - name: IPv6 raw feed
                group: "[ff15::7:61]:\(port)"
                payload: raw          # probes arrive, but the file says raw: no decoding
                labels: {site: lab}
            """)
        let listener = try CLI.spawn(["listen", "--streams", path, "--count", "30", "--format", "json"], in: hosts.b)
        let v4 = try CLI.spawn(["send", "239.61.7.1:\(port)", "-i", "va", "--rate", "50", "--count", "500"], in: hosts.a)
        let v6 = try CLI.spawn(["send", "[ff15::7:61]:\(port)", "-i", "va", "--rate", "50", "--count", "500"], in: hosts.a)
        defer { _ = v4.stop(); _ = v6.stop() }
        let status = listener.waitForExit(seconds: 20)
        let output = listener.stop()
        #expect(status == 0, "listen output: \(output)")
        let objects = CLI.jsonLines(output.split(separator: "\n").filter { $0.hasPrefix("{\"") }.joined(separator: "\n"))
        let datagrams = objects.filter { $0["summary"] == nil }
        #expect(datagrams.count == 30)
        let v4Lines = datagrams.filter { $0["group"] as? String == "239.61.7.1" }
        let v6Lines = datagrams.filter { $0["group"] as? String == "ff15::7:61" }
        #expect(!v4Lines.isEmpty && !v6Lines.isEmpty, "both streams arrive: \(output)")
        #expect(v4Lines.allSatisfy { $0["name"] as? String == "News \"HD\" 📺" && $0["interface"] as? String == "vb" })
        #expect(v6Lines.allSatisfy { $0["name"] as? String == "IPv6 raw feed" && $0["interface"] as? String == "vb" })
        #expect(v4Lines.contains { $0["kind"] as? String == "probe" }, "auto detects the probes")
        #expect(v6Lines.allSatisfy { $0["kind"] as? String == "raw" && $0["probe_sequence"] == nil }, "the file's payload: raw wins over detection")
        let summary = (objects.last?["summary"] as? [String: Any])?["streams"] as? [[String: Any]] ?? []
        #expect(Set(summary.compactMap { $0["name"] as? String }) == ["News \"HD\" 📺", "IPv6 raw feed"], "\(output)")
        #expect(output.contains("  News \"HD\" 📺: 239.61.7.1:\(port) on vb: "), "the text summary names the stream: \(output)")
        #expect(output.contains("  IPv6 raw feed: [ff15::7:61]:\(port) on vb: "))
    }

    @Test("the stats table has a NAME column, and GROUP arguments join beside the file's streams",
          .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
    func statsTableAndArguments() throws {
        let hosts = try TwoHosts("clist")
        defer { hosts.tearDown() }
        let path = try Self.file("streams:\n  - {name: Named one, group: 239.61.7.2:\(port), interface: vb}\n")
        let listener = try CLI.spawn(["listen", "--streams", path, "239.61.7.3:\(port)", "-i", "vb", "--duration", "2.5", "--format", "stats"], in: hosts.b)
        let named = try CLI.spawn(["send", "239.61.7.2:\(port)", "-i", "va", "--rate", "50", "--count", "500"], in: hosts.a)
        let unnamed = try CLI.spawn(["send", "239.61.7.3:\(port)", "-i", "va", "--rate", "50", "--count", "500"], in: hosts.a)
        defer { _ = named.stop(); _ = unnamed.stop() }
        let status = listener.waitForExit(seconds: 20)
        let output = listener.stop()
        #expect(status == 0, "listen output: \(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("NAME") && $0.contains("STREAM") }, "\(output)")
        #expect(lines.contains { $0.hasPrefix("Named one") && $0.contains("239.61.7.2:\(port)") }, "\(output)")
        #expect(lines.contains { $0.hasPrefix("-") && $0.contains("239.61.7.3:\(port)") }, "an argument's stream has no name: \(output)")
    }

    /// A bad file, and what its one line on stderr must say after the path.
    static let badFiles: [(what: String, yaml: String, expected: String)] = [
        ("a group that is not multicast", "streams:\n  - name: a\n    group: 10.1.2.3:5000\n",
         ":3:12: streams[0].group: 10.1.2.3 is not a multicast address"),
        ("an unknown key", "streams:\n  - name: a\n    group: 239.1.1.1:5000\n    intreface: eth0\n",
         ":4:5: streams[0].intreface: unknown key \"intreface\"; did you mean interface?"),
        ("a name with an escape sequence", "streams:\n  - name: \"\\e]0;pwned\\a\"\n    group: 239.1.1.1:5000\n",
         ":2:11: streams[0].name: \"\\u{1b}]0;pwned\\u{7}\" has control characters; a name is one line of text"),
        ("an alias bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nstreams: *b\n",
         ":1:4: anchors (&name) are not allowed in a stream list"),
        ("an empty file", "", ": the file is empty"),
    ]

    @Test("a bad stream list is exit status 2 with file, line, column and field in one line on stderr, no stack trace",
          arguments: 0..<badFiles.count)
    func badFile(index: Int) throws {
        let bad = Self.badFiles[index]
        let path = try Self.file(bad.yaml)
        let result = try CLI.run(["listen", "--streams", path, "--duration", "1"])
        #expect(result.status == 2, "\(bad.what): \(result.stderr)")
        #expect(result.stderr.hasPrefix("mcexpert: \(path)\(bad.expected)"), "\(bad.what): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(!result.stderr.contains("\u{1b}") && !result.stderr.contains("\u{7}"), "no control byte reaches the terminal")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump") && !result.stderr.contains("Backtrace"))
        #expect(result.stdout.isEmpty)
    }

    @Test("a directory or a missing path given to listen or tui --streams is exit status 2 with a clear line")
    func badPaths() throws {
        let directory = NSTemporaryDirectory()
        let asDirectory = try CLI.run(["listen", "--streams", directory])
        #expect(asDirectory.status == 2)
        #expect(asDirectory.stderr == "mcexpert: \(directory): is a directory; give a stream-list file such as streams.yaml\n")
        let missing = try CLI.run(["listen", "--streams", "/nonexistent/streams.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "mcexpert: /nonexistent/streams.yaml: cannot open: No such file or directory\n")
        let tui = try CLI.run(["tui", "--streams", "/nonexistent/streams.yaml"])
        #expect(tui.status == 2, "tui refuses the file before it takes the terminal")
        #expect(tui.stderr == "mcexpert: /nonexistent/streams.yaml: cannot open: No such file or directory\n")
    }
}
