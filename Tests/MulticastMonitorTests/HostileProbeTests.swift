import MulticastExpert
@testable import MulticastMonitor
import PropertyBased
import Testing

/// Probes are read off the network, so every field may be forged: the statistics must neither
/// trap nor stop meaning something, whatever arrives.
@Suite("Statistics under hostile and extreme probes")
struct HostileProbeTests {
    static let second: Int64 = 1_000_000_000

    /// Feeds `(sequence, sendTime, receivedAt)` triples of one sender into a tracker.
    func track(_ probes: [(UInt64, Int64, Int64)], senderID: UInt64 = 9) -> ProbeSequenceTracker {
        var tracker: ProbeSequenceTracker?
        for (sequence, sent, received) in probes {
            let header = ProbeHeader(senderID: senderID, sequence: sequence, sendTimeNanoseconds: sent)
            if tracker == nil { tracker = ProbeSequenceTracker(first: header, receivedAt: received) } else { tracker!.record(header, receivedAt: received) }
        }
        return tracker!
    }

    /// Sequence numbers arriving 1 ms apart with a 1 ms transit.
    func track(sequences: [UInt64]) -> ProbeSequenceTracker {
        track(sequences.enumerated().map { (i, s) in (s, Int64(i) * 1_000_000, Int64(i) * 1_000_000 + 1_000_000) })
    }

    @Test("a sequence number wrapping past UInt64.max carries on without loss or reordering")
    func wrap() {
        let t = track(sequences: [.max - 2, .max - 1, .max, 0, 1, 3])
        #expect(t.expected == 7)
        #expect(t.lost == 1)
        #expect(t.reordered == 0)
        #expect(t.duplicates == 0)
        #expect(t.highestSequence == 3)
    }

    @Test("a late datagram from before the wrap is reordering, not a huge loss")
    func lateAcrossWrap() {
        let t = track(sequences: [.max - 1, 0, 1, .max])
        #expect(t.expected == 4)
        #expect(t.lost == 0)
        #expect(t.reordered == 1)
    }

    @Test("one forged datagram far ahead or far behind is ignored and counted as out of range", arguments: [
        UInt64(1) << 63, UInt64.max, UInt64(1) << 40, 0,
    ])
    func forgedOutlier(forged: UInt64) {
        let base: UInt64 = 1_000_000
        let t = track(sequences: [base, base + 1, base + 2, forged, base + 3, base + 4])
        #expect(t.outOfRange == 1)
        #expect(t.expected == 5)
        #expect(t.lost == 0)
        #expect(t.resynchronisations == 0)
        #expect(t.highestSequence == base + 4)
    }

    @Test("a jump confirmed by the next number starts a new segment; the gap is not counted as loss")
    func confirmedJump() {
        let t = track(sequences: [0, 1, 2, 4, 5_000_000_000, 5_000_000_001, 5_000_000_003])
        #expect(t.resynchronisations == 1)
        #expect(t.outOfRange == 0)
        #expect(t.expected == 5 + 4, "0...4 then 5e9...5e9+3")
        #expect(t.lost == 1 + 1)
        #expect(t.uniqueReceived == 7)
    }

    @Test("a sender counting backwards from far behind (a replay) resynchronises instead of inflating loss")
    func replayFromStart() {
        let t = track(sequences: [100_000, 100_001, 100_002, 0, 1, 2, 3])
        #expect(t.resynchronisations == 1)
        #expect(t.expected == 3 + 4)
        #expect(t.lost == 0)
    }

    @Test("a jump waits for the next datagram: alone at the end of a stream it is unconfirmed, not loss")
    func unconfirmedAtEnd() {
        let t = track(sequences: [0, 1, 2, 500])
        #expect(t.unconfirmed == 1)
        #expect(t.lost == 0)
        #expect(t.expected == 3)
    }

    @Test("one forged probe a believable distance ahead cannot fake loss (it needs a second to confirm it)")
    func forgedWithinTimeWindow() {
        // 1 datagram/s, so 0.9 s allows a jump of 9 million by time alone.
        var probes: [(UInt64, Int64, Int64)] = (0..<10).map { (UInt64($0), Int64($0) * Self.second, Int64($0) * Self.second) }
        probes.append((9_000_010, 9 * Self.second + 900_000_000, 9 * Self.second + 900_000_000))
        probes += (10..<20).map { (UInt64($0), Int64($0) * Self.second, Int64($0) * Self.second) }
        let t = track(probes)
        #expect(t.lost == 0)
        #expect(t.expected == 20)
        #expect(t.outOfRange == 1)
        #expect(t.resynchronisations == 0)
    }

    @Test("a forged pair that forces a new segment is undone when the real stream comes back; later duplicates stay duplicates")
    func forgedPairUndone() {
        var sequences = Array(UInt64(100)...200)
        sequences += [1 << 40, (1 << 40) + 1, 201, 202]
        sequences += Array(UInt64(190)...200)
        let t = track(sequences: sequences)
        #expect(t.uniqueReceived == 103, "100...202 once each")
        #expect(t.outOfRange == 2, "the forged pair")
        #expect(t.duplicates == 11)
        #expect(t.expected == 103)
        #expect(t.lost == 0)
    }

    @Test("a held jump confirmed later is counted once; a gap no sender could have sent by then is a new segment, not loss")
    func heldThenBelieved() {
        let t = track([(0, 0, 0), (1, 0, 1_000_000), (100_000, 0, 2_000_000), (100_001, 0, Self.second + 2_000_000)])
        #expect(t.uniqueReceived == 4)
        #expect(t.outOfRange == 0)
        #expect(t.resynchronisations == 1)
        #expect(t.lost == 0)
        #expect(t.expected == 4)
    }

    @Test("a long outage is loss when a sender could have sent that many in the time that passed")
    func plausibleGap() {
        // 1000/s, then ten seconds of silence: 10,000 numbers later is believable.
        let t = track([(0, 0, 1_000_000), (1, 1_000_000, 2_000_000), (10_001, 10 * Self.second, 10 * Self.second + 1_000_000),
                       (10_002, 10 * Self.second + 1_000_000, 10 * Self.second + 2_000_000)])
        #expect(t.outOfRange == 0)
        #expect(t.lost == 9_999)
        #expect(t.expected == 10_003)
        #expect(t.resynchronisations == 0)
    }

    @Test("send times at the ends of Int64 are skipped for latency and jitter, and nothing traps", arguments: [
        Int64.min, Int64.max, Int64.min + 1, -1,
    ])
    func extremeSendTimes(sent: Int64) {
        let now: Int64 = 1_764_000_000 * Self.second
        let t = track([(0, now - 1_000_000, now), (1, sent, now + 1_000_000), (2, now + 1_000_000, now + 2_000_000), (3, sent, .max), (4, sent, .min)])
        #expect(t.uniqueReceived == 5)
        #expect(t.lost == 0)
        #expect(t.jitterNanoseconds.isFinite)
        #expect(t.latencyMin <= t.latencyMax)
        #expect(t.latencyAverage != nil)
    }

    @Test("a sender whose clock is hours off has meaningful jitter and is flagged for latency")
    func unsynchronisedClock() {
        let offset = 5 * 3600 * Self.second
        let t = track((0..<50).map { i in (UInt64(i), Int64(i) * 10_000_000 - offset, Int64(i) * 10_000_000 + 1_000_000) })
        #expect(t.jitterNanoseconds == 0)
        #expect(!t.latencyIsPlausible)
        #expect(track(sequences: Array(0..<10)).latencyIsPlausible)
    }

    @Test("the datagrams the issue names do not trap the stream statistics and leave sane figures")
    func issueDatagrams() {
        var stream = StreamStatistics(key: StreamKey(group: MulticastGroup("239.1.2.3")!, port: 5000, interfaceIndex: 1, interfaceName: "lo"))
        let source = SocketAddress(address: IPAddress("127.0.0.1")!, port: 4000)
        let headers = [
            ProbeHeader(senderID: 1, sequence: 0, sendTimeNanoseconds: .min),
            ProbeHeader(senderID: 1, sequence: .max, sendTimeNanoseconds: .max),
            ProbeHeader(senderID: 1, sequence: .max - 1, sendTimeNanoseconds: 0),
            ProbeHeader(senderID: 1, sequence: 1 << 62, sendTimeNanoseconds: -1),
            ProbeHeader(senderID: 2, sequence: .max, sendTimeNanoseconds: .max),
            ProbeHeader(senderID: 2, sequence: 0, sendTimeNanoseconds: .min),
        ]
        for (i, header) in headers.enumerated() {
            let bytes = header.datagram(size: 64)
            let datagram = Datagram(payload: bytes, source: source, group: MulticastGroup("239.1.2.3")!, port: 5000, interfaceIndex: 1,
                                    interfaceName: "lo", receivedAt: Timestamp(nanosecondsSinceEpoch: [Int64.max, .min, 0][i % 3]),
                                    socketDropCount: UInt32.max - UInt32(i))
            stream.record(datagram, now: [Int64.max, -1, 0][i % 3])
        }
        stream.advance(to: .max)
        #expect(stream.packets == 6)
        #expect(stream.lost <= stream.expected)
        #expect(stream.expected < 10, "a handful of datagrams cannot claim billions expected")
        #expect(stream.jitterNanoseconds.map(\.isFinite) ?? true)
        _ = stream.rate.packetsPerSecond
        _ = stream.rate.packetsPerSecondHistory
    }

    @Test("the kernel's 32-bit drop counter wrapping keeps the drop total growing")
    func dropCounterWrap() {
        var stream = StreamStatistics(key: StreamKey(group: MulticastGroup("239.1.2.3")!, port: 5000, interfaceIndex: 1, interfaceName: "lo"))
        let source = SocketAddress(address: IPAddress("127.0.0.1")!, port: 4000)
        for counter in [UInt32.max - 1, UInt32.max, 3] {
            let datagram = Datagram(payload: [1], source: source, group: MulticastGroup("239.1.2.3")!, port: 5000, interfaceIndex: 1,
                                    interfaceName: "lo", receivedAt: Timestamp(nanosecondsSinceEpoch: 0), socketDropCount: counter)
            stream.record(datagram, now: 1)
        }
        #expect(stream.kernelDrops == UInt64(UInt32.max) + 4)
    }

    @Test("the rate meter takes any time without trapping", arguments: [Int64.min, -1, 0, Int64.max - 1, Int64.max])
    func rateMeterEdges(time: Int64) {
        var meter = RateMeter()
        meter.record(bytes: .max, now: time)
        meter.record(bytes: 100, now: 5 * Self.second)
        meter.advance(to: time)
        #expect(meter.packetsPerSecond >= 0)
        #expect(meter.packetsPerSecondHistory.count == RateMeter.historySeconds)
    }

    @Test("saturating conversions never trap", arguments: [
        (Double.nan, Int64(0)), (.infinity, .max), (-.infinity, .min), (1e300, .max), (-1e300, .min), (1e19, .max), (-1e19, .min),
        (9_223_372_036_854_775_807.0, .max), (42.7, 42), (-42.7, -42),
    ])
    func saturatingConversion(value: Double, expected: Int64) {
        #expect(Int64(saturating: value) == expected)
    }

    // MARK: Properties

    @Test("for any sequence of probes: received = unique + duplicates + out of range, and loss never exceeds the span")
    func accountingProperty() async {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.int(in: -6000...6000).array(of: 1...300)) { base, offsets in
            let sequences = offsets.map { base &+ UInt64(bitPattern: Int64($0)) }
            let t = track(sequences: sequences)
            #expect(t.uniqueReceived + t.duplicates + t.outOfRange + t.unconfirmed == UInt64(offsets.count))
            #expect(t.uniqueReceived <= UInt64(Set(sequences).count), "a number is never counted as new twice")
            #expect(t.lost <= t.expected)
            if t.resynchronisations == 0 { #expect(t.lost + t.uniqueReceived == t.expected) }
        }
    }

    @Test("near the top of the counter the same accounting holds across the wrap")
    func accountingPropertyAtWrap() async {
        await propertyCheck(count: 200, input: Gen.int(in: -300...300).array(of: 1...200)) { offsets in
            let sequences = offsets.map { UInt64.max &- 100 &+ UInt64(bitPattern: Int64($0)) }
            let t = track(sequences: sequences)
            #expect(t.uniqueReceived + t.duplicates + t.outOfRange + t.unconfirmed == UInt64(offsets.count))
            #expect(t.uniqueReceived <= UInt64(Set(sequences).count))
            if t.resynchronisations == 0 { #expect(t.lost + t.uniqueReceived == t.expected) }
        }
    }

    @Test("a permutation of a range with some numbers dropped and some repeated is counted exactly")
    func exactProperty() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...500), Gen.uint64(), Gen.int(in: 0...1000).array(of: 0...40)) { length, base, picks in
            // Drop every pick (mod length) except the first and last numbers, repeat some others.
            let dropped = Set(picks.filter { $0 % 2 == 0 }.map { $0 % length }).subtracting([0, length - 1])
            let repeated = picks.filter { $0 % 2 == 1 }.map { $0 % length }.filter { !dropped.contains($0) }
            var order = (0..<length).filter { !dropped.contains($0) }
            order += repeated
            let t = track(sequences: order.map { base &+ UInt64($0) })
            #expect(t.expected == UInt64(length))
            #expect(t.lost == UInt64(dropped.count))
            #expect(t.duplicates == UInt64(repeated.count))
        }
    }

    @Test("for any fields at all, nothing traps and the figures stay within their bounds")
    func anyFieldsProperty() async {
        let probe = Gen.uint64().array(of: 3)
        await propertyCheck(count: 300, input: probe.array(of: 1...100)) { raw in
            let t = track(raw.map { ($0[0], Int64(bitPattern: $0[1]), Int64(bitPattern: $0[2])) })
            #expect(t.uniqueReceived + t.duplicates + t.outOfRange + t.unconfirmed == UInt64(raw.count))
            #expect(t.uniqueReceived <= UInt64(Set(raw.map { $0[0] }).count))
            #expect(t.lost <= t.expected)
            #expect(t.jitterNanoseconds.isFinite && t.jitterNanoseconds >= 0)
        }
    }
}
