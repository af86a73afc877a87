import MulticastExpert
import MulticastMetrics
import MulticastMonitor
import Testing

/// Engine totals that go down without anything restarting (a late datagram filling a gap, a
/// sender whose payload kind changes) must not make an exported counter jump (review H2).
@Suite("Counters when engine totals fall")
struct CounterFallTests {
    /// An exporter following `stream` with no engine subscription (its interface does not exist),
    /// fed by hand-built statistics through ``StreamExporter/update(from:now:)``.
    func exporter(_ stream: MonitoredStream) throws -> StreamExporter {
        let exporter = StreamExporter(monitor: try Monitor(), maximumStreams: 4, version: "test", configuration: "debug", startTime: 0)
        exporter.apply([stream], interfaceTable: InterfaceTable(interfaces: []))
        return exporter
    }

    func counter(_ exporter: StreamExporter, _ metric: String) -> Double? {
        Exposition.value(exporter.registry.emitToString(), metric, ["name": "news"])
    }

    @Test("a gap that a late datagram fills leaves the loss counter where it was; only new loss adds")
    func gapFilled() throws {
        var stream = Fixtures.stream()
        stream.interface = "nosuch0"
        let exporter = try exporter(stream)
        var book = Fixtures.book([0, 1, 2, 5])
        exporter.update(from: book.snapshot(at: Fixtures.start + 40_000_000), now: Fixtures.wallStart + 40_000_000)
        #expect(counter(exporter, "mcexpert_stream_lost_packets_total") == 2, "3 and 4 missing")
        book.record(Fixtures.probe(3, offset: 50_000_000), now: Fixtures.start + 50_000_000)
        exporter.update(from: book.snapshot(at: Fixtures.start + 50_000_000), now: Fixtures.wallStart + 50_000_000)
        #expect(counter(exporter, "mcexpert_stream_lost_packets_total") == 2, "the engine's loss fell to 1; the counter neither falls nor jumps")
        book.record(Fixtures.probe(6, offset: 60_000_000), now: Fixtures.start + 60_000_000)
        book.record(Fixtures.probe(8, offset: 70_000_000), now: Fixtures.start + 70_000_000)
        exporter.update(from: book.snapshot(at: Fixtures.start + 70_000_000), now: Fixtures.wallStart + 70_000_000)
        #expect(counter(exporter, "mcexpert_stream_lost_packets_total") == 2, "4 and 7 missing: still 2, the 2 already counted")
        book.record(Fixtures.probe(10, offset: 80_000_000), now: Fixtures.start + 80_000_000)
        exporter.update(from: book.snapshot(at: Fixtures.start + 80_000_000), now: Fixtures.wallStart + 80_000_000)
        #expect(counter(exporter, "mcexpert_stream_lost_packets_total") == 3, "9 missing as well: one more")
    }

    @Test("a sender whose payload kind changes from RTP to MPEG-TS neither makes the RTP loss counter jump nor hides another sender's new loss")
    func kindChange() throws {
        var stream = Fixtures.stream()
        stream.interface = "nosuch0"
        let exporter = try exporter(stream)
        var book = StatisticsBook()
        var clock: Int64 = 0
        func send(_ payload: [UInt8], from sender: SocketAddress) {
            clock += 1_000_000
            book.record(Datagram(payload: payload, source: sender, group: Fixtures.group, port: 5000, interfaceIndex: 2, interfaceName: "if2",
                                 receivedAt: Timestamp(nanosecondsSinceEpoch: Fixtures.wallStart + clock)), now: Fixtures.start + clock)
        }
        func rtpLost() -> Double? {
            exporter.update(from: book.snapshot(at: Fixtures.start + clock), now: Fixtures.wallStart + clock)
            return counter(exporter, "mcexpert_stream_rtp_lost_packets_total")
        }
        // A loses 5 RTP packets (20...24), B loses 3 (40...42).
        for sequence in (0..<40).filter({ !(20..<25).contains($0) }) { send(Self.rtp(UInt16(sequence), ssrc: 1), from: Fixtures.senderA) }
        for sequence in (0..<60).filter({ !(40..<43).contains($0) }) { send(Self.rtp(UInt16(sequence), ssrc: 2), from: Fixtures.senderB) }
        #expect(rtpLost() == 8)
        // A turns to MPEG-TS (its RTP decoder is given up: the engine's RTP loss sum falls by 5)
        // while B loses 2 more (60, 61): the sum is 5, below the 8 counted, yet 2 were lost.
        for index in 0..<64 { send(Self.tsDatagram(firstContinuity: UInt8(truncatingIfNeeded: 7 * index)), from: Fixtures.senderA) }
        for sequence in 62..<70 { send(Self.rtp(UInt16(sequence), ssrc: 2), from: Fixtures.senderB) }
        let figures = StreamFigures.measure(stream, statistics: book.snapshot(at: Fixtures.start + clock).streams, interfaceIndexes: nil,
                                            now: Fixtures.wallStart + clock, joinedAt: 0)
        #expect(figures.rtpLost == 5, "the engine's sum fell: the premise of this test")
        #expect(rtpLost() == 10, "no jump by B's total, and B's 2 new losses counted")
        #expect(counter(exporter, "mcexpert_stream_ts_continuity_errors_total") == 0)
        // B loses 10 more (70...79).
        for sequence in 80..<100 { send(Self.rtp(UInt16(sequence), ssrc: 2), from: Fixtures.senderB) }
        #expect(rtpLost() == 20)
    }

    static func rtp(_ sequence: UInt16, ssrc: UInt32) -> [UInt8] {
        [0x80, 96, UInt8(sequence >> 8), UInt8(truncatingIfNeeded: sequence)] + bigEndian(UInt32(sequence) &* 3000) + bigEndian(ssrc)
            + [UInt8](repeating: 0xAB, count: 160)
    }

    static func tsDatagram(firstContinuity: UInt8) -> [UInt8] {
        (0..<7).flatMap { index -> [UInt8] in
            [0x47, 0x01, 0x00, 0x10 | ((firstContinuity &+ UInt8(index)) & 0x0F)] + [UInt8](repeating: 0xFF, count: 184)
        }
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }
}
