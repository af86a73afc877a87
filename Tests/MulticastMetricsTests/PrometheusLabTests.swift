import Foundation
import MulticastMetrics
import NetnsLab
import Testing

/// The issue's demonstration: senders on one host of a switched LAN, `mcexpert-monitor` on two
/// others, and a real Prometheus on a fourth scraping both; what Prometheus stores is checked
/// against what was sent and what nftables dropped, and the example alert rules fire.
@Suite("mcexpert-monitor scraped by a real Prometheus")
struct PrometheusLabTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/prometheus")

    static var toolsPresent: Bool {
        ["prometheus", "promtool"].allSatisfy(PrometheusServer.shouldRun) && ["nft", "ffmpeg", "curl"].allSatisfy(ExternalTool.shouldRun) && Lab.shouldRun
    }

    @Test("per-stream counters in Prometheus match what was sent and dropped; a stopped stream's up goes to 0 and its alert fires; the last-query age stays below two query intervals",
          .enabled(if: toolsPresent, "needs root, prometheus and promtool (.tools/bin or PATH), nft, ffmpeg and curl (scripts/setup.sh provides them)"))
    func twoMonitorsOnePrometheus() throws {
        let lab = try BridgeLab("prom", hosts: 4)
        defer { lab.tearDown() }
        let (sender, hostA, hostB, server) = (lab.host(1), lab.host(2), lab.host(3), lab.host(4))
        let port = TestPorts.unique()
        let (steady, lossy, stopping, ts) = (port, port &+ 1000, port &+ 2000, port &+ 3000)
        func streams(_ interface: String) -> String {
            """
            defaults:
              interface: \(interface)
              labels: {site: lab}
            streams:
              - {name: steady, group: "239.80.0.1:\(steady)", payload: probe, rate: 200}
              - {name: lossy, group: "239.80.0.2:\(lossy)", payload: probe}
              - {name: stopping, group: "239.80.0.3:\(stopping)", payload: probe, timeout: 1}
              - {name: channel 1, group: "239.80.0.4:\(ts)", payload: ts, bitrate: 500k}
            """
        }
        let monitorA = try MonitorProcess(in: hostA, listen: "\(BridgeLab.address(2)):9277", streams: streams("h2"))
        defer { monitorA.stop() }
        let monitorB = try MonitorProcess(in: hostB, listen: "\(BridgeLab.address(3)):9277", streams: streams("h3"))
        defer { monitorB.stop() }
        let rules = try String(contentsOf: Self.examples.appendingPathComponent("mcexpert-alerts.yml"), encoding: .utf8)
            .replacingOccurrences(of: #"for: \d+[smh]"#, with: "for: 1s", options: .regularExpression)
        let instances = ["\(BridgeLab.address(2)):9277", "\(BridgeLab.address(3)):9277"]
        let prometheus = try PrometheusServer(in: server, address: "\(BridgeLab.address(4)):9090", targets: instances, rules: rules)
        defer { prometheus.stop() }

        // Prometheus hands new targets to its scrapers only every 5 s: wait until it has scraped
        // both monitors, so the counters' whole rise is in its database.
        var scraping = 0
        for _ in 0..<100 where scraping < 2 {
            scraping = try prometheus.query("up{job=\"mcexpert\"} == 1").count
            if scraping < 2 { usleep(200_000) }
        }
        #expect(scraping == 2, "Prometheus scrapes both monitors")

        let lossDrop = try NthDatagramDrop(in: sender, device: "h1", port: lossy, every: 10)
        let tsDrop = try NthDatagramDrop(in: sender, device: "h1", port: ts, every: 50)
        let send = [MCExpertBinary.path, "send", "--iface", "h1", "--probe", "--ttl", "2"]
        let senders = [
            try sender.spawn(send + ["239.80.0.1:\(steady)", "--rate", "200", "--count", "1000"]),
            try sender.spawn(send + ["239.80.0.2:\(lossy)", "--rate", "200", "--count", "1005"]),
            try sender.spawn(send + ["239.80.0.3:\(stopping)", "--rate", "100", "--count", "200"]),
            try sender.spawn(["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                              "-t", "5", "-c:v", "mpeg2video", "-b:v", "500k", "-f", "mpegts",
                              "udp://239.80.0.4:\(ts)?localaddr=\(BridgeLab.address(1))&ttl=2&pkt_size=188"]),
        ]
        for process in senders { #expect(process.waitForExit(seconds: 30) == 0, "\(process.output)") }
        let lossDropped = try lossDrop.stop()
        let tsDropped = try tsDrop.stop()
        #expect(lossDropped == 100, "every 10th of 1005 datagrams")
        #expect(tsDropped > 0)

        // Prometheus has the final counts once it has scraped after the last datagram.
        func settled(_ expression: String, _ expected: Double) throws -> [(labels: [String: String], value: Double)] {
            var result = try prometheus.query(expression)
            for _ in 0..<100 where result.count != 2 || !result.allSatisfy({ $0.value == expected }) {
                usleep(200_000)
                result = try prometheus.query(expression)
            }
            return result
        }
        for (name, metric, expected) in [("steady", "packets", 1000.0), ("lossy", "packets", 905), ("lossy", "lost_packets", 100),
                                         ("steady", "lost_packets", 0), ("stopping", "packets", 200)] {
            let series = try settled("mcexpert_stream_\(metric)_total{name=\"\(name)\"}", expected)
            #expect(Set(series.compactMap { $0.labels["instance"] }) == Set(instances), "\(name) \(metric): \(series)")
            #expect(series.map(\.value) == [expected, expected], "\(name) \(metric): \(series)")
            #expect(series.allSatisfy { $0.labels["site"] == "lab" && $0.labels["kind"] == "probe" })
        }
        let bytes = try settled("mcexpert_stream_bytes_total{name=\"steady\"}", 64_000)
        #expect(bytes.map(\.value) == [64_000, 64_000], "1000 probes of 64 bytes")
        let continuity = try prometheus.query("mcexpert_stream_ts_continuity_errors_total{name=\"channel 1\"}")
        #expect(continuity.count == 2)
        #expect(continuity.allSatisfy { $0.value > 0 && $0.value <= Double(tsDropped) }, "dropped \(tsDropped): \(continuity)")
        let down = try settled("mcexpert_stream_up{name=\"stopping\"}", 0)
        #expect(down.map(\.value) == [0, 0])
        let queriers = try prometheus.query("mcexpert_interface_querier_seen{family=\"ipv4\",interface=~\"h2|h3\"}")
        #expect(queriers.map(\.value) == [1, 1], "the bridge's querier is heard by both monitors: \(queriers)")
        // The age of the latest query stays below two query intervals while the querier queries
        // (sampled over more than one interval, so a stale age would show).
        let queryInterval = Double(BridgeLab.Querier().intervalCentiseconds) / 100
        var ages: [Double] = []
        for _ in 0..<6 {
            let sampled = try prometheus.query("mcexpert_interface_last_query_age_seconds{family=\"ipv4\",interface=~\"h2|h3\"}")
            #expect(Set(sampled.compactMap { $0.labels["interface"] }) == ["h2", "h3"], "both monitors export the age: \(sampled)")
            ages += sampled.map(\.value)
            usleep(500_000)
        }
        #expect(!ages.isEmpty && ages.allSatisfy { $0 >= 0 && $0 < 2 * queryInterval }, "query interval \(queryInterval) s, ages \(ages)")

        // The example rules, evaluated by Prometheus itself.
        func firing(_ alert: String, _ name: String) throws -> Int {
            var count = 0
            for _ in 0..<100 {
                count = try prometheus.alerts().filter { $0.labels["alertname"] == alert && $0.labels["name"] == name && $0.state == "firing" }.count
                if count == 2 { break }
                usleep(200_000)
            }
            return count
        }
        #expect(try firing("MulticastStreamDown", "stopping") == 2)
        let lossFiring = try firing("MulticastStreamLoss", "lossy")
        let continuityFiring = try firing("MulticastTSContinuityErrors", "channel 1")
        let held = try prometheus.alerts().map { "\($0.labels["alertname"] ?? "") \($0.labels["name"] ?? "") \($0.state)" }
        let increases = try prometheus.query("increase(mcexpert_stream_ts_continuity_errors_total[5m])").map(\.value)
        #expect(lossFiring == 2, "alerts: \(held)")
        #expect(continuityFiring == 2, "alerts: \(held); increases: \(increases)")
        #expect(try prometheus.alerts().filter { $0.labels["alertname"] == "MulticastStreamLoss" && $0.labels["name"] == "steady" }.isEmpty)
        #expect(try prometheus.alerts().filter { $0.labels["alertname"] == "MulticastNoQuerier" }.isEmpty)

        // What the monitors serve passes Prometheus's own linter, and so do the example rules.
        let scraped = try monitorA.metrics()
        let file = NSTemporaryDirectory() + "mcx-scrape-\(port).txt"
        try scraped.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let promtool = try PrometheusServer.require("promtool")
        let lint = try Shell.capture(["sh", "-c", "'\(promtool)' check metrics < '\(file)'"])
        #expect(lint.status == 0, "promtool check metrics: \(lint.stdout)\(lint.stderr)")
        let check = try Shell.capture([promtool, "check", "rules", Self.examples.appendingPathComponent("mcexpert-alerts.yml").path])
        #expect(check.status == 0, "promtool check rules: \(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("4 rules found"))
    }

    @Test("on a LAN without an IGMP querier the monitor exports querier_seen 0 and no last-query age, and the example MulticastNoQuerier alert fires",
          .enabled(if: toolsPresent, "needs root, prometheus and promtool (.tools/bin or PATH), nft, ffmpeg and curl (scripts/setup.sh provides them)"))
    func noQuerier() throws {
        let lab = try BridgeLab("noq", hosts: 2, querier: nil)
        defer { lab.tearDown() }
        let port = TestPorts.unique()
        let monitor = try MonitorProcess(in: lab.host(1), listen: "\(BridgeLab.address(1)):9277",
                                         streams: "streams:\n  - {name: quiet, group: \"239.80.1.1:\(port)\", interface: h1}\n")
        defer { monitor.stop() }
        let rules = try String(contentsOf: Self.examples.appendingPathComponent("mcexpert-alerts.yml"), encoding: .utf8)
            .replacingOccurrences(of: #"for: \d+[smh]"#, with: "for: 1s", options: .regularExpression)
        let prometheus = try PrometheusServer(in: lab.host(2), address: "\(BridgeLab.address(2)):9090",
                                              targets: ["\(BridgeLab.address(1)):9277"], rules: rules)
        defer { prometheus.stop() }
        var firing: [(labels: [String: String], state: String)] = []
        for _ in 0..<150 where firing.isEmpty {
            firing = try prometheus.alerts().filter { $0.labels["alertname"] == "MulticastNoQuerier" && $0.state == "firing" }
            if firing.isEmpty { usleep(200_000) }
        }
        #expect(firing.map { $0.labels["interface"] } == ["h1"], "\(firing)")
        #expect(try prometheus.query("mcexpert_interface_querier_seen{interface=\"h1\",family=\"ipv4\"}").map(\.value) == [0])
        #expect(try prometheus.query("mcexpert_igmp_listener_up").map(\.value) == [1])
        // No query was ever heard, so there is no age to export.
        #expect(try prometheus.query("mcexpert_interface_last_query_age_seconds").isEmpty)
        #expect(try !monitor.metrics().contains("mcexpert_interface_last_query_age_seconds"))
    }
}
