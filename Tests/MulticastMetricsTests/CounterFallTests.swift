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

    @Test("a sender whose payload kind changes from RTP to MPEG-TS does not make the RTP loss counter jump by another sender's total")
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
        // A loses 5 RTP packets (20...24), B loses 3 (40...42).
        for sequence in (0..<40).filter({ !(20..<25).contains($0) }) { send(Self.rtp(UInt16(sequence), ssrc: 1), from: Fixtures.senderA) }
        for sequence in (0..<60).filter({ !(40..<43).contains($0) }) { send(Self.rtp(UInt16(sequence), ssrc: 2), from: Fixtures.senderB) }
        exporter.update(from: book.snapshot(at: Fixtures.start + clock), now: Fixtures.wallStart + clock)
        #expect(counter(exporter, "mcexpert_stream_rtp_lost_packets_total") == 8)
        // A turns to MPEG-TS: its RTP decoder is given up, and the engine's RTP loss sum falls to B's 3.
        for index in 0..<64 { send(Self.tsDatagram(firstContinuity: UInt8(truncatingIfNeeded: 7 * index)), from: Fixtures.senderA) }
        let snapshot = book.snapshot(at: Fixtures.start + clock)
        let figures = StreamFigures.measure(stream, statistics: snapshot.streams, interfaceIndexes: nil, now: Fixtures.wallStart + clock, joinedAt: 0)
        #expect(figures.rtpLost == 3, "the engine's sum fell: the premise of this test")
        exporter.update(from: snapshot, now: Fixtures.wallStart + clock)
        #expect(counter(exporter, "mcexpert_stream_rtp_lost_packets_total") == 8, "no jump by B's 3")
        #expect(counter(exporter, "mcexpert_stream_ts_continuity_errors_total") == 0)
        // B loses 10 more: the sum reaches 13, 5 above the 8 counted.
        for sequence in (70..<100) { send(Self.rtp(UInt16(sequence), ssrc: 2), from: Fixtures.senderB) }
        exporter.update(from: book.snapshot(at: Fixtures.start + clock), now: Fixtures.wallStart + clock)
        #expect(counter(exporter, "mcexpert_stream_rtp_lost_packets_total") == 13)
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
