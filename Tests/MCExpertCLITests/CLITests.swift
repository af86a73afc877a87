#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NetnsLab
import Testing

/// The `mcexpert` binary end to end, over loopback (no privileges needed).
@Suite("mcexpert command line over loopback")
struct CLILoopbackTests {
    let port = TestPorts.unique()

    @Test("listen with nothing arriving exits 1 after its duration, saying nothing arrived")
    func nothingArrives() throws {
        let result = try CLI.run(["listen", "239.60.0.1:\(port)", "--iface", "lo", "--duration", "0.3"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("summary: 0 datagrams"))
        #expect(result.stdout.contains("nothing arrived"))
    }

    @Test("send and listen on lo: probes arrive in order and the summary shows no loss")
    func sendListenLoopback() throws {
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: MCExpertBinary.path)
        listener.arguments = ["listen", "239.60.0.2:\(port)", "-i", "lo", "--count", "5"]
        let out = Pipe()
        listener.standardOutput = out
        try listener.run()
        let sent = try CLI.run(["send", "239.60.0.2:\(port)", "-i", "lo", "--count", "40", "--rate", "100"])
        #expect(sent.status == 0)
        #expect(sent.stdout.hasPrefix("sent 40 datagrams (2560 bytes) to 239.60.0.2:\(port) on lo"))
        listener.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(listener.terminationStatus == 0)
        let probeLines = text.split(separator: "\n").filter { $0.contains("probe #") }
        #expect(probeLines.count == 5)
        // RFC 3339 with microseconds, then group, interface, source, length, probe: the layout README shows.
        let layout = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z  239\.60\.0\.2:\d+  lo  127\.0\.0\.1:\d+  64 bytes  probe #\d+ from sender [0-9a-f]{16}$/
        #expect(probeLines.allSatisfy { (try? layout.wholeMatch(in: String($0))) != nil }, "\(probeLines)")
        #expect(text.contains("lost 0 of 5 (0.00%)"), "\(text)")
    }

    @Test("send --stdin sends each line as one datagram")
    func stdinLines() throws {
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: MCExpertBinary.path)
        listener.arguments = ["listen", "239.60.0.3:\(port)", "-i", "lo", "--count", "3", "--format", "json"]
        let out = Pipe()
        listener.standardOutput = out
        listener.standardError = Pipe()
        try listener.run()
        usleep(300_000)
        let sent = try CLI.run(["send", "239.60.0.3:\(port)", "-i", "lo", "--stdin"], input: "alpha\nbeta\ngamma\n")
        #expect(sent.status == 0)
        #expect(sent.stdout.hasPrefix("sent 3 datagrams (14 bytes)"))
        listener.waitUntilExit()
        let lines = CLI.jsonLines(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        #expect(lines.compactMap { $0["payload_hex"] as? String } == ["616c706861", "62657461", "67616d6d61"])
    }

    @Test("Ctrl-C ends listen and send cleanly, with their summaries")
    func interrupt() throws {
        let listen = Process()
        listen.executableURL = URL(fileURLWithPath: MCExpertBinary.path)
        listen.arguments = ["listen", "239.60.0.4:\(port)", "-i", "lo"]
        let listenOut = Pipe()
        listen.standardOutput = listenOut
        let send = Process()
        send.executableURL = URL(fileURLWithPath: MCExpertBinary.path)
        send.arguments = ["send", "239.60.0.4:\(port)", "-i", "lo", "--rate", "20"]
        let sendOut = Pipe()
        send.standardOutput = sendOut
        try listen.run()
        usleep(200_000)
        try send.run()
        usleep(800_000)
        kill(send.processIdentifier, SIGINT)
        send.waitUntilExit()
        usleep(100_000)
        kill(listen.processIdentifier, SIGINT)
        listen.waitUntilExit()
        let sendText = String(decoding: sendOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let listenText = String(decoding: listenOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(send.terminationReason == .exit && send.terminationStatus == 0, "send exits normally on SIGINT")
        #expect(sendText.hasPrefix("sent "))
        #expect(listen.terminationReason == .exit && listen.terminationStatus == 0, "listen exits normally on SIGINT")
        #expect(listenText.contains("summary: "))
        #expect(listenText.contains("239.60.0.4:\(port) on lo"))
    }

    @Test("bad input gives one clear line on stderr and a non-zero exit, never a crash", arguments: [
        (["listen", "10.0.0.1:5000"], "10.0.0.1 is not a multicast address"),
        (["send", "192.168.1.1:5000", "-i", "lo"], "192.168.1.1 is not a multicast address"),
        (["listen", "239.1.2.3:5000", "-i", "eth7"], "interface \"eth7\" not found; available: "),
        (["send", "239.1.2.3:5000", "-i", "eth7"], "interface \"eth7\" not found; available: "),
        (["listen", "239.1.2.3:70000"], "port \"70000\" in \"239.1.2.3:70000\" is out of range; valid ports are 1-65535"),
        (["send", "239.1.2.3", "--port", "0", "-i", "lo"], "port 0 is out of range; valid ports are 1-65535"),
        (["listen", "239.1.2.3"], "no port for 239.1.2.3; add --port P"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--rate", "0"], "--rate 0 sends nothing"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--size", "65508"], "--size 65508 is too large"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--size", "10"], "too small for a probe"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--ttl", "256"], "--ttl 256 is out of range"),
        (["listen", "239.1.2.3:5000", "--format", "xml"], "'xml' is invalid for '--format <format>'"),
        (["listen", "[ff15::1:5000"], "missing the closing ']'"),
        (["listen", "239.1.2.3:5000", "--source", "239.9.9.9"], "is a multicast address; a source is the unicast address"),
        (["listen", "ff15::1", "--port", "5000", "--source", "10.0.0.1"], "source 10.0.0.1 is IPv4 but group ff15::1 is IPv6"),
        (["send", "239.1.2.3:5000", "-i", "lo", "--message", "x", "--probe"], "choose one of --message, --stdin and --probe"),
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let result = try CLI.run(arguments, timeout: 10)
        #expect(result.status != 0)
        #expect(!result.wasSignalled, "no crash")
        let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.contains(message), "stderr was: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump") && !result.stderr.contains("Backtrace"))
    }

    @Test("every command explains itself with --help and examples", arguments: ["interfaces", "listen", "send", "doctor"])
    func help(command: String) throws {
        let result = try CLI.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("mcexpert \(command)"))
    }

    @Test("listen joins 1500 groups although started with a soft limit of 1024 descriptors")
    func manyGroupsPastSoftLimit() throws {
        let hard = Int((try? Shell.run("sh -c 'ulimit -Hn'"))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        try #require(hard == 0 || hard >= 1700, "this host's hard descriptor limit (\(hard)) is below what the test needs")
        let groups = (0..<1500).map { "239.72.\($0 / 250).\($0 % 250 + 1)" }
        let command = "ulimit -Sn 1024; exec '\(MCExpertBinary.path)' listen \(groups.joined(separator: " ")) --port \(port) -i lo --duration 0.5"
        let result = try Shell.capture(["sh", "-c", command], timeout: 60)
        #expect(result.status == 1, "joined everything, then nothing arrived: \(result.stderr)")
        #expect(result.stdout.contains("nothing arrived"), "\(result.stdout) \(result.stderr)")
        #expect(!result.stderr.contains("Too many open files") && !result.stderr.contains("too many open files"), "\(result.stderr)")
    }

    @Test("listen asks for an 8 MiB receive buffer by default and says what it got")
    func defaultReceiveBuffer() throws {
        let result = try CLI.run(["listen", "239.60.0.11:\(port)", "-i", "lo", "--duration", "0.3"])
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("receive buffer: ") }, "\(result.stdout)")
        let rmemMax = Int((try? String(contentsOfFile: "/proc/sys/net/core/rmem_max", encoding: .utf8))?.filter(\.isNumber) ?? "") ?? 0
        if geteuid() == 0 || rmemMax >= 8 << 20 {
            #expect(line.contains("receive buffer: 8 MiB per socket") || line.contains("receive buffer: 16 MiB"), "\(line)")
            #expect(!line.contains("less than"))
        } else {
            #expect(line.contains("less than the 8 MiB asked for") && line.contains("sysctl -w net.core.rmem_max=8388608"), "\(line)")
        }
    }

    @Test("without CAP_NET_ADMIN and with a smaller rmem_max, the summary says how to get the buffer asked for",
          .enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root and setpriv to drop CAP_NET_ADMIN"))
    func cappedReceiveBuffer() throws {
        let rmemMax = Int((try? String(contentsOfFile: "/proc/sys/net/core/rmem_max", encoding: .utf8))?.filter(\.isNumber) ?? "") ?? 0
        let result = try Shell.capture(["setpriv", "--bounding-set", "-net_admin", MCExpertBinary.path, "listen", "239.60.0.12:\(port)", "-i", "lo",
                                        "--duration", "0.3", "--rcvbuf", String(max(rmemMax, 4096) * 2)])
        #expect(result.stdout.contains("less than the") && result.stdout.contains("run with CAP_NET_ADMIN"), "\(result.stdout)")
    }

    @Test("--version names the release and whether this is a debug or release build")
    func version() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("mcexpert "))
        #expect(result.stdout.contains("debug build") || result.stdout.contains("release build"), "\(result.stdout)")
    }

    @Test("interfaces --json lists lo with its flags and addresses")
    func interfacesJSON() throws {
        let result = try CLI.run(["interfaces", "--json"])
        #expect(result.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let lo = try #require(rows.first { $0["name"] as? String == "lo" })
        #expect(lo["loopback"] as? Bool == true)
        #expect((lo["ipv4"] as? [String])?.contains("127.0.0.1/8") == true)
        #expect(lo["index"] as? Int == 1)
    }
}
