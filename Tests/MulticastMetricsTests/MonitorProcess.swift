import Foundation
import NetnsLab

/// `mcexpert-monitor` running in a lab namespace, for the end-to-end tests: the built binary
/// (beside `mcexpert`), its stream-list file, and plain HTTP to it with curl from the namespace.
final class MonitorProcess {
    /// The built `mcexpert-monitor`: `$MCEXPERT_MONITOR_BINARY`, else beside `mcexpert`.
    static let path: String = ProcessInfo.processInfo.environment["MCEXPERT_MONITOR_BINARY"]
        ?? URL(fileURLWithPath: MCExpertBinary.path).deletingLastPathComponent().appendingPathComponent("mcexpert-monitor").path

    let namespace: Namespace
    let listen: String
    let streamsPath: String
    let process: BackgroundProcess

    /// Writes `streams` (stream-list YAML) to a file and starts the monitor on `listen` in `namespace`;
    /// waits until it says it serves.
    init(in namespace: Namespace, listen: String, streams: String, arguments: [String] = []) throws {
        self.namespace = namespace
        self.listen = listen
        streamsPath = NSTemporaryDirectory() + "mcx-streams-\(UUID().uuidString).yaml"
        try streams.write(toFile: streamsPath, atomically: true, encoding: .utf8)
        process = try namespace.spawn([Self.path, "--streams", streamsPath, "--metrics-listen", listen] + arguments)
        guard process.waitForOutput(containing: "serving /metrics", seconds: 10) else {
            throw LabError.commandFailed("mcexpert-monitor", status: -1, output: process.stop())
        }
    }

    /// GET (or another method) `path` with curl inside the namespace: the status code and body.
    func request(_ path: String, method: String = "GET", extra: String = "") throws -> (status: Int, body: String) {
        let output = try namespace.sh("curl -s -m 5 -X \(method) \(extra) -w '\\n%{http_code}' http://\(listen)\(path) || true")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        return (status, lines.dropLast().joined(separator: "\n"))
    }

    /// The exposition as scraped now.
    func metrics() throws -> String { try request("/metrics").body }

    /// Replaces the stream list and sends SIGHUP (to the namespace's processes by id: the monitor is the only one).
    func reload(with streams: String) throws {
        try streams.write(toFile: streamsPath, atomically: true, encoding: .utf8)
        let pids = try Shell.run("ip netns pids \(namespace.name)").split(whereSeparator: \.isNewline).compactMap { Int32($0) }
        for pid in pids { kill(pid, SIGHUP) }
    }

    /// The monitor's process id: the namespace's process named mcexpert-monitor (comm is cut to 15 bytes).
    func pid() throws -> Int32? {
        let pids = try Shell.run("ip netns pids \(namespace.name)").split(whereSeparator: \.isNewline).compactMap { Int32($0) }
        return pids.first { (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8))?.hasPrefix("mcexpert-monito") == true }
    }

    /// The monitor's resident memory (VmRSS of /proc/PID/status), bytes.
    func residentBytes() throws -> Int? {
        guard let pid = try pid(), let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
    }

    @discardableResult
    func stop() -> String {
        unlink(streamsPath)
        return process.stop()
    }
}

/// Python that opens `count` connections to the monitor, waits half a second for it to close
/// the ones it refuses, and leaves in `held` the sockets and in `open_` how many are still open:
/// the start of every connection-flood test (each adds what it then does with them).
func connectionHolderPython(address: String, port: Int = 9277, count: Int) -> String {
    """
    import socket, sys, time
    held = [socket.create_connection(("\(address)", \(port)), timeout=5) for _ in range(\(count))]
    time.sleep(0.5)
    open_ = 0
    for s in held:
        s.setblocking(False)
        try:
            open_ += 0 if s.recv(1) == b"" else 1
        except BlockingIOError:
            open_ += 1
        except OSError:
            pass

    """
}
