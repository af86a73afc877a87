#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MulticastExpert
import MulticastMonitor
import NetnsLab
import Testing
import MulticastText

/// What a terminal must never receive from mcexpert's text output: any scalar the sanitiser
/// calls unsafe (ESC, BEL, C1, bidirectional controls, ...), apart from the newlines the output
/// itself is made of.
func unsafeScalars(in text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.filter { TerminalText.isUnsafe($0) && $0 != "\n" }
}

@Suite("Hostile command-line numbers")
struct HostileNumberTests {
    @Test("a number that would trap a conversion or never end gives one line and exit 2", arguments: [
        (["listen", "239.1.2.3:5000", "-i", "lo", "--duration", "1e300"], "--duration 1e+300 is out of range"),
        (["listen", "239.1.2.3:5000", "-i", "lo", "--duration", "1e-10"], "--duration 1e-10 is out of range"),
        (["listen", "239.1.2.3:5000", "-i", "lo", "--duration", "inf"], "--duration inf is not a number"),
        (["listen", "239.1.2.3:5000", "-i", "lo", "--duration", "nan"], "--duration nan is not a number"),
        (["listen", "239.1.2.3:5000", "-i", "lo", "--rcvbuf", "99999999999"], "--rcvbuf 99999999999 is out of range"),
        (["listen", "239.1.2.3:5000", "-i", "lo", "--count", "0"], "--count 0 must be at least 1"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--rate", "1e-10"], "--rate 1e-10 is out of range"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--rate", "1e300"], "--rate 1e+300 is out of range"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--rate", "inf"], "--rate \"inf\" is not a number"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--rate", "nan"], "--rate \"nan\" is not a number"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--duration", "1e300"], "--duration 1e+300 is out of range"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--duration", "nan"], "--duration nan is not a number"),
        (["doctor", "--querier-wait", "1e300"], "--querier-wait 1e+300 is out of range"),
        (["doctor", "--querier-wait", "nan"], "--querier-wait nan is not a number"),
        (["doctor", "--querier-wait=-1"], "--querier-wait -1 is out of range"),
        (["doctor", "--rate", "1e300"], "--rate 1e+300 is out of range"),
        (["doctor", "--rate", "inf"], "--rate inf is not a number"),
        (["doctor", "--rate", "1e-10"], "--rate 1e-10 is out of range"),
        (["tui", "--port", "99999999999999999999999"], "port"),
    ])
    func badNumber(arguments: [String], message: String) throws {
        let result = try CLI.run(arguments, timeout: 10)
        #expect(result.status == 2, "exit status for \(arguments): \(result.stderr)")
        #expect(!result.wasSignalled)
        let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.contains(message), "stderr was: \(result.stderr)")
    }

    @Test("typed escape sequences come back from the parser and from errors as visible escapes", arguments: [
        ["listen", "\u{1b}[2J\u{1b}]0;pwned\u{07}"],
        ["listen", "239.1.2.3:5000", "-i", "eth\u{1b}[31m\u{202e}x"],
        ["frobnicate\u{1b}[2J"],
        ["send", "239.1.2.3:5000", "-i", "lo", "--rate", "\u{1b}]0;pwned\u{07}"],
    ])
    func typedEscapes(arguments: [String]) throws {
        let result = try CLI.run(arguments, timeout: 10)
        #expect(result.status == 2)
        #expect(unsafeScalars(in: result.stderr).isEmpty, "raw controls on stderr: \(result.stderr.debugDescription)")
        #expect(unsafeScalars(in: result.stdout).isEmpty)
        #expect(result.stderr.contains("\\x1B"), "the escape is shown, not hidden: \(result.stderr)")
    }

    @Test("send --stdin cuts a line longer than a datagram and says so, instead of growing without bound")
    func stdinLongLine() throws {
        let port = TestPorts.unique()
        let long = String(repeating: "x", count: 200_000)
        let result = try CLI.run(["send", "239.60.0.9:\(port)", "-i", "lo", "--stdin"], input: long + "\nshort\n" + long, timeout: 20)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("sent 3 datagrams (\(65_507 * 2 + 5) bytes)"), "stdout: \(result.stdout)")
        #expect(result.stderr.contains("2 input lines were longer than one datagram (65507 bytes) and cut to fit"))
    }

    @Test("Ctrl-C ends listen even when nobody reads its output")
    func stalledStdout() throws {
        let port = TestPorts.unique()
        // listen writes hexdumps into a pipe that `sleep` never reads; the pipe fills and blocks.
        let listener = try BackgroundShell("'\(MCExpertBinary.path)' listen 239.60.0.10:\(port) -i lo --format hex | sleep 120")
        defer { listener.stop() }
        usleep(400_000)
        let sent = try CLI.run(["send", "239.60.0.10:\(port)", "-i", "lo", "--rate", "50000", "--duration", "2", "--size", "1000"], timeout: 20)
        #expect(sent.status == 0)
        let pid = try #require(listener.pid(ofProgram: "mcexpert"), "the listener is running")
        kill(pid, SIGINT)
        var ended = false
        for _ in 0..<100 {  // a hang check, not a speed test: it takes about 2 s, a stall would take minutes
            if kill(pid, 0) != 0 { ended = true; break }
            usleep(100_000)
        }
        #expect(ended, "listen still running 10 s after Ctrl-C with its output stalled")
    }
}

/// A shell pipeline in the background, for tests that need a stalled reader.
final class BackgroundShell {
    private let process: BackgroundProcess
    private let marker: String

    init(_ pipeline: String) throws {
        marker = "mcx-\(UInt32.random(in: 0...UInt32.max))"
        process = try BackgroundProcess(["sh", "-c", ": \(marker); \(pipeline)"])
    }

    /// The pid of a program (by name) whose parent is this pipeline's shell.
    func pid(ofProgram name: String) -> pid_t? {
        let shells = (try? Shell.run("pgrep -f ': \(marker)'"))?.split(separator: "\n").compactMap { pid_t($0) } ?? []
        for shell in shells {
            if let child = (try? Shell.run("pgrep -P \(shell) -x \(name)"))?.split(separator: "\n").first, let pid = pid_t(child) { return pid }
        }
        return nil
    }

    func stop() {
        if let pid = pid(ofProgram: "mcexpert") { kill(pid, SIGKILL) }
        if let pid = pid(ofProgram: "sleep") { kill(pid, SIGKILL) }
        process.stop()
    }
}

@Suite("Hostile traffic and names, end to end", .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
struct HostileTrafficTests {
    let port = TestPorts.unique()

    @Test("crafted probes and a flood of random bytes from many sources leave listen up and its output sane",
          arguments: ["text", "json", "hex", "stats"])
    func listenSurvives(format: String) throws {
        let hosts = try TwoHosts("hl\(format.prefix(2))")
        defer { hosts.tearDown() }
        let target = "239.64.0.1:\(port)"
        let listener = try CLI.spawn(["listen", target, "-i", "vb", "--duration", "4", "--format", format, "--rcvbuf", "8388608"], in: hosts.b)
        defer { listener.stop() }
        usleep(500_000)
        let group = try MulticastGroup(parsing: "239.64.0.1")
        let sent = try hosts.a.run { try HostileTraffic.send(to: group, port: port, interface: "va") }
        let status = listener.waitForExit(seconds: 20)
        let output = listener.stop()
        #expect(status == 0, "listen exits normally (something arrived): \(status.map(String.init) ?? "still running"); \(output.suffix(2000))")
        #expect(output.contains("summary: "), "summary: \(output.suffix(1000))")
        #expect(output.contains("\(sent) datagrams") || output.contains("\(sent) packets"), "every datagram counted: \(output.suffix(1500))")
        #expect(!output.contains("Fatal error") && !output.contains("crashed"))
        #expect(unsafeScalars(in: output).isEmpty, "raw controls in the output: \(unsafeScalars(in: output).prefix(5))")
        if format == "json" {
            let lines = output.split(separator: "\n").filter { $0.hasPrefix("{\"") && !$0.hasPrefix("{\"summary\"") }
            #expect(lines.count == sent)
            #expect(CLI.jsonLines(lines.joined(separator: "\n")).count == sent)
        }
    }

    @Test("an interface whose name holds escape bytes and shell syntax is shown harmlessly by interfaces, listen and doctor")
    func hostileInterfaceName() throws {
        let hosts = try TwoHosts("hname")
        defer { hosts.tearDown() }
        let name = "e\u{1b}]0;x\u{07}$(id)"
        try hosts.b.sh("ip link add name \"$(printf 'e\\033]0;x\\007$(id)')\" type veth peer name hpeer && ip link set hpeer up && ip link set \"$(printf 'e\\033]0;x\\007$(id)')\" up && ip addr add 198.51.100.1/24 dev \"$(printf 'e\\033]0;x\\007$(id)')\"")

        let table = try CLI.run(["interfaces"], in: hosts.b)
        #expect(table.status == 0)
        #expect(table.stdout.contains("e\\x1B]0;x\\x07$(id)"), "shown with visible escapes: \(table.stdout)")
        #expect(unsafeScalars(in: table.stdout).isEmpty)

        let json = try CLI.run(["interfaces", "--json"], in: hosts.b)
        #expect(unsafeScalars(in: json.stdout).isEmpty, "JSON escapes the controls")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.contains { $0["name"] as? String == name }, "JSON carries the real name: \(json.stdout)")

        let target = "239.64.0.2:\(port)"
        let listener = try CLI.spawn(["listen", target, "-i", name, "--count", "3"], in: hosts.b)
        defer { listener.stop() }
        usleep(400_000)
        let sent = try CLI.run(["send", target, "-i", name, "--loopback", "--count", "5", "--rate", "20"], in: hosts.b)
        #expect(sent.status == 0, "send: \(sent.stderr)")
        #expect(unsafeScalars(in: sent.stdout).isEmpty)
        let status = listener.waitForExit(seconds: 10)
        let heard = listener.stop()
        #expect(status == 0, "listen: \(heard)")
        #expect(heard.contains("on e\\x1B]0;x\\x07$(id): 3 packets"), "listen: \(heard)")
        #expect(unsafeScalars(in: heard).isEmpty)

        let missing = try CLI.run(["listen", target, "-i", "nope\u{1b}[2J"], in: hosts.b)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("available: ") && missing.stderr.contains("e\\x1B]0;x\\x07$(id)"), "\(missing.stderr)")
        #expect(unsafeScalars(in: missing.stderr).isEmpty)

        for arguments in [["doctor", "-i", name, "--group", "239.64.0.2"], ["doctor", "-i", name, "--group", "239.64.0.2", "--json"]] {
            let doctor = try CLI.run(arguments, in: hosts.b, timeout: 60)
            #expect(!doctor.wasSignalled)
            #expect(unsafeScalars(in: doctor.stdout).isEmpty, "\(arguments): \(doctor.stdout)")
            #expect(unsafeScalars(in: doctor.stderr).isEmpty)
            #expect(doctor.stdout.contains("e\\x1B]0;x\\x07$(id)") || doctor.stdout.contains("e\\u001b]0;x\\u0007$(id)"), "\(doctor.stdout)")
        }
    }

    @Test("a flood on the interface does not stretch doctor --querier-wait 2")
    func doctorUnderFlood() throws {
        let hosts = try TwoHosts("hdoc")
        defer { hosts.tearDown() }
        let flood = try CLI.spawn(["send", "239.64.0.3:\(port)", "-i", "va", "--rate", "max", "--size", "64"], in: hosts.a)
        defer { flood.stop() }
        usleep(300_000)
        let start = Date()
        let result = try CLI.run(["doctor", "-i", "vb", "--querier-wait", "2", "--json"], in: hosts.b, timeout: 60)
        let elapsed = Date().timeIntervalSince(start)
        #expect(!result.wasSignalled)
        #expect(result.stdout.hasPrefix("["), "doctor printed its findings: \(result.stdout.prefix(300)) \(result.stderr)")
        // A hang check, not a speed test: the listen itself is 2 s and the firewall tools have
        // a few seconds each at most; a flood that stretched the wait would run on for the whole flood.
        #expect(elapsed < 20, "doctor took \(elapsed) s under a flood")
        #expect(flood.waitForExit(seconds: 0) == nil, "the flood was still running when the doctor finished")
    }

    @Test("an interface whose name is not UTF-8 is shown with replacement characters and still usable by that name")
    func nonUTF8InterfaceName() throws {
        let hosts = try TwoHosts("hutf")
        defer { hosts.tearDown() }
        let printfName = "\"$(printf 'bad\\377\\376n')\""
        try hosts.b.sh("ip link add name \(printfName) type veth peer name upeer && ip link set upeer up && ip link set \(printfName) up && ip addr add 198.51.100.1/24 dev \(printfName)")
        let table = try CLI.run(["interfaces", "--json"], in: hosts.b)
        #expect(table.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(table.stdout.utf8)) as? [[String: Any]], "valid JSON: \(table.stdout)")
        #expect(rows.contains { $0["name"] as? String == "bad\u{fffd}\u{fffd}n" }, "\(table.stdout)")
        // The shell passes the raw bytes; the tool matches them to the interface it listed.
        let sent = try Shell.capture(["ip", "netns", "exec", hosts.b.name, "sh", "-c",
                                      "'\(MCExpertBinary.path)' send 239.64.0.4:\(port) -i \(printfName) --loopback --count 1"], timeout: 20)
        #expect(sent.status == 0, "\(sent.stdout) \(sent.stderr)")
        #expect(sent.stdout.contains("on bad\u{fffd}\u{fffd}n from 198.51.100.1"), "\(sent.stdout)")
    }
}
