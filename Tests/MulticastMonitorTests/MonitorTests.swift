#if canImport(Glibc)
import Glibc
#endif
import MulticastExpert
import MulticastMonitor
import NetnsLab
import Testing

/// The receive engine against real sockets: exact probe accounting, bounded memory, live join/leave.
@Suite("Monitor engine")
struct MonitorTests {
    let port = TestPorts.unique()

    /// Polls until `condition` holds on a snapshot, or 5 s pass.
    func pollUntil(_ monitor: Monitor, _ condition: (MonitorSnapshot) -> Bool) throws -> MonitorSnapshot {
        for _ in 0..<100 {
            try monitor.poll(timeout: .milliseconds(50))
            let snapshot = monitor.snapshot()
            if condition(snapshot) { return snapshot }
        }
        return monitor.snapshot()
    }

    @Test("statistics of a probe stream with injected loss, reordering and duplicates are exact",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"), arguments: ["239.40.0.1", "ff15::40"])
    func probeStreamAcrossLink(groupText: String) throws {
        let hosts = try TwoHosts("mon")
        defer { hosts.tearDown() }
        let g = try MulticastGroup(parsing: groupText)
        let port = self.port
        let monitor = try Monitor()
        try hosts.b.run { try monitor.subscribe(Subscription(groups: [g], port: port, interfaces: ["vb"])) }
        let tx = try hosts.a.run { try McastTxSocket(groups: [g], interface: "va") }
        let sequence: [UInt64] = [0, 1, 2, 3, 4, 7, 8, 9, 11, 10, 12, 13, 14, 15, 15, 16, 17, 18, 19]
        for s in sequence {
            try tx.send(ProbeHeader(senderID: 99, sequence: s, sendTimeNanoseconds: Timestamp.now.nanosecondsSinceEpoch).datagram(size: 200), to: g, port: port)
        }
        try tx.send(Array("not a probe".utf8), to: g, port: port)
        let snapshot = try pollUntil(monitor) { $0.totalPackets == 20 }
        let stream = try #require(snapshot.streams.first)
        #expect(snapshot.streams.count == 1)
        #expect(stream.key.group == g)
        #expect(stream.key.interfaceName == "vb")
        #expect(stream.packets == 20)
        #expect(stream.bytes == 19 * 200 + 11)
        #expect(stream.lost == 2)
        #expect(stream.reordered == 1)
        #expect(stream.duplicates == 1)
        #expect(stream.expected == 20)
        let source = try #require(stream.sources.values.first)
        #expect(source.nonProbePackets == 1)
        #expect(source.probe?.latencyAverage.map { $0 >= 0 && $0 < 10_000_000_000 } == true, "same-host clocks give a small positive latency")
        #expect(stream.captured.last?.payloadPrefix == Array("not a probe".utf8))
    }

    @Test("a flood from many sources keeps memory bounded and counts what it could not itemise")
    func boundedUnderFlood() throws {
        let g = try MulticastGroup(parsing: "239.40.0.2")
        let limits = StatisticsLimits(maxSourcesPerStream: 16, capturedDatagramsPerStream: 8, captureLength: 32)
        let monitor = try Monitor(limits: limits, receiveBufferBytes: 4 << 20)
        try monitor.subscribe(Subscription(groups: [g], port: port, interfaces: ["lo"]))
        var senders: [McastTxSocket] = []
        for i in 0..<200 {
            let tx = try McastTxSocket(groups: [g], interface: "lo")
            try tx.send([UInt8](repeating: UInt8(i % 256), count: 100), to: g, port: port)
            senders.append(tx)
            if i % 50 == 49 { try monitor.poll(timeout: .milliseconds(10)) }
        }
        let snapshot = try pollUntil(monitor) { $0.totalPackets == 200 }
        let stream = try #require(snapshot.streams.first)
        #expect(stream.packets == 200)
        #expect(stream.sources.count == 16)
        #expect(stream.untrackedPackets == 184)
        #expect(stream.captured.count == 8)
        #expect(stream.captured.allSatisfy { $0.payloadPrefix.count == 32 && $0.length == 100 })
    }

    @Test("groups can be joined and left while the engine runs on its own thread")
    func joinAndLeaveWhileRunning() throws {
        let a = try MulticastGroup(parsing: "239.40.0.3"), b = try MulticastGroup(parsing: "239.40.0.4")
        let monitor = try Monitor()
        monitor.start()
        defer { monitor.stop() }
        let idA = try monitor.subscribe(Subscription(groups: [a], port: port, interfaces: ["lo"]))
        let tx = try McastTxSocket(groups: [a, b], interface: "lo")
        func waitFor(_ condition: (MonitorSnapshot) -> Bool) -> MonitorSnapshot {
            for _ in 0..<250 {
                let s = monitor.snapshot()
                if condition(s) { return s }
                usleep(20_000)
            }
            return monitor.snapshot()
        }
        try tx.send([1], to: a, port: port)
        #expect(waitFor { $0.totalPackets == 1 }.streams.map(\.key.group) == [a])
        try monitor.subscribe(Subscription(groups: [b], port: port, interfaces: ["lo"]))
        try tx.send([2], to: b, port: port)
        #expect(waitFor { $0.totalPackets == 2 }.streams.map(\.key.group) == [a, b])
        monitor.unsubscribe(idA)
        #expect(monitor.snapshot().subscriptions.count == 1)
        try tx.send([3], to: a, port: port)
        try tx.send([4], to: b, port: port)
        let after = waitFor { $0.totalPackets >= 3 }
        usleep(200_000)
        let final = monitor.snapshot()
        #expect(after.totalPackets == 3 && final.totalPackets == 3, "after leaving A only B's datagram arrives")
        #expect(final.streams.first { $0.key.group == a }?.packets == 1)
        #expect(final.streams.first { $0.key.group == b }?.packets == 2)
    }

    @Test("the paced sender sends exactly the count asked for, never faster than the rate, as probes a receiver decodes")
    func pacedSender() throws {
        let g = try MulticastGroup(parsing: "239.40.0.5")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], mode: .timeout(.seconds(2)))
        _ = try rx.requestReceiveBufferSize(1 << 20)
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        let sender = PacedSender(socket: tx, group: g, port: port, rate: .perSecond(200), payload: .probe, size: 100, senderID: 0xabc)
        let report = try sender.run(count: 40)
        #expect(report.sent == 40)
        #expect(report.bytes == 4000)
        #expect(report.elapsedNanoseconds >= 190_000_000, "39 intervals of 5 ms take at least 195 ms")
        var sequences: [UInt64] = []
        while let d = try rx.receive(mode: .timeout(.milliseconds(500))) {
            let header = try #require(ProbeHeader(decoding: d.payload))
            #expect(header.senderID == 0xabc)
            sequences.append(header.sequence)
        }
        #expect(sequences == Array(0..<40))
    }

    @Test("an unlimited-rate sender uses batches and stops at its count")
    func unlimitedSender() throws {
        let g = try MulticastGroup(parsing: "239.40.0.6")
        let monitor = try Monitor(receiveBufferBytes: 8 << 20)
        try monitor.subscribe(Subscription(groups: [g], port: port, interfaces: ["lo"]))
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        let report = try PacedSender(socket: tx, group: g, port: port, rate: .unlimited, payload: .fixed([1, 2, 3]), size: 3).run(count: 1000)
        #expect(report.sent == 1000)
        let snapshot = try pollUntil(monitor) { $0.totalPackets >= 1000 }
        let stream = try #require(snapshot.streams.first)
        #expect(stream.packets + stream.kernelDrops == 1000, "every datagram arrived or the kernel says it dropped it")
    }
}
