#if canImport(Glibc)
import Glibc
#endif
import MulticastExpert
import MulticastMonitor
import NetnsLab
import Testing

/// The batch window: when the engine pauses to let the kernel queue a batch, and that it never
/// costs a datagram.
@Suite("Batch window")
struct BatchWindowTests {
    let port = TestPorts.unique()
    let ms: Int64 = 1_000_000

    @Test("dense traffic pauses for the window; sparse traffic, an empty round and a zero window do not")
    func pausesOnlyWhenDense() {
        var window = BatchWindow(maximum: .milliseconds(1))
        #expect(window.maximumNanoseconds == ms)
        window.roundEnded(waitedNanoseconds: 20_000, received: 3, fillLimitNanoseconds: nil, sawDrop: false, now: 0)
        #expect(window.pauseNanoseconds == ms)
        window.roundEnded(waitedNanoseconds: 5 * ms, received: 1, fillLimitNanoseconds: nil, sawDrop: false, now: 10 * ms)
        #expect(window.pauseNanoseconds == 0, "a datagram every 5 ms gains nothing from a 1 ms pause")
        window.roundEnded(waitedNanoseconds: 0, received: 0, fillLimitNanoseconds: nil, sawDrop: false, now: 20 * ms)
        #expect(window.pauseNanoseconds == 0)
        window.roundEnded(waitedNanoseconds: 0, received: 256, fillLimitNanoseconds: nil, sawDrop: false, leftWaiting: true, now: 30 * ms)
        #expect(window.pauseNanoseconds == 0, "an engine that left datagrams queued is behind and must not pause")

        var off = BatchWindow(maximum: .zero)
        off.roundEnded(waitedNanoseconds: 0, received: 64, fillLimitNanoseconds: nil, sawDrop: false, now: 0)
        #expect(off.pauseNanoseconds == 0)
    }

    @Test("the pause never outlasts the time the busiest socket takes to fill half its buffer")
    func pauseCappedByBuffer() {
        // 100 datagrams of 1000 bytes in 1 ms into a 425 984-byte buffer: each is charged
        // 1000 + 1024 bytes, so half the buffer lasts 212 992 / 202 400 ms.
        let limit = BatchWindow.fillLimit(bufferBytes: 425_984, bytes: 100_000, datagrams: 100, intervalNanoseconds: ms)
        #expect(limit == 1_052_332)
        let fast = BatchWindow.fillLimit(bufferBytes: 425_984, bytes: 400_000, datagrams: 400, intervalNanoseconds: ms)
        var window = BatchWindow(maximum: .milliseconds(2))
        window.roundEnded(waitedNanoseconds: 0, received: 400, fillLimitNanoseconds: fast, sawDrop: false, now: 0)
        #expect(window.pauseNanoseconds == fast)
        #expect(window.pauseNanoseconds < ms / 2)
        window.roundEnded(waitedNanoseconds: 0, received: 400, fillLimitNanoseconds: 10_000, sawDrop: false, now: ms)
        #expect(window.pauseNanoseconds == 0, "a pause shorter than the smallest worth taking is not taken")
        #expect(BatchWindow.fillLimit(bufferBytes: 425_984, bytes: 0, datagrams: 0, intervalNanoseconds: ms) == .max)
    }

    @Test("a kernel drop closes the window at once; it reopens by doubling once a second up to the maximum")
    func dropClosesThenRecovers() {
        var window = BatchWindow(maximum: .milliseconds(1))
        window.roundEnded(waitedNanoseconds: 0, received: 10, fillLimitNanoseconds: nil, sawDrop: true, now: 0)
        #expect(window.current == .zero)
        #expect(window.pauseNanoseconds == 0)
        window.roundEnded(waitedNanoseconds: 0, received: 10, fillLimitNanoseconds: nil, sawDrop: false, now: 500 * ms)
        #expect(window.current == .zero, "still within the second after the drop")
        var seen: [Int64] = []
        for second in 1...6 {
            window.roundEnded(waitedNanoseconds: 0, received: 10, fillLimitNanoseconds: nil, sawDrop: false, now: Int64(second) * 1000 * ms)
            seen.append(window.currentNanoseconds)
        }
        #expect(seen == [50_000, 100_000, 200_000, 400_000, 800_000, 1_000_000])
        #expect(window.pauseNanoseconds == ms)
    }

    /// Sends `count` datagrams of `size` bytes to `group` over lo from a thread of its own,
    /// sleeping `pauseMicroseconds` after every `burst`, while this thread polls `monitor`.
    /// Returns the snapshot once all arrived, or after 10 s.
    func receive(_ count: Int, of size: Int, to group: MulticastGroup, burst: Int, pauseMicroseconds: UInt32, with monitor: Monitor) throws -> MonitorSnapshot {
        let started = try OSThread.start(detached: false) { [port] in
            guard let tx = try? McastTxSocket(groups: [group], interface: "lo") else { return }
            for i in 0..<count {
                _ = try? tx.send([UInt8](repeating: UInt8(i % 256), count: size), to: group, port: port)
                if i % burst == burst - 1 { usleep(pauseMicroseconds) }
            }
        }
        let sender = try #require(started)
        defer { pthread_join(sender, nil) }
        var snapshot = monitor.snapshot()
        let deadline = monotonicNanoseconds() + 10_000_000_000
        while snapshot.totalPackets < count, monotonicNanoseconds() < deadline {
            try monitor.poll(timeout: .milliseconds(50))
            snapshot = monitor.snapshot()
        }
        return snapshot
    }

    @Test("under dense traffic the engine collects datagrams in batches and loses none")
    func engineBatchesDenseTraffic() throws {
        let g = try MulticastGroup(parsing: "239.40.1.1")
        let monitor = try Monitor(receiveBufferBytes: 4 << 20, batchWindow: .milliseconds(20))
        try monitor.subscribe(Subscription(groups: [g], port: port, interfaces: ["lo"]))
        // A datagram every 0.5 ms for 150 ms.
        let snapshot = try receive(300, of: 200, to: g, burst: 1, pauseMicroseconds: 500, with: monitor)
        #expect(snapshot.totalPackets == 300)
        #expect(snapshot.streams.first?.kernelDrops == 0)
        #expect(snapshot.batchWindow == .milliseconds(20))
        // One wakeup per datagram would be 300 rounds; 20 ms windows over 150 ms make about 8.
        #expect(snapshot.receiveRounds > 0 && snapshot.receiveRounds <= 60, "rounds: \(snapshot.receiveRounds)")
    }

    @Test("an engine that falls behind stops pausing, so a long window never overflows the buffer")
    func engineCatchesUpWhenBehind() throws {
        let g = try MulticastGroup(parsing: "239.40.1.3")
        // A 20 ms window that took only one round's share (256) per pause would drain 12 800
        // datagrams/s; this sender keeps up ~50 000/s for 0.4 s, several times what 4 MiB holds.
        let monitor = try Monitor(receiveBufferBytes: 4 << 20, batchWindow: .milliseconds(20))
        try monitor.subscribe(Subscription(groups: [g], port: port, interfaces: ["lo"]))
        let snapshot = try receive(20_000, of: 64, to: g, burst: 50, pauseMicroseconds: 1000, with: monitor)
        #expect(snapshot.totalPackets == 20_000)
        #expect(snapshot.streams.first?.kernelDrops == 0)
    }

    @Test("a burst the socket buffer cannot hold closes the window, and the drop is counted")
    func engineClosesWindowOnDrop() throws {
        let g = try MulticastGroup(parsing: "239.40.1.2")
        let monitor = try Monitor(receiveBufferBytes: 1, batchWindow: .milliseconds(1))  // the kernel's minimum buffer
        try monitor.subscribe(Subscription(groups: [g], port: port, interfaces: ["lo"]))
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        for _ in 0..<200 { try tx.send([UInt8](repeating: 7, count: 1000), to: g, port: port) }
        while try monitor.poll(timeout: .milliseconds(200)) > 0 {}
        // The kernel stamps its drop count on the next datagram it queues.
        try tx.send([UInt8](repeating: 8, count: 1000), to: g, port: port)
        try monitor.poll(timeout: .milliseconds(200))
        let snapshot = monitor.snapshot()
        let stream = try #require(snapshot.streams.first)
        #expect(stream.kernelDrops > 0)
        #expect(snapshot.totalPackets + stream.kernelDrops == 201)
        #expect(snapshot.batchWindow == .zero)
    }
}
