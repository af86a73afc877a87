import Foundation
import MulticastMetrics
import NetnsLab
import Testing

/// The built `mcexpert-monitor` over real HTTP in a namespace: what it serves, what it refuses,
/// and that a hostile client costs it a connection, not the service.
@Suite("mcexpert-monitor over HTTP", .serialized)
struct MonitorHTTPTests {
    let port = TestPorts.unique()

    var streams: String {
        """
        streams:
          - name: news
            group: 239.79.0.1:\(port)
            interface: vb
            payload: probe
            timeout: 1
        """
    }

    @Test("GET /metrics and /healthz answer; other paths 404, other methods 405; HEAD has no body",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func routes() throws {
        let hosts = try TwoHosts("mhttp")
        defer { hosts.tearDown() }
        let monitor = try MonitorProcess(in: hosts.b, listen: "\(TwoHosts.addressB):9277", streams: streams)
        defer { monitor.stop() }
        let metrics = try monitor.request("/metrics")
        #expect(metrics.status == 200)
        #expect(Exposition.value(metrics.body, "mcexpert_stream_up", ["name": "news"]) == 0)
        #expect(Exposition.value(metrics.body, "mcexpert_streams") == 1)
        #expect(Exposition.value(metrics.body, "mcexpert_receive_failures_total") == 0, "exported, and no poll failed")
        let headers = try hosts.b.sh("curl -s -D - -o /dev/null http://\(TwoHosts.addressB):9277/metrics")
        #expect(headers.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"))
        let health = try monitor.request("/healthz")
        #expect(health.status == 200)
        #expect(health.body == "ok\n")
        #expect(try monitor.request("/metrics?x=1").status == 200)
        #expect(try monitor.request("/nothing").status == 404)
        #expect(try monitor.request("/metrics", method: "POST").status == 405)
        #expect(try monitor.request("/metrics", method: "DELETE").status == 405)
        let head = try monitor.request("/metrics", extra: "-I")
        #expect(head.status == 200)
        #expect(!head.body.contains("mcexpert_streams "))
    }

    @Test("a request larger than the limit closes its connection, and the next client is served",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func oversizedRequest() throws {
        let hosts = try TwoHosts("mbig")
        defer { hosts.tearDown() }
        let monitor = try MonitorProcess(in: hosts.b, listen: "\(TwoHosts.addressB):9277", streams: streams)
        defer { monitor.stop() }
        // 64 KiB of headers, then 1 MiB of body: neither may be read whole.
        let big = try hosts.b.sh("""
            python3 - <<'EOF'
            import socket
            s = socket.create_connection(("\(TwoHosts.addressB)", 9277), timeout=5)
            try:
                s.sendall(b"GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n" + b"X-Pad: " + b"a" * 65536 + b"\\r\\n\\r\\n")
                reply = s.recv(100)
            except OSError as error:
                reply = b"reset"
            print("closed" if reply in (b"", b"reset") else reply[:20])
            s = socket.create_connection(("\(TwoHosts.addressB)", 9277), timeout=5)
            try:
                s.sendall(b"POST /metrics HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1048576\\r\\n\\r\\n" + b"b" * 1048576)
                reply = s.recv(100)
            except OSError as error:
                reply = b"reset"
            print("closed" if reply in (b"", b"reset") else reply[:20])
            EOF
            """)
        #expect(big.split(separator: "\n").map(String.init) == ["closed", "closed"])
        #expect(try monitor.request("/healthz").status == 200)
    }

    @Test("a client holding hundreds of connections gets at most the connection cap; once it lets go, scrapes are served",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func connectionFlood() throws {
        let hosts = try TwoHosts("mconn")
        defer { hosts.tearDown() }
        let monitor = try MonitorProcess(in: hosts.b, listen: "\(TwoHosts.addressB):9277", streams: streams)
        defer { monitor.stop() }
        let held = try hosts.b.sh("""
            python3 - <<'EOF'
            \(connectionHolderPython(address: TwoHosts.addressB, count: 300))
            print(open_)
            for s in held: s.close()
            EOF
            """)
        let stillOpen = Int(held.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(stillOpen >= 1 && stillOpen <= 64, "connections kept open: \(held)")
        var served = false
        for _ in 0..<50 where !served {
            served = (try? monitor.request("/healthz").status) == 200
            if !served { usleep(100_000) }
        }
        #expect(served)
    }

    @Test("without CAP_NET_RAW the IGMP listener is off, says why once, and exports mcexpert_igmp_listener_up 0; streams still count",
          .enabled(if: Lab.shouldRun && ExternalTool.shouldRun("setpriv"), "needs root for a namespace and setpriv (util-linux)"))
    func withoutRawSockets() throws {
        let hosts = try TwoHosts("mnraw")
        defer { hosts.tearDown() }
        let file = NSTemporaryDirectory() + "mcx-noraw-\(port).yaml"
        try streams.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        defer { unlink(file) }
        // An unprivileged user: no CAP_NET_RAW, so no packet socket; joining groups needs no privilege.
        let process = try hosts.b.spawn(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", MonitorProcess.path,
                                         "--streams", file, "--metrics-listen", "\(TwoHosts.addressB):9277"])
        defer { process.stop() }
        #expect(process.waitForOutput(containing: "serving /metrics", seconds: 10), "\(process.output)")
        #expect(process.output.contains("IGMP/MLD listener off: hearing queriers needs CAP_NET_RAW"))
        let text = try hosts.b.sh("curl -s http://\(TwoHosts.addressB):9277/metrics")
        #expect(Exposition.value(text, "mcexpert_igmp_listener_up") == 0)
        #expect(Exposition.value(text, "mcexpert_stream_joined", ["name": "news"]) == 1)
        #expect(!text.contains("mcexpert_interface_querier_seen"))
    }

    @Test("the wildcard address is refused unless asked for, with a message saying how",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"), arguments: ["0.0.0.0:9277", "[::]:9277"])
    func wildcardRefused(address: String) throws {
        let hosts = try TwoHosts("mwild")
        defer { hosts.tearDown() }
        let file = NSTemporaryDirectory() + "mcx-wild-\(port).yaml"
        try streams.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let result = try Shell.capture(["ip", "netns", "exec", hosts.b.name, MonitorProcess.path, "--streams", file, "--metrics-listen", address],
                                       timeout: 10)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--allow-all-addresses"))
        let allowed = try MonitorProcess(in: hosts.b, listen: address, streams: streams, arguments: ["--allow-all-addresses"])
        defer { allowed.stop() }
        #expect(try hosts.b.sh("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9277/healthz") == "200")
    }

    @Test("a listen address that cannot be bound stops the start with the C library's words (exit 1), before any stream is joined",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func unbindableAddress() throws {
        let hosts = try TwoHosts("mbind")
        defer { hosts.tearDown() }
        let file = NSTemporaryDirectory() + "mcx-bind-\(port).yaml"
        try streams.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        func start(_ listen: String) throws -> (status: Int32, stderr: String) {
            let result = try Shell.capture(["ip", "netns", "exec", hosts.b.name, MonitorProcess.path, "--streams", file, "--metrics-listen", listen],
                                           timeout: 10)
            return (result.status, result.stderr)
        }
        let foreign = try start("10.1.1.1:9277")
        #expect(foreign.status == 1)
        #expect(foreign.stderr.contains("cannot listen on 10.1.1.1:9277: Cannot assign requested address (no interface has this address)\n"), "\(foreign.stderr)")
        #expect(!foreign.stderr.contains("bind("), "no NIO function names: \(foreign.stderr)")
        #expect(!foreign.stderr.contains("following"), "nothing joined before the bind: \(foreign.stderr)")

        let first = try MonitorProcess(in: hosts.b, listen: "\(TwoHosts.addressB):9277", streams: streams)
        defer { first.stop() }
        let taken = try start("\(TwoHosts.addressB):9277")
        #expect(taken.status == 1)
        #expect(taken.stderr.contains("cannot listen on \(TwoHosts.addressB):9277: Address already in use (another program listens there)"), "\(taken.stderr)")
        #expect(!taken.stderr.contains("following"), "\(taken.stderr)")
    }

    @Test("a stream whose interface is missing is counted as not joined, not as joined, at the start and on reload",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func failedJoinsCounted() throws {
        let hosts = try TwoHosts("mjoin")
        defer { hosts.tearDown() }
        let missing = "\n  - name: ghost\n    group: 239.79.0.3:\(port)\n    interface: nosuch0\n"
        let monitor = try MonitorProcess(in: hosts.b, listen: "\(TwoHosts.addressB):9277", streams: streams + missing)
        defer { monitor.stop() }
        #expect(monitor.process.output.contains("following 2 streams from \(monitor.streamsPath) (kept 0, joined 1, not joined 1, left 0, refused 0)"),
                "\(monitor.process.output)")
        #expect(monitor.process.output.contains("stream \"ghost\" not joined: interface \"nosuch0\" not found"))
        try monitor.reload(with: streams + missing + "\n  - name: sport\n    group: 239.79.0.2:\(port)\n    interface: vb\n"
                                   + "\n  - name: phantom\n    group: 239.79.0.4:\(port)\n    interface: nosuch1\n")
        #expect(monitor.process.waitForOutput(containing: "reloaded 4 streams", seconds: 5))
        #expect(monitor.process.output.contains("reloaded 4 streams from \(monitor.streamsPath) (kept 2, joined 1, not joined 1, left 0, refused 0)"),
                "\(monitor.process.output)")
        let text = try monitor.metrics()
        #expect(Exposition.value(text, "mcexpert_stream_joined", ["name": "sport"]) == 1)
        #expect(Exposition.value(text, "mcexpert_stream_joined", ["name": "phantom"]) == 0)
    }

    @Test("a bad stream list stops the start with its line; on SIGHUP it keeps the streams and counts a failed reload",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func badFiles() throws {
        let hosts = try TwoHosts("mbad")
        defer { hosts.tearDown() }
        let file = NSTemporaryDirectory() + "mcx-bad-\(port).yaml"
        try "streams:\n  - name: x\n    group: 10.0.0.1:5000\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let result = try Shell.capture(["ip", "netns", "exec", hosts.b.name, MonitorProcess.path, "--streams", file,
                                        "--metrics-listen", "\(TwoHosts.addressB):9277"], timeout: 10)
        #expect(result.status == 2)
        #expect(result.stderr.contains(":3:"), "the error names the line: \(result.stderr)")

        let monitor = try MonitorProcess(in: hosts.b, listen: "\(TwoHosts.addressB):9277", streams: streams)
        defer { monitor.stop() }
        try monitor.reload(with: "streams: [oops")
        #expect(monitor.process.waitForOutput(containing: "reload failed", seconds: 5))
        var text = try monitor.metrics()
        #expect(Exposition.value(text, "mcexpert_config_reloads_total", ["result": "failure"]) == 1)
        #expect(Exposition.value(text, "mcexpert_streams") == 1)
        #expect(Exposition.value(text, "mcexpert_stream_up", ["name": "news"]) != nil)
        try monitor.reload(with: streams + "\n  - name: sport\n    group: 239.79.0.2:\(port)\n    interface: vb\n")
        #expect(monitor.process.waitForOutput(containing: "reloaded 2 streams", seconds: 5))
        usleep(600_000)  // the next refresh
        text = try monitor.metrics()
        #expect(Exposition.value(text, "mcexpert_config_reloads_total", ["result": "success"]) == 2)
        #expect(Exposition.value(text, "mcexpert_stream_up", ["name": "sport"]) == 0)
    }
}
