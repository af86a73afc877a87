import MulticastExpert
import MulticastMonitor
import MulticastText

/// The headers of one captured datagram decoded as its source's payload kind, one line each,
/// for the inspector beside or above the hexdump: the probe header; RTP's fixed header; for
/// MPEG-TS (straight or inside RTP) one line per 188-byte packet of the capture. Only numbers
/// and fixed words: nothing taken from the payload is shown as text.
enum DecodedHeaderLines {
    static func lines(_ packet: CapturedDatagram, kind: PayloadKind?) -> [(String, Style)] {
        let bytes = packet.payloadPrefix
        let truncated = packet.length > bytes.count
        switch kind {
        case .rtp?, .rtpTS?:
            guard let rtp = rtpHeader(bytes, truncated: truncated) else { return [("not RTP: the header does not decode", .warn)] }
            var lines = [(rtpLine(rtp, length: packet.length), Style.ok)]
            if kind == .rtpTS || rtp.payloadType == RTPClockRate.mpegTransportStream {
                lines += transportStreamLines(bytes, from: rtp.payloadOffset, length: packet.length)
            }
            return lines
        case .ts?:
            return transportStreamLines(bytes, from: 0, length: packet.length)
        case .iperf?:
            guard let iperf = IperfHeader(decoding: bytes) else { return [("not iperf2: the header does not decode", .warn)] }
            return [("iperf2: seq \(iperf.sequence)\(iperf.isFinal ? " (final)" : "")  \(iperf.isSequence64Bit ? "64" : "32")-bit  sent \(TimeFormat.iso8601(Timestamp(nanosecondsSinceEpoch: iperf.sendTimeNanoseconds)))", .ok)]
        case .probe?, nil:
            guard let probe = ProbeHeader(decoding: bytes) else { return [] }
            let latency = probe.latencyNanoseconds(receivedAt: packet.receivedAt)
                .flatMap { (-1_000_000...3_600_000_000_000).contains($0) ? $0 : nil }
                .map { Format.fixed(Double($0) / 1e6, 3) + " ms" } ?? "n/a (sender clock differs)"
            return [("probe: sender \(Hexdump.compactHex(bigEndian(probe.senderID)))  seq \(probe.sequence)  sent \(TimeFormat.iso8601(Timestamp(nanosecondsSinceEpoch: probe.sendTimeNanoseconds)))  latency \(latency)", .ok)]
        case .raw?:
            return []
        }
    }

    /// The RTP header of a capture; when the capture is cut, the padding (counted from the real
    /// end) cannot be read, so the P bit is ignored.
    static func rtpHeader(_ bytes: [UInt8], truncated: Bool) -> RTPHeader? {
        guard truncated, bytes.count >= RTPHeader.minimumLength else { return RTPHeader(decoding: bytes) }
        var copy = bytes
        copy[0] &= ~0x20
        return RTPHeader(decoding: copy)
    }

    static func rtpLine(_ h: RTPHeader, length: Int) -> String {
        var line = "rtp: pt \(h.payloadType)  seq \(h.sequence)  ts \(h.timestamp)  ssrc \(StreamHealth.hex32(h.ssrc))"
        if h.marker { line += "  M" }
        if h.csrcCount > 0 { line += "  csrc \(h.csrcCount)" }
        if h.hasExtension { line += "  ext" }
        if h.paddingLength > 0 { line += "  pad \(h.paddingLength)" }
        return line + "  payload at \(h.payloadOffset), \(max(length - h.payloadOffset - h.paddingLength, 0)) B"
    }

    /// One line per 188-byte packet from `start`: PID, continuity counter and flags; the first
    /// packet the capture cut short ends the list.
    static func transportStreamLines(_ bytes: [UInt8], from start: Int, length: Int) -> [(String, Style)] {
        guard start >= 0, start < length else { return [] }
        let total = (length - start) / TSPacketHeader.packetLength
        var lines: [(String, Style)] = []
        var offset = start
        var number = 1
        while number <= total {
            let end = offset + TSPacketHeader.packetLength
            guard end <= bytes.count else {
                lines.append(("ts \(number)-\(total)/\(total): not captured (the capture keeps \(bytes.count) of \(length) bytes)", .dim))
                break
            }
            let header = bytes.withUnsafeBytes { TSPacketHeader(decoding: UnsafeRawBufferPointer(rebasing: $0[offset..<end])) }
            if let header {
                lines.append(tsLine(header, number: number, total: total))
            } else {
                lines.append(("ts \(number)/\(total): sync byte 0x\(String(bytes[offset], radix: 16)), not 0x47", .fail))
            }
            offset = end
            number += 1
        }
        if (length - start) % TSPacketHeader.packetLength != 0 {
            lines.append(("\((length - start) % TSPacketHeader.packetLength) bytes after the last whole TS packet", .warn))
        }
        return lines
    }

    static func tsLine(_ h: TSPacketHeader, number: Int, total: Int) -> (String, Style) {
        let content = switch (h.hasAdaptationField, h.hasPayload) {
        case (true, true): "af+payload"
        case (true, false): "af"
        case (false, true): "payload"
        case (false, false): "reserved afc"
        }
        let head = "ts \(number)/\(total): pid \(Format.hex16(h.pid)) (\(h.pid))  cc \(h.continuityCounter)"
        var line = head + String(repeating: " ", count: max(33 - head.count, 2)) + (h.payloadUnitStart ? "pusi " : "     ") + content
        if h.discontinuity { line += "  disc" }
        if h.transportError { line += "  TEI" }
        if h.scrambling != 0 { line += "  scrambled \(h.scrambling)" }
        return (line, h.transportError ? .fail : .normal)
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) } }
}
