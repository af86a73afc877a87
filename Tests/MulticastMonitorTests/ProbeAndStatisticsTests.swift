import MulticastExpert
@testable import MulticastMonitor
import Testing
import MulticastText

@Suite("Probe format and statistics arithmetic")
struct ProbeAndStatisticsTests {
    @Test("a probe header survives encode and decode, big-endian as DESIGN.md lays it out")
    func probeRoundTrip() throws {
        let header = ProbeHeader(senderID: 0x0102_0304_0506_0708, sequence: 42, sendTimeNanoseconds: 1_764_000_000_123_456_789)
        let bytes = header.datagram(size: 100)
        #expect(bytes.count == 100)
        #expect(Array(bytes[0..<8]) == [0x4D, 0x43, 0x58, 0x50, 1, 0, 0, 32])
        #expect(Array(bytes[8..<16]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Array(bytes[16..<24]) == [0, 0, 0, 0, 0, 0, 0, 42])
        #expect(ProbeHeader(decoding: bytes) == header)
        #expect(bytes[32...].allSatisfy { $0 == 0 })
    }

    @Test("payloads that are not probes are recognised as such", arguments: [
        [UInt8](), Array("MCXP".utf8), Array(repeating: 0x41, count: 64),
        { var b = ProbeHeader(senderID: 1, sequence: 1, sendTimeNanoseconds: 1).datagram(size: 32); b[4] = 2; return b }(),  // version 2
        { var b = ProbeHeader(senderID: 1, sequence: 1, sendTimeNanoseconds: 1).datagram(size: 32); b[7] = 200; return b }(),  // header longer than datagram
        Array(ProbeHeader(senderID: 1, sequence: 1, sendTimeNanoseconds: 1).datagram(size: 32).prefix(31)),
    ])
    func notProbes(bytes: [UInt8]) {
        #expect(ProbeHeader(decoding: bytes) == nil)
    }

    func tracker(_ sequences: [UInt64], senderID: UInt64 = 7) -> ProbeSequenceTracker {
        var tracker: ProbeSequenceTracker?
        for (i, sequence) in sequences.enumerated() {
            let header = ProbeHeader(senderID: senderID, sequence: sequence, sendTimeNanoseconds: Int64(sequence) * 1_000_000)
            let arrival = Int64(i) * 1_000_000 + 500_000
            if tracker == nil { tracker = ProbeSequenceTracker(first: header, receivedAt: arrival) } else { tracker!.record(header, receivedAt: arrival) }
        }
        return tracker!
    }

    @Test("loss, reordering and duplicates are counted exactly")
    func sequenceAccounting() {
        // 0..19 with 5 and 6 missing, 10/11 swapped, 15 twice.
        let t = tracker([0, 1, 2, 3, 4, 7, 8, 9, 11, 10, 12, 13, 14, 15, 15, 16, 17, 18, 19])
        #expect(t.lost == 2)
        #expect(t.reordered == 1)
        #expect(t.duplicates == 1)
        #expect(t.expected == 20)
        #expect(t.uniqueReceived == 18)
    }

    @Test("a late datagram fills its gap: loss goes down, reordering up")
    func lateArrival() {
        let t = tracker([0, 1, 3, 4, 2])
        #expect(t.lost == 0)
        #expect(t.reordered == 1)
    }

    @Test("a stream starting mid-way does not count the sequence numbers before it as lost")
    func midStream() {
        let t = tracker([1000, 1001, 1003])
        #expect(t.lost == 1)
        #expect(t.expected == 4)
    }

    @Test("jitter follows RFC 3550: constant transit gives zero, alternating transit converges")
    func jitter() {
        #expect(tracker(Array(0..<50)).jitterNanoseconds == 0)
        var t = ProbeSequenceTracker(first: ProbeHeader(senderID: 1, sequence: 0, sendTimeNanoseconds: 0), receivedAt: 1_000_000)
        for i in 1..<400 {
            let transit: Int64 = i % 2 == 0 ? 1_000_000 : 3_000_000  // |D| is always 2 ms
            t.record(ProbeHeader(senderID: 1, sequence: UInt64(i), sendTimeNanoseconds: Int64(i) * 10_000_000), receivedAt: Int64(i) * 10_000_000 + transit)
        }
        #expect(abs(t.jitterNanoseconds - 2_000_000) < 1_000)
        #expect(t.latencyMin == 1_000_000)
        #expect(t.latencyMax == 3_000_000)
    }

    @Test("a restarted sender (new id) starts a new run and keeps the old run's loss")
    func senderRestart() {
        var source = SourceStatistics(source: SocketAddress(address: IPAddress("127.0.0.1")!, port: 1), firstSeen: Timestamp(nanosecondsSinceEpoch: 0))
        for (id, sequence) in [(1, 0), (1, 2), (2, 0), (2, 1)] as [(UInt64, UInt64)] {
            let bytes = ProbeHeader(senderID: id, sequence: sequence, sendTimeNanoseconds: 0).datagram(size: 40)
            bytes.withUnsafeBytes { source.record(payload: $0, length: 40, receivedAt: Timestamp(nanosecondsSinceEpoch: 1), now: 1) }
        }
        #expect(source.lost == 1)
        #expect(source.expected == 5)
        #expect(source.probe?.senderID == 2)
    }

    @Test("the rate meter reports the last second and forgets idle time")
    func rateMeter() {
        var meter = RateMeter()
        let base: Int64 = 1_000_000_000_000
        for i in 0..<50 { meter.record(bytes: 100, now: base + Int64(i) * 20_000_000) }  // 50 packets over one second
        #expect(abs(meter.packetsPerSecond - 50) < 0.001, "45 packets in the 0.9 s of complete buckets")
        #expect(meter.bitsPerSecond == meter.packetsPerSecond * 800)
        meter.advance(to: base + 3_000_000_000)
        #expect(meter.packetsPerSecond == 0)
        let history = meter.packetsPerSecondHistory
        #expect(history.count == 60)
        #expect(history.reduce(0, +) == 50)
        #expect(history.suffix(3) == [0, 0, 0])
    }

    @Test("hexdump lines show offset, hex and printable ASCII; escape bytes never survive")
    func hexdump() {
        let lines = Hexdump.lines(Array("MCXP hello\u{1b}[2J\u{07}world!".utf8))
        #expect(lines.count == 2)
        #expect(lines[0] == "00000000  4d 43 58 50 20 68 65 6c  6c 6f 1b 5b 32 4a 07 77  |MCXP hello.[2J.w|")
        #expect(lines[1] == "00000010  6f 72 6c 64 21                                    |orld!|")
        #expect(lines.allSatisfy { $0.count <= 78 && $0.utf8.allSatisfy { (0x20...0x7e).contains($0) } })
        #expect(PrintableText.ascii([0x1b, 0x9b, 0x41, 0x00, 0x7f]) == "..A..")
        #expect(Hexdump.compactHex([0x00, 0xab, 0xff]) == "00abff")
    }

    @Test("timestamps print as RFC 3339 UTC with microseconds", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000Z"),
        (Int64(1_764_057_481_123_456_789), "2025-11-25T07:58:01.123456Z"),
        (Int64(951_782_400_000_001_000), "2000-02-29T00:00:00.000001Z"),
    ])
    func timeFormat(nanoseconds: Int64, text: String) {
        #expect(TimeFormat.iso8601(Timestamp(nanosecondsSinceEpoch: nanoseconds)) == text)
    }
}
