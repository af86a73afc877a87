/// What one datagram looks like from its first bytes, before anything is believed: the kind it
/// could be, and what ties it to the datagram before (RTP's SSRC and sequence number, iperf's
/// sequence number and send second). Cheap: a few byte compares, no decoding of the payload.
struct PayloadFingerprint: Sendable, Hashable {
    var kind: PayloadKind
    /// RTP: the SSRC; otherwise 0.
    var identity: UInt32 = 0
    /// RTP: the 16-bit sequence number; iperf: the low 32 bits of its sequence number.
    var sequence: UInt32 = 0
    /// iperf: the send time's seconds.
    var seconds: UInt32 = 0
    /// Whether a stream already believed to be MPEG-TS should take this datagram as its own even
    /// though it is not clean MPEG-TS: it starts with the sync byte or is n×188 bytes long.
    var mightBeTransportStream = false

    /// Takes the fingerprint of one payload. The order matters only where two forms could both
    /// match, and they cannot: a TS packet's first byte (0x47) has RTP version 1, a probe starts
    /// "MCXP", and iperf's sequence number would need to pass 2^31 to look like RTP version 2.
    init(of payload: UnsafeRawBufferPointer) {
        let count = payload.count
        mightBeTransportStream = count > 0 && (payload[0] == 0x47 || count % TSPacketHeader.packetLength == 0)
        if ProbeHeader.starts(payload) {
            kind = .probe
            return
        }
        if mightBeTransportStream, Self.isTransportStream(payload, from: 0) {
            kind = .ts
            return
        }
        if count >= 12, payload[0] >> 6 == 2 {
            let payloadType = payload[1] & 0x7F
            let headerLength = 12 + 4 * Int(payload[0] & 0x0F)
            if !(72...76).contains(payloadType), headerLength <= count {
                kind = payloadType == RTPClockRate.mpegTransportStream && Self.isTransportStream(payload, from: Self.rtpPayloadStart(payload, headerLength: headerLength)) ? .rtpTS : .rtp
                identity = Self.readUInt32(payload, at: 8)
                sequence = UInt32(payload[2]) << 8 | UInt32(payload[3])
                return
            }
        }
        if count >= 16 {
            let id = Self.readUInt32(payload, at: 0)
            let microseconds = Self.readUInt32(payload, at: 8)
            if microseconds < 1_000_000 && id != 0 {
                kind = .iperf
                sequence = id
                seconds = Self.readUInt32(payload, at: 4)
                return
            }
        }
        kind = .raw
    }

    /// Whether `next` (the datagram after this one, same source) continues this one's stream:
    /// the same RTP source a few sequence numbers on, an iperf sequence a little further within
    /// seconds, or simply the same kind for the forms whose signature is strong (probe, TS) or
    /// absent (raw).
    func isContinued(by next: PayloadFingerprint) -> Bool {
        guard next.kind == kind else { return false }
        switch kind {
        case .rtp, .rtpTS:
            let step = UInt16(truncatingIfNeeded: next.sequence &- sequence)
            return next.identity == identity && step >= 1 && step <= 100
        case .iperf:
            let step = next.sequence &- sequence
            let drift = next.seconds &- seconds
            let isFinal = next.sequence >= 1 << 31  // iperf2 ends with negative sequence numbers
            return (isFinal || (step >= 1 && step <= 1000)) && (drift <= 10 || drift >= UInt32.max - 10)
        case .probe, .ts, .raw:
            return true
        }
    }

    /// n×188 bytes from `start` on, each 188-byte packet starting with the sync byte 0x47.
    static func isTransportStream(_ payload: UnsafeRawBufferPointer, from start: Int) -> Bool {
        let length = payload.count - start
        guard start >= 0, length >= TSPacketHeader.packetLength, length % TSPacketHeader.packetLength == 0 else { return false }
        var offset = start
        while offset < payload.count {
            if payload[offset] != 0x47 { return false }
            offset += TSPacketHeader.packetLength
        }
        return true
    }

    /// Where an RTP payload starts: after the fixed header, the CSRCs and a header extension;
    /// past the end when the extension does not fit.
    static func rtpPayloadStart(_ payload: UnsafeRawBufferPointer, headerLength: Int) -> Int {
        guard payload[0] & 0x10 != 0 else { return headerLength }
        guard headerLength + 4 <= payload.count else { return payload.count + 1 }
        let words = Int(payload[headerLength + 2]) << 8 | Int(payload[headerLength + 3])
        return headerLength + 4 + 4 * words
    }

    static func readUInt32(_ payload: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(payload[offset]) << 24 | UInt32(payload[offset + 1]) << 16 | UInt32(payload[offset + 2]) << 8 | UInt32(payload[offset + 3])
    }
}
