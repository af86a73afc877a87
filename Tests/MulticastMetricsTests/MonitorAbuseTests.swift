import Foundation
import MulticastMetrics
import NetnsLab
import Testing

/// Clients that misbehave on purpose against the built `mcexpert-monitor` in a namespace: they
/// may cost themselves their connection, never the monitor its memory or Prometheus its scrape.
@Suite("mcexpert-monitor against abusive clients", .serialized)
struct MonitorAbuseTests {
    let port = TestPorts.unique()

    var streams: String {
        "streams:\n" + (1...20).map { "  - {name: s\($0), group: \"239.79.1.\($0):\(port)\", interface: vb, payload: probe, labels: {site: lab, rack: r\($0)}}" }
            .joined(separator: "\n")
    }

    @Test("hundreds of pipelined requests per packet from a client that never reads close its connection; the monitor's memory stays bounded",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func pipelinedWithoutReading() throws {
        let hosts = try TwoHosts("mpipe")
        defer { hosts.tearDown() }
        let monitor = try MonitorProcess(in: hosts.b, listen: "\(TwoHosts.addressB):9277", streams: streams)
        defer { monitor.stop() }
        #expect(try monitor.request("/metrics").status == 200)
        let before = try #require(try monitor.residentBytes())
        // 600 requests in one 16 KiB send, again and again for up to 4 s, without reading a byte
        // (a small receive buffer, so the answers back up at the monitor, not in this socket).
        let result = try hosts.a.sh("""
            python3 - <<'EOF'
            import socket, time
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.settimeout(2)
            s.connect(("\(TwoHosts.addressB)", 9277))
            burst = b"GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n" * 450
            sent, outcome, end = 0, "open", time.time() + 4
            while time.time() < end:
                try:
                    s.sendall(burst)
                    sent += 1
                except (BrokenPipeError, ConnectionResetError):
                    outcome = "closed"
                    break
                except socket.timeout:
                    outcome = "stalled"
                    break
            print(outcome, sent)
            EOF
            """)
        let after = try #require(try monitor.residentBytes())
        let growth = after - before
        #expect(result.hasPrefix("closed"), "the connection: \(result)")
        #expect(growth < 64 << 20, "resident memory grew by \(growth / 1024) KiB: \(result)")
        #expect(try monitor.request("/healthz").status == 200)
    }

    @Test("one client address holding a hundred idle connections gets at most 8, and another client is still served",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func connectionsPerAddress() throws {
        let hosts = try TwoHosts("mshare")
        defer { hosts.tearDown() }
        let monitor = try MonitorProcess(in: hosts.b, listen: "\(TwoHosts.addressB):9277", streams: streams)
        defer { monitor.stop() }
        let holder = try hosts.a.spawn(["python3", "-c", connectionHolderPython(address: TwoHosts.addressB, count: 100) + """
            print("held", open_, flush=True)
            time.sleep(20)
            """])
        defer { holder.stop() }
        #expect(holder.waitForOutput(containing: "held", seconds: 10), "\(holder.output)")
        let held = holder.output.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? -1
        #expect(held >= 1 && held <= 8, "connections kept open for one address: \(holder.output)")
        // While they are held, a scrape from another address is answered.
        let scrape = try monitor.request("/metrics")
        #expect(scrape.status == 200)
        #expect(Exposition.value(scrape.body, "mcexpert_streams") == 20)
    }
}
