import MulticastExpert
@testable import MulticastMonitor
import Testing

/// Bytes of an RTP datagram: fixed header, CSRCs, optional extension, payload, optional padding.
func rtpDatagram(
    version: UInt8 = 2, marker: Bool = false, payloadType: UInt8 = 96, sequence: UInt16 = 0,
    timestamp: UInt32 = 0, ssrc: UInt32 = 0x1234_5678, csrcs: [UInt32] = [],
    extensionWords: [UInt32]? = nil, payload: [UInt8] = [], padding: Int = 0
) -> [UInt8] {
    func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }
    var bytes: [UInt8] = [
        version << 6 | (padding > 0 ? 0x20 : 0) | (extensionWords != nil ? 0x10 : 0) | UInt8(csrcs.count & 0x0F),
        (marker ? 0x80 : 0) | payloadType & 0x7F,
        UInt8(sequence >> 8), UInt8(truncatingIfNeeded: sequence),
    ]
    bytes += be32(timestamp) + be32(ssrc)
    for csrc in csrcs { bytes += be32(csrc) }
    if let words = extensionWords {
        bytes += [0xBE, 0xDE, UInt8(words.count >> 8), UInt8(truncatingIfNeeded: words.count)]
        for word in words { bytes += be32(word) }
    }
    bytes += payload
    if padding > 0 { bytes += [UInt8](repeating: 0, count: padding - 1) + [UInt8(padding)] }
    return bytes
}

@Suite("RTP header decoding")
struct RTPHeaderTests {
    @Test("the fixed header is read big-endian: marker, payload type, sequence, timestamp, SSRC")
    func fixedHeader() throws {
        let bytes = rtpDatagram(marker: true, payloadType: 33, sequence: 0xABCD, timestamp: 0x0102_0304, ssrc: 0xDEAD_BEEF, payload: [1, 2, 3])
        let header = try #require(RTPHeader(decoding: bytes))
        #expect(header.marker)
        #expect(header.payloadType == 33)
        #expect(header.sequence == 0xABCD)
        #expect(header.timestamp == 0x0102_0304)
        #expect(header.ssrc == 0xDEAD_BEEF)
        #expect(header.csrcCount == 0)
        #expect(!header.hasExtension)
        #expect(header.paddingLength == 0)
        #expect(header.payloadOffset == 12)
        #expect(header.payloadLength == 3)
    }

    @Test("CSRCs, a header extension and padding move the payload and shorten it")
    func csrcExtensionPadding() throws {
        let payload: [UInt8] = [9, 8, 7, 6, 5]
        let bytes = rtpDatagram(csrcs: [1, 2, 3], extensionWords: [0xAAAA_AAAA, 0xBBBB_BBBB], payload: payload, padding: 4)
        let header = try #require(RTPHeader(decoding: bytes))
        #expect(header.csrcCount == 3)
        #expect(header.hasExtension)
        #expect(header.paddingLength == 4)
        #expect(header.payloadOffset == 12 + 12 + 4 + 8)
        #expect(header.payloadLength == 5)
        #expect(Array(bytes[header.payloadRange()]) == payload)
    }

    @Test("an empty extension and padding that fills all of the payload are fine")
    func edgesThatFit() throws {
        let empty = try #require(RTPHeader(decoding: rtpDatagram(extensionWords: [])))
        #expect(empty.payloadOffset == 16)
        #expect(empty.payloadLength == 0)
        let allPadding = try #require(RTPHeader(decoding: rtpDatagram(padding: 8)))
        #expect(allPadding.paddingLength == 8)
        #expect(allPadding.payloadLength == 0)
    }

    @Test("datagrams that are not RTP, or whose lengths do not fit, are rejected", arguments: [
        ("version 1", rtpDatagram(version: 1, payload: [0])),
        ("version 0", rtpDatagram(version: 0, payload: [0])),
        ("version 3", rtpDatagram(version: 3, payload: [0])),
        ("11 bytes", Array(rtpDatagram().prefix(11))),
        ("empty", []),
        ("CSRCs past the end", Array(rtpDatagram(csrcs: [1, 2]).prefix(19))),
        ("extension header cut", Array(rtpDatagram(extensionWords: [1]).prefix(14))),
        ("extension words cut", Array(rtpDatagram(extensionWords: [1, 2, 3]).prefix(22))),
        ("padding larger than the packet", { var b = rtpDatagram(payload: [1, 2, 3], padding: 1); b[b.count - 1] = 5; return b }()),
        ("padding into the header", { var b = rtpDatagram(padding: 1); b[b.count - 1] = 13; return b }()),
        ("padding count 0", { var b = rtpDatagram(payload: [1, 2], padding: 1); b[b.count - 1] = 0; return b }()),
        ("padding bit, no room", { var b = rtpDatagram(); b[0] |= 0x20; return b }()),
    ] as [(String, [UInt8])])
    func rejected(_ what: String, bytes: [UInt8]) {
        #expect(RTPHeader(decoding: bytes) == nil, "\(what)")
    }

    @Test("RTCP (packet types 200–204, which read as payload types 72–76) is not taken for RTP", arguments: UInt8(200)...204)
    func rtcpRejected(packetType: UInt8) {
        // An RTCP receiver report: V=2, RC=0, PT, length 1, SSRC.
        let rtcp: [UInt8] = [0x80, packetType, 0, 1, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0]
        #expect(RTPHeader(decoding: rtcp) == nil)
        #expect(RTPHeader(decoding: rtpDatagram(payloadType: packetType & 0x7F)) == nil)
    }

    @Test("payload types next to the RTCP range still decode", arguments: [UInt8(71), 77, 0, 127])
    func nearRTCP(payloadType: UInt8) {
        #expect(RTPHeader(decoding: rtpDatagram(payloadType: payloadType))?.payloadType == payloadType)
    }

    @Test("clock rates follow RFC 3551; dynamic and unassigned types get the caller's default")
    func clockRates() {
        #expect(RTPClockRate.hertz(payloadType: 0) == 8_000)
        #expect(RTPClockRate.hertz(payloadType: 8) == 8_000)
        #expect(RTPClockRate.hertz(payloadType: 9) == 8_000)  // G.722: 8 kHz clock, 16 kHz audio
        #expect(RTPClockRate.hertz(payloadType: 6) == 16_000)
        #expect(RTPClockRate.hertz(payloadType: 16) == 11_025)
        #expect(RTPClockRate.hertz(payloadType: 17) == 22_050)
        #expect(RTPClockRate.hertz(payloadType: 10) == 44_100)
        #expect(RTPClockRate.hertz(payloadType: 11) == 44_100)
        #expect(RTPClockRate.hertz(payloadType: RTPClockRate.mpegTransportStream) == 90_000)
        #expect(RTPClockRate.hertz(payloadType: 26, dynamicDefault: 48_000) == 90_000)
        #expect(RTPClockRate.hertz(payloadType: 96) == 90_000)
        #expect(RTPClockRate.hertz(payloadType: 111, dynamicDefault: 48_000) == 48_000)
        #expect(RTPClockRate.hertz(payloadType: 1, dynamicDefault: 48_000) == 48_000)  // reserved
        #expect(RTPClockRate.hertz(payloadType: 50, dynamicDefault: 48_000) == 48_000)  // unassigned
    }
}

@Suite("RTP sequence numbers and jitter (RFC 3550 A.1, A.8)")
struct RTPTrackerTests {
    static let millisecond: Int64 = 1_000_000

    /// One SSRC's packets by sequence number, 20 ms apart at 90 kHz with a constant transit.
    func run(_ sequences: [UInt16], clockRate: UInt32 = 90_000) -> RTPRunTracker {
        var tracker: RTPRunTracker?
        for (i, sequence) in sequences.enumerated() {
            let header = RTPHeader(payloadType: 96, sequence: sequence, timestamp: UInt32(truncatingIfNeeded: i &* 1_800), ssrc: 7)
            let at = Int64(i) * 20 * Self.millisecond + 5 * Self.millisecond
            if tracker == nil { tracker = RTPRunTracker(first: header, receivedAt: at, clockRate: clockRate) } else { tracker!.record(header, receivedAt: at) }
        }
        return tracker!
    }

    func checkIdentities(_ t: RTPRunTracker) {
        #expect(t.lost <= t.expected)
        #expect(t.uniqueReceived + t.duplicates <= t.received)
        #expect(t.received == t.uniqueReceived + t.duplicates + t.strays + t.probationPackets)
    }

    @Test("an unbroken stream counts every packet, the validating pair included")
    func unbroken() {
        let t = run(Array(100..<110))
        #expect(t.isValid)
        #expect(t.received == 10)
        #expect(t.uniqueReceived == 10)
        #expect(t.expected == 10)
        #expect(t.lost == 0)
        #expect(t.probationPackets == 0)
        #expect(t.highestExtendedSequence == 109)
        checkIdentities(t)
    }

    @Test("the sequence number wrapping from 65535 to 0 is no loss and extends the number")
    func wrap() {
        let t = run([65_532, 65_533, 65_534, 65_535, 0, 1, 2])
        #expect(t.expected == 7)
        #expect(t.lost == 0)
        #expect(t.reordered == 0)
        #expect(t.highestExtendedSequence == 65_536 + 2)
    }

    @Test("a source whose validating pair straddles the wrap starts at the second number, as A.1's base")
    func wrapAtStart() {
        let t = run([65_535, 0, 1, 2])
        #expect(t.expected == 4)
        #expect(t.lost == 0)
        #expect(t.highestExtendedSequence == 2)
    }

    @Test("three missing sequence numbers count as three lost")
    func lossOfThree() {
        let t = run([10, 11, 12, 16, 17])
        #expect(t.expected == 8)
        #expect(t.uniqueReceived == 5)
        #expect(t.lost == 3)
    }

    @Test("a loss across the wrap counts only the missing numbers")
    func lossAcrossWrap() {
        let t = run([65_534, 65_535, 1, 2])
        #expect(t.expected == 5)
        #expect(t.lost == 1)
    }

    @Test("a packet up to 99 behind the highest is reordered, not lost; 100 behind is a stray (A.1's MAX_MISORDER)",
          arguments: [1, 5, 99, 100])
    func reordering(behind: Int) {
        // 998 and 999 make the source valid; 1000 arrives when the highest is 1000 + behind.
        let highest = UInt16(1000 + behind)
        let sequences = [998, 999] + (UInt16(1001)...highest).map { $0 } + [1000, highest + 1]
        let t = run(sequences)
        #expect(t.reordered == (behind < 100 ? 1 : 0))
        #expect(t.lost == (behind < 100 ? 0 : 1))
        #expect(t.expected == UInt64(behind + 4))
        checkIdentities(t)
    }

    @Test("a late packet from before the wrap is reordered, not a large jump")
    func lateAcrossWrap() {
        let t = run([65_533, 65_534, 0, 1, 65_535, 2])
        #expect(t.reordered == 1)
        #expect(t.lost == 0)
        #expect(t.expected == 6)
    }

    @Test("duplicates of the highest and of earlier packets are counted, not taken as new")
    func duplicates() {
        let t = run([1, 2, 3, 3, 4, 2, 5, 5, 5])
        #expect(t.duplicates == 4)
        #expect(t.uniqueReceived == 5)
        #expect(t.reordered == 0)
        #expect(t.lost == 0)
        #expect(t.received == 9)
        checkIdentities(t)
    }

    @Test("a duplicate from more than 99 back is still a duplicate, not a jump")
    func oldDuplicate() {
        let t = run(Array(0..<300) + [50] + Array(300..<310))
        #expect(t.duplicates == 1)
        #expect(t.strays == 0)
        #expect(t.lost == 0)
    }

    @Test("a new source is on probation until 2 sequential packets; only that pair and what follows count")
    func probation() {
        let header = { (sequence: UInt16) in RTPHeader(payloadType: 0, sequence: sequence, timestamp: 0, ssrc: 1) }
        var t = RTPRunTracker(first: header(10), receivedAt: 0, clockRate: 8_000)
        #expect(!t.isValid)
        t.record(header(20), receivedAt: 1)
        t.record(header(30), receivedAt: 2)
        #expect(!t.isValid)
        #expect(t.probationPackets == 3)
        #expect(t.expected == 0)
        #expect(t.lost == 0)
        t.record(header(31), receivedAt: 3)  // follows 30: valid, the segment is 30...31
        #expect(t.isValid)
        #expect(t.probationPackets == 2)
        #expect(t.uniqueReceived == 2)
        t.record(header(32), receivedAt: 4)
        #expect(t.expected == 3)
        #expect(t.lost == 0)
        #expect(t.received == 5)
        #expect(t.highestExtendedSequence == 32)
        checkIdentities(t)
    }

    @Test("a jump of more than 3000 confirmed by the next number restarts without a false loss")
    func restart() {
        let t = run(Array(0..<10) + [20_000, 20_001, 20_002])
        #expect(t.restarts == 1)
        #expect(t.lost == 0)
        #expect(t.expected == 13)
        #expect(t.uniqueReceived == 13)
        #expect(t.strays == 0)
        #expect(t.highestExtendedSequence == 20_002)
        checkIdentities(t)
    }

    @Test("a restart keeps the earlier segment's loss")
    func restartKeepsEarlierLoss() {
        let t = run([0, 1, 2, 5, 6] + [40_000, 40_001, 40_003])
        #expect(t.restarts == 1)
        #expect(t.lost == 2 + 1)
        #expect(t.expected == 7 + 4)
    }

    @Test("a jump backwards of 100 or more, confirmed, is a restart too")
    func restartBackwards() {
        let t = run(Array(5000..<5010) + [100, 101, 102])
        #expect(t.restarts == 1)
        #expect(t.lost == 0)
        #expect(t.expected == 13)
    }

    @Test("one stray far packet is ignored: no loss, no restart", arguments: [UInt16(3_010), 30_000, 65_000, 4_900])
    func strayPacket(offset: UInt16) {
        let base: UInt16 = 5_000
        let sequences = (0..<10).map { base &+ $0 } + [base &+ offset] + (10..<20).map { base &+ $0 }
        let t = run(sequences)
        #expect(t.strays == 1)
        #expect(t.restarts == 0)
        #expect(t.lost == 0)
        #expect(t.expected == 20)
        checkIdentities(t)
    }

    @Test("a gap below 3000 is taken at once and counted as loss, as A.1 does")
    func permissibleGap() {
        let t = run([0, 1, 2_000, 2_001])
        #expect(t.lost == 1_998)
        #expect(t.restarts == 0)
    }

    @Test("markers and the latest payload type are kept")
    func markersAndPayloadType() {
        var t = RTPRunTracker(first: RTPHeader(marker: true, payloadType: 96, sequence: 1, timestamp: 0, ssrc: 1), receivedAt: 0, clockRate: 90_000)
        t.record(RTPHeader(marker: false, payloadType: 97, sequence: 2, timestamp: 0, ssrc: 1), receivedAt: 0)
        t.record(RTPHeader(marker: true, payloadType: 97, sequence: 3, timestamp: 3_000, ssrc: 1), receivedAt: 0)
        #expect(t.markers == 2)
        #expect(t.payloadType == 97)
        #expect(t.lastTimestamp == 3_000)
    }

    // MARK: Jitter

    /// Packets 20 ms apart at `clockRate` whose arrival is shifted by `offset(i)` nanoseconds.
    func jitterRun(count: Int, clockRate: UInt32 = 90_000, firstTimestamp: UInt32 = 0, firstArrival: Int64 = 1_764_000_000_000_000_000, offset: (Int) -> Int64) -> RTPRunTracker {
        let step = UInt32(UInt64(clockRate) * 20 / 1_000)
        var tracker: RTPRunTracker?
        for i in 0..<count {
            let header = RTPHeader(payloadType: 96, sequence: UInt16(truncatingIfNeeded: i), timestamp: firstTimestamp &+ UInt32(i) &* step, ssrc: 3)
            let at = firstArrival + Int64(i) * 20 * Self.millisecond + offset(i)
            if tracker == nil { tracker = RTPRunTracker(first: header, receivedAt: at, clockRate: clockRate) } else { tracker!.record(header, receivedAt: at) }
        }
        return tracker!
    }

    @Test("arrivals spaced exactly as the timestamps give zero jitter")
    func constantSpacing() {
        let t = jitterRun(count: 200) { _ in 0 }
        #expect(t.jitterTimestampUnits == 0)
        #expect(t.jitterNanoseconds == 0)
    }

    @Test("arrivals alternating 1 ms early and late at 90 kHz converge to 180 units, 2 ms")
    func alternatingOffsets() {
        // Transit alternates ±90 units, so |D| = 180 every packet and J → 180 (1 − (15/16)^n).
        let t = jitterRun(count: 300) { $0.isMultiple(of: 2) ? Self.millisecond : -Self.millisecond }
        #expect(abs(t.jitterTimestampUnits - 180) < 0.001)
        #expect(abs(t.jitterNanoseconds - 2_000_000) < 10)
    }

    @Test("differences below one timestamp unit are measured, not rounded away (8 kHz)")
    func subUnitJitter() {
        // ±60 µs at 8 kHz: |D| = 120 µs = 0.96 units.
        let t = jitterRun(count: 300, clockRate: 8_000, firstArrival: 1_764_000_000_123_456_789) { $0.isMultiple(of: 2) ? 60_000 : -60_000 }
        #expect(abs(t.jitterTimestampUnits - 0.96) < 0.0001)
        #expect(abs(t.jitterNanoseconds - 120_000) < 10)
    }

    @Test("timestamps and receive times near their wrap or sign change give no false jitter", arguments: [
        (UInt32.max - 5_000, Int64(1_764_000_000_000_000_000)),
        (UInt32.max, Int64.max - 30_000_000_000),
        (0, Int64.min + 1),
        (0x8000_0000, Int64(-2_000_000_000)),
    ] as [(UInt32, Int64)])
    func wraps(firstTimestamp: UInt32, firstArrival: Int64) {
        let t = jitterRun(count: 500, firstTimestamp: firstTimestamp, firstArrival: firstArrival) { _ in 0 }
        #expect(t.jitterTimestampUnits < 1e-9)
        #expect(t.lost == 0)
    }

    @Test("arbitrary timestamps keep jitter finite and within 2^31 units")
    func arbitraryTimestamps() {
        var random = SplitMix64(seed: 0x4A17)
        var t = RTPRunTracker(first: RTPHeader(payloadType: 96, sequence: 0, timestamp: 0, ssrc: 1), receivedAt: 0, clockRate: 90_000)
        for i in 1..<2_000 {
            let header = RTPHeader(payloadType: 96, sequence: UInt16(i), timestamp: UInt32(truncatingIfNeeded: random.next()), ssrc: 1)
            t.record(header, receivedAt: Int64(bitPattern: random.next()))
        }
        #expect(t.jitterTimestampUnits.isFinite)
        #expect(t.jitterTimestampUnits >= 0 && t.jitterTimestampUnits <= 2_147_483_648)
        #expect(t.jitterNanoseconds.isFinite)
    }

    @Test("a clock rate of 0 disables jitter instead of dividing by zero")
    func zeroClockRate() {
        let t = jitterRun(count: 10, clockRate: 0) { $0.isMultiple(of: 2) ? 1_000_000 : 0 }
        #expect(t.jitterTimestampUnits == 0)
        #expect(t.jitterNanoseconds == 0)
        #expect(t.expected == 10)
    }

    @Test("jitter starts again at a restart")
    func jitterRestarts() {
        var t = jitterRun(count: 100) { $0.isMultiple(of: 2) ? Self.millisecond : -Self.millisecond }
        #expect(t.jitterTimestampUnits > 100)
        let at: Int64 = 1_764_000_000_000_000_000 + 100 * 20 * Self.millisecond
        for i in 0..<5 {
            t.record(RTPHeader(payloadType: 96, sequence: 30_000 + UInt16(i), timestamp: 7 &+ UInt32(i) * 1_800, ssrc: 3), receivedAt: at + Int64(i) * 20 * Self.millisecond)
        }
        #expect(t.restarts == 1)
        #expect(t.jitterTimestampUnits == 0)
    }

    // MARK: Hostile input

    @Test("random sequence numbers never trap and keep the counts consistent", arguments: [UInt64(1), 2, 3, 0xC0FFEE])
    func randomSequences(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var sequence = UInt16(truncatingIfNeeded: random.next())
        var t = RTPRunTracker(first: RTPHeader(payloadType: 96, sequence: sequence, timestamp: 0, ssrc: 1), receivedAt: 0, clockRate: 90_000)
        for i in 1..<20_000 {
            let r = random.next()
            switch r % 16 {
            case 0: sequence = UInt16(truncatingIfNeeded: r >> 16)  // anywhere
            case 1: sequence &-= UInt16(truncatingIfNeeded: r >> 16) % 120  // a little back
            case 2: break  // the same again
            case 3: sequence &+= UInt16(truncatingIfNeeded: r >> 16) % 3_100  // a gap
            default: sequence &+= 1
            }
            let header = RTPHeader(marker: r & 1 != 0, payloadType: 96, sequence: sequence, timestamp: UInt32(truncatingIfNeeded: r >> 32), ssrc: 1)
            t.record(header, receivedAt: Int64(i) * 1_000_000)
        }
        checkIdentities(t)
        #expect(t.received == 20_000)
    }

    @Test("random datagrams never trap; the stream's counts stay consistent")
    func randomDatagrams() {
        var random = SplitMix64(seed: 0x5EED)
        var stream = RTPStreamTracker()
        var decoded: UInt64 = 0
        for _ in 0..<50_000 {
            let length = Int(random.next() % 48)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if length > 0, random.next() % 4 != 0 { bytes[0] = 0x80 | bytes[0] & 0x3F }  // mostly version 2
            if length > 11, random.next() % 2 == 0 { bytes[8...11] = [0, 0, 0, UInt8(random.next() % 3)] }  // few SSRCs
            guard let header = RTPHeader(decoding: bytes) else { continue }
            decoded += 1
            #expect(header.payloadOffset + header.payloadLength + header.paddingLength == length)
            #expect(header.payloadOffset >= 12 && header.payloadLength >= 0)
            stream.record(header, receivedAt: Int64(bitPattern: random.next()))
            #expect(stream.lost <= stream.expected)
        }
        #expect(decoded > 1_000)
        #expect(stream.received == decoded)
        #expect(stream.uniqueReceived + stream.duplicates <= stream.received)
        if let run = stream.current { checkIdentities(run) }
    }
}

@Suite("RTP sources that change SSRC")
struct RTPStreamTrackerTests {
    func packet(ssrc: UInt32, _ sequence: UInt16, payloadType: UInt8 = 96) -> RTPHeader {
        RTPHeader(payloadType: payloadType, sequence: sequence, timestamp: UInt32(sequence) &* 1_800, ssrc: ssrc)
    }

    func feed(_ stream: inout RTPStreamTracker, ssrc: UInt32, _ sequences: [UInt16], payloadType: UInt8 = 96) {
        for sequence in sequences {
            stream.record(packet(ssrc: ssrc, sequence, payloadType: payloadType), receivedAt: Int64(sequence) * 20_000_000)
        }
    }

    @Test("a new SSRC starts a new run and keeps the old run's figures")
    func newSSRCKeepsFigures() throws {
        var stream = RTPStreamTracker()
        feed(&stream, ssrc: 0xA, [0, 1, 2, 5, 6, 6, 8, 7])  // lost 3, 4; duplicate 6; 7 reordered
        feed(&stream, ssrc: 0xB, [100, 101, 102, 104])  // lost 103
        let current = try #require(stream.current)
        #expect(current.ssrc == 0xB)
        #expect(stream.ssrcChanges == 1)
        #expect(stream.lost == 2 + 1)
        #expect(stream.expected == 9 + 5)
        #expect(stream.duplicates == 1)
        #expect(stream.reordered == 1)
        #expect(stream.uniqueReceived == 7 + 4)
        #expect(stream.received == 12)
        #expect(stream.restarts == 0)
    }

    @Test("one datagram with another SSRC does not end a healthy run")
    func straySSRC() throws {
        var stream = RTPStreamTracker()
        feed(&stream, ssrc: 0xA, [0, 1, 2, 3])
        feed(&stream, ssrc: 0xBAD, [40_000])
        feed(&stream, ssrc: 0xA, [4, 5, 6])
        feed(&stream, ssrc: 0xBAD2, [9])
        let current = try #require(stream.current)
        #expect(current.ssrc == 0xA)
        #expect(stream.ssrcChanges == 0)
        #expect(stream.lost == 0)
        #expect(stream.expected == 7)
        #expect(stream.received == 9)
        #expect(stream.unconfirmedSSRCPackets == 1)  // the second stray still waits as candidate
    }

    @Test("two SSRCs alternating packet by packet count changes but stay bounded and lossless")
    func alternatingSSRCs() {
        var stream = RTPStreamTracker()
        feed(&stream, ssrc: 1, [0, 1])
        for i in UInt16(2)..<2_002 {
            feed(&stream, ssrc: 2, [i])
            feed(&stream, ssrc: 1, [i])
        }
        #expect(stream.ssrcChanges > 100)
        #expect(stream.lost == 0)
        #expect(stream.lost <= stream.expected)
        #expect(stream.received == 4_002)
    }

    @Test("the clock rate comes from the payload type, or the dynamic default")
    func clockRatePerPayloadType() {
        var audio = RTPStreamTracker(dynamicClockRate: 48_000)
        feed(&audio, ssrc: 1, [0, 1], payloadType: 0)
        #expect(audio.current?.clockRate == 8_000)
        var dynamic = RTPStreamTracker(dynamicClockRate: 48_000)
        feed(&dynamic, ssrc: 1, [0, 1], payloadType: 111)
        #expect(dynamic.current?.clockRate == 48_000)
        var mpegTS = RTPStreamTracker(dynamicClockRate: 48_000)
        feed(&mpegTS, ssrc: 1, [0, 1], payloadType: RTPClockRate.mpegTransportStream)
        #expect(mpegTS.current?.clockRate == 90_000)
    }

    @Test("jitter is reported only once the current run is valid")
    func jitterOnceValid() {
        var stream = RTPStreamTracker()
        #expect(stream.jitterNanoseconds == nil)
        feed(&stream, ssrc: 1, [0])
        #expect(stream.jitterNanoseconds == nil)
        feed(&stream, ssrc: 1, [1])
        #expect(stream.jitterNanoseconds == 0)
    }
}
