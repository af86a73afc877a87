import FuzzSupport
import MulticastExpert
import MulticastMonitor

// The payload decoders on their own: a run of datagrams from one sender through the kind
// detector and every decoder (RTP, MPEG-TS, iperf2), forced or detected, and each datagram
// through the header decoders the CLI's lines and the TUI's inspector use. Invariants that must
// hold for any input are checked after every datagram.
//
// Input layout (see FuzzInput: reads past the end give zeros):
//   byte 0       payload choice: 0-6 auto, probe, rtp, ts, rtp-ts, iperf, raw (mod 8; 7 = auto)
//   bytes 1...4  dynamic RTP clock rate (0 becomes 90 kHz; any other value is taken as it is)
//   bytes 5...12 start of the monotonic clock, 13...20 start of the receive-time clock
//   then records, each:
//     control byte: bits 0-1 clock step (0 none, 1 one byte of 100 µs, 2 two bytes of ms, 3 an
//                   edgy 64-bit step), bits 2-4 shape, bit 5 read the figures afterwards
//     shape 0 raw chunk · 1 RTP header from fields (then a chunk of payload) · 2 n×188 TS
//           packets from a PID/CC/flags triple each (then a chunk for the rest) · 3 RTP
//           carrying TS packets · 4 iperf2 header from fields · 5-7 raw chunk repeated twice
//           (a duplicate)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let choices: [PayloadChoice] = [.auto, .forced(.probe), .forced(.rtp), .forced(.ts), .forced(.rtpTS), .forced(.iperf), .forced(.raw), .auto]
    let choice = choices[Int(input.byte() & 0x07)]
    let clock = input.uint32()
    var analysis = PayloadAnalysis(options: PayloadOptions(choice: choice, dynamicRTPClockRate: clock == 0 ? 90_000 : clock))
    var transportStream = TransportStreamAnalyzer(maxPIDs: 8)
    var rtp = RTPStreamTracker(dynamicClockRate: clock == 0 ? 90_000 : clock)
    var now = Int64(bitPattern: input.uint64() & UInt64(Int64.max))
    var wall = Int64(bitPattern: input.uint64())

    while !input.isEmpty {
        let control = input.byte()
        let step: UInt64
        switch control & 0x03 {
        case 0: step = 0
        case 1: step = UInt64(input.byte()) * 100_000
        case 2: step = UInt64(input.uint16()) * 1_000_000
        default: step = input.edgyUInt64() & UInt64(Int64.max)
        }
        now = now.addingSaturating(Int64(bitPattern: step))
        wall = wall &+ Int64(bitPattern: step)

        var datagrams: [[UInt8]] = []
        switch control >> 2 & 0x07 {
        case 0: datagrams = [input.chunk()]
        case 1: datagrams = [rtpHeader(&input) + input.chunk()]
        case 2: datagrams = [tsPackets(&input) + input.chunk()]
        case 3: datagrams = [rtpHeader(&input, payloadType: 33) + tsPackets(&input)]
        case 4: datagrams = [input.bytes(4) + input.bytes(4) + [0, 0x0F, UInt8(input.byte() & 0x3F), input.byte()] + input.bytes(8) + input.chunk()]
        default:
            let chunk = input.chunk()
            datagrams = [chunk, chunk]
        }
        for datagram in datagrams {
            datagram.withUnsafeBytes { payload in
                analysis.record(payload, receivedAt: wall, now: now)
                transportStream.record(payload, now: now)
                if let header = RTPHeader(decoding: payload) {
                    precondition(header.payloadOffset >= RTPHeader.minimumLength && header.payloadOffset + header.payloadLength <= payload.count,
                          "RTP payload within the datagram")
                    rtp.record(header, receivedAt: wall)
                }
                if let iperf = IperfHeader(decoding: payload) { _ = iperf.sequence }
                var offset = 0
                while offset + TSPacketHeader.packetLength <= payload.count {
                    if let packet = TSPacketHeader(decoding: UnsafeRawBufferPointer(rebasing: payload[offset..<offset + TSPacketHeader.packetLength])) {
                        precondition(packet.pid < 0x2000 && packet.continuityCounter < 16, "TS header fields in range")
                    }
                    offset += TSPacketHeader.packetLength
                }
            }
        }
        if control & 0x20 != 0 {
            analysis.advance(to: now)
            transportStream.advance(to: now)
            checkFigures(analysis, transportStream, rtp)
        }
    }
    analysis.advance(to: now)
    transportStream.advance(to: now)
    checkFigures(analysis, transportStream, rtp)
    return 0
}

/// An RTP header (version 2) whose other fields come from the input.
private func rtpHeader(_ input: inout FuzzInput, payloadType: UInt8? = nil) -> [UInt8] {
    let flags = input.byte()
    let first = 0x80 | (flags & 0x3F)  // padding, extension, CSRC count from the fuzzer
    let second = payloadType.map { (input.byte() & 0x80) | $0 } ?? input.byte()
    var header = [first, second] + input.bytes(2) + input.bytes(4) + input.bytes(4)
    header += input.bytes(4 * Int(first & 0x0F))
    if first & 0x10 != 0 {
        let words = input.byte() & 0x07  // the length the extension says, and (mostly) the words that follow
        header += input.bytes(2) + [0, words] + input.bytes(4 * Int(input.bool() ? words : input.byte() & 0x07))
    }
    return header
}

/// One to seven TS packets with sync byte, PID, flags and continuity from the input, and an
/// adaptation field or section start now and then.
private func tsPackets(_ input: inout FuzzInput) -> [UInt8] {
    let count = Int(input.byte() % 7) + 1
    var bytes: [UInt8] = []
    for _ in 0..<count {
        let pidSelector = input.byte()
        let pid: UInt16 = [0, 0x20, 0x100, 0x101, 0x1FFF, 0x30][Int(pidSelector % 6)] | (pidSelector >= 0xF0 ? UInt16(input.uint16() & 0x1FFF) : 0)
        let flags = input.byte()
        var packet: [UInt8] = [input.byte() < 250 ? 0x47 : 0x46, (flags & 0xE0) | UInt8(pid >> 8), UInt8(truncatingIfNeeded: pid), input.byte()]
        packet += input.bytes(Int(input.byte()))
        packet += [UInt8](repeating: 0xFF, count: max(0, TSPacketHeader.packetLength - packet.count))
        bytes += packet.prefix(TSPacketHeader.packetLength)
    }
    return bytes
}

private func checkFigures(_ analysis: PayloadAnalysis, _ transportStream: TransportStreamAnalyzer, _ rtp: RTPStreamTracker) {
    precondition(analysis.lost <= analysis.expected, "payload loss within what was expected")
    precondition(rtp.lost <= rtp.expected, "RTP loss within what was expected")
    precondition(transportStream.pids.count <= 8, "PIDs tracked within the cap")
    precondition(transportStream.continuityErrors <= transportStream.packets, "CC errors at most one per packet")
    if let percent = transportStream.nullPercent { precondition(percent >= 0 && percent <= 100, "null share a percentage") }
    for pid in transportStream.pids { precondition(pid.bitsPerSecond.isFinite && pid.bitsPerSecond >= 0, "PID bitrate a number") }
    if let decoders = analysis.decoders {
        _ = decoders.jitterNanoseconds
        if let ts = decoders.transportStream { precondition(ts.continuityErrors <= ts.packets, "CC errors at most one per packet") }
    }
    _ = analysis.kind
}
