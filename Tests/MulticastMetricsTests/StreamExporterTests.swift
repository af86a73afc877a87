import MulticastExpert
import MulticastMetrics
import MulticastMonitor
import NetnsLab
import Testing

/// The exporter over a real engine: probes sent across a veth pair, the series read back from
/// the exposition as Prometheus would read them.
@Suite("Stream exporter", .serialized)
struct StreamExporterTests {
    let port = TestPorts.unique()

    func stream(_ name: String, _ group: String, timeout: Duration? = nil, labels: [MetricLabel] = []) throws -> MonitoredStream {
        MonitoredStream(name: name, group: try MulticastGroup(parsing: group), port: port, interface: "vb", payload: PayloadOptions(choice: .forced(.probe)),
                        timeout: timeout, labels: labels)
    }

    /// Sends `count` probes of run `sender` (sequence numbers from `first`) to `group`.
    func send(_ tx: McastTxSocket, _ group: String, count: Int, first: UInt64 = 0, sender: UInt64) throws {
        let g = try MulticastGroup(parsing: group)
        for sequence in first..<(first + UInt64(count)) {
            try tx.send(ProbeHeader(senderID: sender, sequence: sequence, sendTimeNanoseconds: Timestamp.now.nanosecondsSinceEpoch).datagram(size: 100),
                        to: g, port: port)
        }
    }

    func pollUntil(_ monitor: Monitor, packets: UInt64) throws {
        for _ in 0..<100 where monitor.snapshot().totalPackets < packets { try monitor.poll(timeout: .milliseconds(50)) }
        // Whatever else might arrive (nothing should) arrives now.
        try monitor.poll(timeout: .milliseconds(50))
    }

    func packets(_ text: String, _ name: String) -> Double? {
        Exposition.value(text, "mcexpert_stream_packets_total", ["name": name])
    }

    @Test("a reload keeps the counters of unchanged streams, drops removed ones, starts changed ones afresh and refuses streams past the cap",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func reloadKeepsCounters() throws {
        let hosts = try TwoHosts("mexp")
        defer { hosts.tearDown() }
        let monitor = try Monitor()
        let exporter = StreamExporter(monitor: monitor, maximumStreams: 3, version: "test", configuration: "debug", startTime: 0)
        let first = [try stream("a", "239.78.0.1"), try stream("b", "239.78.0.2"), try stream("c", "239.78.0.3")]
        let loaded = try hosts.b.run { exporter.apply(first) }
        #expect(loaded.joinFailures.isEmpty)
        let tx = try hosts.a.run {
            try McastTxSocket(groups: try (1...5).map { try MulticastGroup(parsing: "239.78.0.\($0)") }, interface: "va")
        }
        try send(tx, "239.78.0.1", count: 5, sender: 1)
        try send(tx, "239.78.0.2", count: 3, sender: 2)
        try send(tx, "239.78.0.3", count: 2, sender: 3)
        try pollUntil(monitor, packets: 10)
        exporter.refresh(force: true)
        var text = exporter.registry.emitToString()
        #expect(packets(text, "a") == 5)
        #expect(packets(text, "b") == 3)
        #expect(packets(text, "c") == 2)

        let second = [try stream("a", "239.78.0.1"), try stream("b", "239.78.0.2", timeout: .seconds(9)), try stream("d", "239.78.0.4"),
                      try stream("e", "239.78.0.5")]
        let reloaded = try hosts.b.run { exporter.apply(second) }
        #expect(reloaded.plan.kept == ["a"])
        #expect(reloaded.plan.refused == ["e"])
        try send(tx, "239.78.0.1", count: 4, first: 5, sender: 1)
        try send(tx, "239.78.0.2", count: 4, first: 3, sender: 2)
        try send(tx, "239.78.0.3", count: 7, first: 2, sender: 3)  // left: never received again
        try send(tx, "239.78.0.4", count: 1, sender: 4)
        try pollUntil(monitor, packets: 19)
        exporter.refresh(force: true)
        text = exporter.registry.emitToString()
        #expect(packets(text, "a") == 9, "unchanged: the counter went on from 5")
        #expect(packets(text, "b") == 4, "changed: only what arrived since the change")
        #expect(Exposition.value(text, "mcexpert_stream_timeout_seconds", ["name": "b"]) == 9)
        #expect(packets(text, "c") == nil, "removed: its series are gone")
        #expect(!text.contains("name=\"c\""))
        #expect(packets(text, "d") == 1)
        #expect(packets(text, "e") == nil)
        #expect(Exposition.value(text, "mcexpert_streams") == 3)
        #expect(Exposition.value(text, "mcexpert_streams_refused_total") == 1)
        #expect(Exposition.value(text, "mcexpert_config_reloads_total", ["result": "success"]) == 2)
        #expect(Exposition.value(text, "mcexpert_stream_lost_packets_total", ["name": "a"]) == 0)
        #expect(Exposition.value(text, "mcexpert_stream_up", ["name": "a"]) == 1)
    }

    @Test("hostile label values are escaped in the exposition: quotes, backslashes and newlines never break a line",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func hostileLabels() throws {
        let hosts = try TwoHosts("mlab")
        defer { hosts.tearDown() }
        let monitor = try Monitor()
        let exporter = StreamExporter(monitor: monitor, maximumStreams: 10, version: "1\"\n", configuration: "debug", startTime: 0)
        let hostile = "a\"b\\c\nd} x{y=\"1\"} 99"
        try hosts.b.run {
            exporter.apply([try stream("q\"\n\\", "239.78.1.1", labels: [MetricLabel(key: "site", value: hostile)])])
        }
        exporter.refresh(force: true)
        let text = exporter.registry.emitToString()
        #expect(text.contains(#"site="a\"b\\c\nd} x{y=\"1\"} 99""#))
        #expect(text.contains(#"name="q\"\n\\""#))
        #expect(text.contains(#"version="1\"\n""#))
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            // Every sample line is one metric name, one label set, one value.
            #expect(line.hasPrefix("mcexpert_"), "\(line)")
            #expect(Double(line[line.index(after: line.lastIndex(of: " ")!)...]) != nil, "\(line)")
        }
    }

    @Test("a stream whose interface does not exist is exported as not joined, and the others still are",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func refusedJoin() throws {
        let hosts = try TwoHosts("mjoin")
        defer { hosts.tearDown() }
        let exporter = StreamExporter(monitor: try Monitor(), maximumStreams: 10, version: "test", configuration: "debug", startTime: 0)
        var missing = try stream("gone", "239.78.2.1")
        missing.interface = "nosuch0"
        let outcome = try hosts.b.run { exporter.apply([missing, try stream("here", "239.78.2.2")]) }
        #expect(outcome.joinFailures.map(\.name) == ["gone"])
        exporter.refresh(force: true)
        let text = exporter.registry.emitToString()
        #expect(Exposition.value(text, "mcexpert_stream_joined", ["name": "gone"]) == 0)
        #expect(Exposition.value(text, "mcexpert_stream_joined", ["name": "here"]) == 1)
        #expect(Exposition.value(text, "mcexpert_stream_up", ["name": "gone"]) == 0)
    }
}
