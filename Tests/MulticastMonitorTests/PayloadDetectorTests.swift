import Testing
@testable import MulticastMonitor

/// Datagrams of each kind, built byte by byte as their senders would.
enum PayloadSamples {
    static func rtp(sequence: UInt16, timestamp: UInt32 = 0, ssrc: UInt32 = 0x1234_5678, payloadType: UInt8 = 96, payload: [UInt8] = [UInt8](repeating: 0xAB, count: 160)) -> [UInt8] {
        [0x80, payloadType & 0x7F, UInt8(sequence >> 8), UInt8(truncatingIfNeeded: sequence)]
            + bigEndian(timestamp) + bigEndian(ssrc) + payload
    }

    static func tsPacket(pid: UInt16, continuity: UInt8) -> [UInt8] {
        [0x47, UInt8(pid >> 8) & 0x1F, UInt8(truncatingIfNeeded: pid), 0x10 | (continuity & 0x0F)] + [UInt8](repeating: 0xFF, count: 184)
    }

    /// Seven TS packets, as MPEG-TS over UDP usually comes.
    static func tsDatagram(pid: UInt16 = 0x100, firstContinuity: UInt8) -> [UInt8] {
        (0..<7).flatMap { tsPacket(pid: pid, continuity: firstContinuity &+ UInt8($0)) }
    }

    /// iperf 2.1.8's UDP header (64-bit sequence form, flags 0x48010098), then padding.
    static func iperf(sequence: Int64, seconds: UInt32 = 0x6B07_7626, microseconds: UInt32 = 0x0002_75BF) -> [UInt8] {
        let bits = UInt64(bitPattern: sequence)
        return bigEndian(UInt32(truncatingIfNeeded: bits)) + bigEndian(seconds) + bigEndian(microseconds)
            + bigEndian(UInt32(truncatingIfNeeded: bits >> 32)) + bigEndian(0x4801_0098) + [UInt8](repeating: 0, count: 180)
    }

    static func probe(sequence: UInt64) -> [UInt8] {
        var bytes = Array("MCXP".utf8) + [1, 0, 0, 32]
        for value in [UInt64(0xFEED), sequence, 1_700_000_000_000_000_000] {
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) }
        }
        return bytes + [UInt8](repeating: 0, count: 32)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> UInt32(24 - 8 * $0)) } }
}

extension PayloadDetector {
    mutating func observe(_ bytes: [UInt8]) -> Step { bytes.withUnsafeBytes { observe($0) } }
}

extension PayloadAnalysis {
    mutating func record(_ bytes: [UInt8], at time: Int64) {
        _ = bytes.withUnsafeBytes { record($0, receivedAt: time, now: time) }
    }
}

@Suite("payload kind detection")
struct PayloadDetectorTests {
    @Test("each kind is believed after its run of consistent datagrams, not before",
          arguments: [(PayloadKind.rtp, 4), (.ts, 3), (.probe, 2), (.iperf, 4), (.raw, 16)])
    func believedAfterRun(kind: PayloadKind, run: Int) {
        var detector = PayloadDetector()
        for i in 0..<run {
            let datagram: [UInt8] = switch kind {
            case .rtp: PayloadSamples.rtp(sequence: UInt16(100 + i))
            case .ts: PayloadSamples.tsDatagram(firstContinuity: UInt8(7 * i))
            case .probe: PayloadSamples.probe(sequence: UInt64(i))
            case .iperf: PayloadSamples.iperf(sequence: Int64(1 + i))
            default: Array("hello \(i)".utf8)
            }
            _ = detector.observe(datagram)
            #expect(detector.kind == (i == run - 1 ? kind : nil), "after \(i + 1) datagrams")
        }
    }

    @Test("MPEG-TS inside RTP payload type 33 is rtp-ts")
    func rtpCarryingTransportStream() {
        var detector = PayloadDetector()
        for i in 0..<4 { _ = detector.observe(PayloadSamples.rtp(sequence: UInt16(i), payloadType: 33, payload: PayloadSamples.tsDatagram(firstContinuity: UInt8(7 * i)))) }
        #expect(detector.kind == .rtpTS)
    }

    @Test("one odd datagram in an RTP stream neither flips the kind nor stops the count")
    func oneOddDatagram() {
        var detector = PayloadDetector()
        for i in 0..<10 { _ = detector.observe(PayloadSamples.rtp(sequence: UInt16(i))) }
        #expect(detector.observe(Array("stray".utf8)) == .mismatch)
        #expect(detector.observe(PayloadSamples.rtp(sequence: 10)) == .matches(.rtp))
        #expect(detector.kind == .rtp && detector.mismatches == 1 && detector.changes == 0)
    }

    @Test("RTP sequence numbers that jump about (random bytes with version 2) are not believed as RTP")
    func incoherentRTPNotBelieved() {
        var detector = PayloadDetector()
        for i in 0..<40 { _ = detector.observe(PayloadSamples.rtp(sequence: UInt16(truncatingIfNeeded: i * 7919))) }
        #expect(detector.kind != .rtp)
    }

    @Test("a stream that really changes kind is followed after 32 datagrams of the new kind")
    func realChange() {
        var detector = PayloadDetector()
        for i in 0..<10 { _ = detector.observe(PayloadSamples.rtp(sequence: UInt16(i))) }
        for i in 0..<31 {
            _ = detector.observe(PayloadSamples.tsDatagram(firstContinuity: UInt8(truncatingIfNeeded: 7 * i)))
            #expect(detector.kind == .rtp)
        }
        _ = detector.observe(PayloadSamples.tsDatagram(firstContinuity: 0))
        #expect(detector.kind == .ts && detector.changes == 1)
    }

    @Test("a raw source that starts sending RTP is taken up as soon as the RTP run is complete")
    func rawBecomesRTP() {
        var detector = PayloadDetector()
        for i in 0..<20 { _ = detector.observe(Array("text \(i)".utf8)) }
        #expect(detector.kind == .raw)
        for i in 0..<4 { _ = detector.observe(PayloadSamples.rtp(sequence: UInt16(i))) }
        #expect(detector.kind == .rtp)
    }

    @Test("a payload that looks like RTP with a new SSRC every time (random bytes) is believed raw after 64 datagrams")
    func randomBytesSettleRaw() {
        var detector = PayloadDetector()
        var random = SplitMix64(seed: 13)
        for i in 0..<64 {
            #expect(detector.kind == nil, "still undecided after \(i)")
            _ = detector.observe([0x80, 0x60] + (0..<30).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        #expect(detector.kind == .raw)
    }

    @Test("the iperf end-of-test datagrams continue an iperf run")
    func iperfFinals() {
        var detector = PayloadDetector()
        for i in 1...4 { _ = detector.observe(PayloadSamples.iperf(sequence: Int64(i))) }
        #expect(detector.observe(PayloadSamples.iperf(sequence: -5)) == .matches(.iperf))
    }
}

@Suite("payload analysis per source")
struct PayloadAnalysisTests {
    @Test("RTP loss counts from the first datagram, including one lost while the kind was being detected")
    func lossFromFirstDatagram() {
        var analysis = PayloadAnalysis()
        for sequence in UInt16(0)..<100 where sequence != 2 && sequence != 50 {
            analysis.record(PayloadSamples.rtp(sequence: sequence, timestamp: UInt32(sequence) * 3000), at: 1_000_000_000 + Int64(sequence) * 33_000_000)
        }
        #expect(analysis.kind == .rtp)
        #expect(analysis.lost == 2)
        #expect(analysis.expected == 100)
    }

    @Test("MPEG-TS errors survive a break in the stream that makes the detector give the kind up")
    func streamErrorsSurviveKindChange() {
        var analysis = PayloadAnalysis()
        var continuity: UInt8 = 0
        var time: Int64 = 1_000_000_000
        func sendTS(_ count: Int, gapAt: Int? = nil) {
            for i in 0..<count {
                if i == gapAt { continuity &+= 7 }
                time += 1_000_000
                analysis.record(PayloadSamples.tsDatagram(firstContinuity: continuity), at: time)
                continuity &+= 7
            }
        }
        sendTS(10, gapAt: 6)
        #expect(analysis.streamErrors == 1)
        for i in 0..<40 {
            time += 1_000_000
            analysis.record(Array("breaking up \(i)".utf8), at: time)
        }
        #expect(analysis.kind == .raw && analysis.detector.changes == 1)
        sendTS(10)
        #expect(analysis.kind == .ts)
        #expect(analysis.streamErrors >= 1, "the continuity error before the break is still counted")
        #expect(analysis.earlier.streamErrors >= 1)
    }

    @Test("a bad sync byte in a believed MPEG-TS stream reaches the TS checks in auto mode")
    func syncByteErrorInAutoMode() {
        var analysis = PayloadAnalysis()
        var continuity: UInt8 = 0
        for i in 0..<10 {
            var datagram = PayloadSamples.tsDatagram(firstContinuity: continuity)
            if i == 7 { datagram[188 * 3] = 0x00 }
            analysis.record(datagram, at: 1_000_000_000 + Int64(i) * 1_000_000)
            continuity &+= 7
        }
        #expect(analysis.kind == .ts)
        #expect(analysis.decoders?.transportStream?.syncByteErrors == 1)
    }

    @Test("the same kind coming back after the detector gave it up without a verdict is not counted as loss")
    func sameKindReturns() {
        var analysis = PayloadAnalysis()
        var time: Int64 = 1_000_000_000
        for sequence in UInt16(0)..<10 {
            time += 20_000_000
            analysis.record(PayloadSamples.rtp(sequence: sequence, timestamp: UInt32(sequence) * 160), at: time)
        }
        // 32 datagrams that never form a run: the kind is given up, nothing believed instead.
        for i in 0..<32 {
            time += 1_000_000
            analysis.record(i % 2 == 0 ? PayloadSamples.tsDatagram(firstContinuity: 0) : Array("junk".utf8), at: time)
        }
        #expect(analysis.kind == nil)
        for sequence in UInt16(10)..<20 {
            time += 20_000_000
            analysis.record(PayloadSamples.rtp(sequence: sequence, timestamp: UInt32(sequence) * 160), at: time)
        }
        #expect(analysis.kind == .rtp)
        #expect(analysis.lost == 0)
        #expect(analysis.expected == 20)
    }

    @Test("a forced kind decodes from the first datagram and counts what does not decode")
    func forcedKind() {
        var analysis = PayloadAnalysis(options: PayloadOptions(choice: .forced(.rtp)))
        analysis.record(PayloadSamples.rtp(sequence: 1), at: 1_000)
        analysis.record(Array("not rtp".utf8), at: 2_000)
        #expect(analysis.kind == .rtp)
        #expect(analysis.decoders?.undecodable == 1)
        #expect(analysis.decodesProbes == false)
    }

    @Test("iperf2 loss comes from its sequence numbers and its end-of-test datagrams are not data")
    func iperfLoss() {
        var analysis = PayloadAnalysis()
        for sequence in Int64(1)...200 where sequence % 10 != 0 {
            analysis.record(PayloadSamples.iperf(sequence: sequence), at: 1_000_000_000 + sequence * 1_000_000)
        }
        for final in 0..<3 { analysis.record(PayloadSamples.iperf(sequence: -201), at: 2_000_000_000 + Int64(final)) }
        #expect(analysis.kind == .iperf)
        #expect(analysis.lost == 19, "sequence 200 never arrived and is past the highest seen")
        #expect(analysis.decoders?.iperfFinals == 3)
    }

    @Test("MPEG-TS continuity errors are counted from the first datagram, including one while the kind was being detected")
    func transportStreamContinuity() {
        var analysis = PayloadAnalysis()
        var continuity: UInt8 = 0
        for i in 0..<20 {
            if i == 1 || i == 10 { continuity &+= 7 }  // a datagram of 7 packets lost
            analysis.record(PayloadSamples.tsDatagram(firstContinuity: continuity), at: 1_000_000_000 + Int64(i) * 1_000_000)
            continuity &+= 7
        }
        #expect(analysis.kind == .ts)
        #expect(analysis.decoders?.transportStream?.continuityErrors == 2)
    }
}
