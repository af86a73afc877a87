import MulticastExpert
import MulticastMetrics
import MulticastMonitor
import Testing

@Suite("Stream figures from the engine's statistics")
struct StreamFiguresTests {
    @Test("packets, bytes and loss of a probe stream are the engine's, a gap of two counted as two lost")
    func probeLoss() {
        var book = Fixtures.book([0, 1, 2, 5, 6, 7])
        let statistics = book.snapshot(at: Fixtures.start + 60_000_000).streams
        let now = Fixtures.wallStart + 60_000_000
        let figures = StreamFigures.measure(Fixtures.stream(), statistics: statistics, interfaceIndexes: nil, now: now, joinedAt: Fixtures.wallStart)
        #expect(figures.packets == 6)
        #expect(figures.bytes == 6 * 64)
        #expect(figures.lost == 2)
        #expect(figures.duplicates == 0)
        #expect(figures.detectedKind == .probe)
        #expect(figures.isUp)
        #expect(abs(figures.lastPacketAgeSeconds - 0.01) < 1e-9)
    }

    @Test("a stream silent for longer than its timeout is down, and its age counts from the last datagram")
    func silenceIsDown() {
        var book = Fixtures.book([0, 1])
        let statistics = book.snapshot(at: Fixtures.start).streams
        let stream = Fixtures.stream(timeout: .seconds(2))
        let late = Fixtures.wallStart + 10_000_000 + 2_500_000_000
        let figures = StreamFigures.measure(stream, statistics: statistics, interfaceIndexes: nil, now: late, joinedAt: Fixtures.wallStart)
        #expect(!figures.isUp)
        #expect(abs(figures.lastPacketAgeSeconds - 2.5) < 1e-9)
        let inTime = StreamFigures.measure(stream, statistics: statistics, interfaceIndexes: nil, now: late - 1_000_000_000, joinedAt: Fixtures.wallStart)
        #expect(inTime.isUp)
    }

    @Test("a stream that never arrived is down and ages from when it was joined")
    func neverArrived() {
        let figures = StreamFigures.measure(Fixtures.stream(), statistics: [], interfaceIndexes: nil,
                                            now: Fixtures.wallStart + 7_000_000_000, joinedAt: Fixtures.wallStart)
        #expect(!figures.isUp)
        #expect(figures.packets == 0)
        #expect(figures.lastPacketAgeSeconds == 7)
    }

    @Test("without an interface the figures sum every interface; with one, only its own")
    func interfaces() {
        var book = Fixtures.book([0, 1, 2], interface: 2)
        book = Fixtures.book([0, 1, 2, 3], interface: 3, into: book)
        let statistics = book.snapshot(at: Fixtures.start).streams
        let all = StreamFigures.measure(Fixtures.stream(), statistics: statistics, interfaceIndexes: nil, now: Fixtures.wallStart, joinedAt: 0)
        let three = StreamFigures.measure(Fixtures.stream(), statistics: statistics, interfaceIndexes: [3], now: Fixtures.wallStart, joinedAt: 0)
        #expect(all.packets == 7)
        #expect(three.packets == 4)
    }

    @Test("a source-specific stream counts only its sender's datagrams")
    func sourceSpecific() {
        var book = Fixtures.book([0, 1, 2], from: Fixtures.senderA)
        book = Fixtures.book([0, 2, 3, 4, 5], from: Fixtures.senderB, into: book)
        let statistics = book.snapshot(at: Fixtures.start).streams
        let onlyB = StreamFigures.measure(Fixtures.stream(source: Fixtures.senderB.address), statistics: statistics, interfaceIndexes: nil,
                                          now: Fixtures.wallStart, joinedAt: 0)
        #expect(onlyB.packets == 5)
        #expect(onlyB.lost == 1)
        let any = StreamFigures.measure(Fixtures.stream(), statistics: statistics, interfaceIndexes: nil, now: Fixtures.wallStart, joinedAt: 0)
        #expect(any.packets == 8)
    }

    @Test("another group's or port's statistics never count")
    func otherStreams() {
        var book = StatisticsBook()
        book.record(Fixtures.probe(0, group: Fixtures.otherGroup), now: Fixtures.start)
        book.record(Fixtures.probe(0, port: 5001), now: Fixtures.start)
        let figures = StreamFigures.measure(Fixtures.stream(), statistics: book.snapshot(at: Fixtures.start).streams, interfaceIndexes: nil,
                                            now: Fixtures.wallStart, joinedAt: 0)
        #expect(figures.packets == 0)
    }
}
