import MulticastExpert
import MulticastMonitor
import Testing

/// The engine's statistics book on its own: synthetic datagrams and explicit times, no sockets.
@Suite("Statistics book")
struct StatisticsBookTests {
    static let groupA = try! MulticastGroup(parsing: "239.50.0.1")
    static let groupB = try! MulticastGroup(parsing: "ff15::50")
    static let source = SocketAddress(address: IPAddress("198.18.0.1")!, port: 4000)
    /// Ten seconds into the monotonic clock, on a bucket boundary, so rate windows come out exact.
    static let start: Int64 = 10_000_000_000

    func datagram(_ group: MulticastGroup = groupA, port: UInt16 = 5000, interface: UInt32 = 2, size: Int = 100,
                  from source: SocketAddress = source) -> Datagram {
        Datagram(payload: [UInt8](repeating: 0xAB, count: size), source: source, group: group, port: port, interfaceIndex: interface,
                 interfaceName: "if\(interface)", receivedAt: Timestamp(nanosecondsSinceEpoch: 1_000))
    }

    @Test("each (group, port, interface) gets a stream of its own, however the datagrams interleave")
    func streamsPerGroupPortAndInterface() {
        var book = StatisticsBook()
        let kinds = [datagram(), datagram(port: 5001), datagram(interface: 3), datagram(Self.groupB)]
        for round in 0..<5 {
            for (i, kind) in kinds.enumerated() where i <= round { book.record(kind, now: Self.start) }
            book.record(kinds[0], now: Self.start)  // back-to-back datagrams of one stream, then a switch
        }
        let snapshot = book.snapshot(at: Self.start)
        #expect(snapshot.streams.map(\.key) == [
            StreamKey(group: Self.groupA, port: 5000, interfaceIndex: 2, interfaceName: "if2"),
            StreamKey(group: Self.groupA, port: 5000, interfaceIndex: 3, interfaceName: "if3"),
            StreamKey(group: Self.groupA, port: 5001, interfaceIndex: 2, interfaceName: "if2"),
            StreamKey(group: Self.groupB, port: 5000, interfaceIndex: 2, interfaceName: "if2"),
        ])
        #expect(snapshot.streams.map(\.packets) == [10, 3, 4, 2])
        #expect(snapshot.streams.map(\.bytes) == [1000, 300, 400, 200])
        #expect(snapshot.totalPackets == 19)
        #expect(snapshot.untrackedStreamPackets == 0)
    }

    @Test("past the stream cap, new streams' datagrams are counted as untracked while known streams keep counting")
    func streamCap() {
        var book = StatisticsBook(maxStreams: 2)
        book.record(datagram(port: 1), now: Self.start)
        book.record(datagram(port: 2), now: Self.start)
        for port: UInt16 in 3...7 { book.record(datagram(port: port), now: Self.start) }
        book.record(datagram(port: 1), now: Self.start)
        book.record(datagram(port: 3), now: Self.start)
        let snapshot = book.snapshot(at: Self.start)
        #expect(book.streamCount == 2)
        #expect(snapshot.streams.map(\.key.port) == [1, 2])
        #expect(snapshot.streams.map(\.packets) == [2, 1])
        #expect(snapshot.untrackedStreamPackets == 6)
        #expect(snapshot.totalPackets == 9)
    }

    @Test("a stream cap of zero itemises nothing and still counts everything")
    func zeroStreamCap() {
        var book = StatisticsBook(maxStreams: 0)
        for _ in 0..<3 { book.record(datagram(), now: Self.start) }
        let snapshot = book.snapshot(at: Self.start)
        #expect(snapshot.streams.isEmpty)
        #expect(snapshot.totalPackets == 3 && snapshot.untrackedStreamPackets == 3)
    }

    @Test("every snapshot adds up: the total is the streams' datagrams plus the untracked ones, streams in key order",
          arguments: [1, 7, 42, 1234])
    func snapshotConsistency(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var book = StatisticsBook(limits: StatisticsLimits(maxSourcesPerStream: 3), maxStreams: 5)
        var now = Self.start
        var recorded: UInt64 = 0
        for step in 0..<2000 {
            let value = random.next()
            let group = value & 1 == 0 ? Self.groupA : Self.groupB
            let source = SocketAddress(address: IPAddress("198.18.0.\((value >> 8) % 6 + 1)")!, port: 4000)
            book.record(datagram(group, port: UInt16((value >> 16) % 4), interface: UInt32((value >> 24) % 2 + 1), size: Int((value >> 32) % 1400),
                                 from: source), now: now)
            recorded += 1
            now += Int64((value >> 40) % 3_000_000)
            guard step % 97 == 0 else { continue }
            let snapshot = book.snapshot(at: now)
            #expect(snapshot.totalPackets == recorded)
            #expect(snapshot.streams.reduce(0) { $0 + $1.packets } + snapshot.untrackedStreamPackets == recorded)
            #expect(snapshot.streams.count <= 5)
            #expect(snapshot.streams.map(\.key) == snapshot.streams.map(\.key).sorted())
            for stream in snapshot.streams {
                #expect(stream.sources.count <= 3)
                #expect(stream.sources.values.reduce(0) { $0 + $1.packets } + stream.untrackedPackets == stream.packets)
            }
        }
    }

    @Test("rates follow the time given: 100 datagrams/s while they arrive, zero once they stop")
    func ratesAdvanceWithTime() {
        var book = StatisticsBook()
        // One datagram every 10 ms for 0.9 s: nine complete 100 ms buckets of ten.
        for i in 0..<90 { book.record(datagram(), now: Self.start + Int64(i) * 10_000_000) }
        let during = book.snapshot(at: Self.start + 950_000_000)
        #expect(during.totalPacketsPerSecond == 100)
        #expect(during.streams.first?.rate.packetsPerSecond == 100)
        let after = book.snapshot(at: Self.start + 3_000_000_000)
        #expect(after.totalPacketsPerSecond == 0)
        #expect(after.streams.first?.rate.packetsPerSecond == 0)
        #expect(after.totalPackets == 90, "moving time on forgets rates, not counts")
    }

    @Test("a reset forgets streams and totals, and the next datagram starts a new stream")
    func resetStartsAfresh() {
        var book = StatisticsBook()
        for _ in 0..<3 { book.record(datagram(), now: Self.start) }
        book.reset()
        #expect(book.snapshot(at: Self.start).streams.isEmpty)
        book.record(datagram(), now: Self.start)  // the same stream as just before the reset
        book.record(datagram(), now: Self.start)
        let snapshot = book.snapshot(at: Self.start)
        #expect(snapshot.streams.map(\.packets) == [2])
        #expect(snapshot.totalPackets == 2)
    }

    @Test("recording in place and recording an owned copy count the same")
    func viewsAndDatagramsAgree() {
        var byView = StatisticsBook(), byCopy = StatisticsBook()
        for port: UInt16 in [1, 1, 2, 1] {
            let d = datagram(port: port)
            d.withView { byView.record($0, now: Self.start) }
            byCopy.record(d, now: Self.start)
        }
        #expect(byView.snapshot(at: Self.start).streams == byCopy.snapshot(at: Self.start).streams)
    }
}
