/// The fixed header of an RTP data packet (RFC 3550 §5.1) and where its payload lies: what lets
/// a receiver follow an RTP stream's sequence numbers, timestamps and sources.
///
/// Layout (all big-endian): V=2 (2 bits) · P (1) · X (1) · CC (4) · M (1) · PT (7) ·
/// sequence number (16) · timestamp (32) · SSRC (32) · CC × 4 bytes of CSRC · when X, a 16-bit
/// profile, a 16-bit length in 32-bit words and that many words · payload · when P, padding whose
/// last byte counts the padding bytes (itself included).
///
/// Decoding is a pure function of the bytes: every offset is checked against the datagram's
/// length, so a forged or truncated datagram gives nil and never reads past the end or traps.
public struct RTPHeader: Sendable, Hashable {
    /// The fixed header's length; an RTP datagram is at least this long.
    public static let minimumLength = 12
    /// The payload types RTCP packet types 200–204 (SR, RR, SDES, BYE, APP) land on when read
    /// as RTP (RFC 5761 §4): datagrams with these are RTCP, not RTP.
    public static let rtcpPayloadTypes: ClosedRange<UInt8> = 72...76

    /// The marker bit; its meaning is the profile's (often the last packet of a video frame).
    public var marker: Bool
    /// The payload type (0–127): which format the payload has and, with it, the timestamp clock.
    public var payloadType: UInt8
    /// Counts packets of one SSRC, wrapping from 65535 to 0.
    public var sequence: UInt16
    /// Sampling instant of the payload's first octet, in units of the payload type's clock.
    public var timestamp: UInt32
    /// Synchronisation source: chosen at random by the sender; a new one means a new run.
    public var ssrc: UInt32
    /// How many contributing sources (CSRCs) follow the fixed header, 0–15.
    public var csrcCount: Int
    /// Whether a header extension follows the CSRCs.
    public var hasExtension: Bool
    /// Padding bytes at the end of the datagram (0 when the P bit is clear).
    public var paddingLength: Int
    /// The first byte of the payload, after the CSRCs and any header extension.
    public var payloadOffset: Int
    /// Bytes of payload before any padding (may be 0).
    public var payloadLength: Int

    /// Makes a header by value (for tests and senders); nothing is checked.
    public init(
        marker: Bool = false, payloadType: UInt8, sequence: UInt16, timestamp: UInt32, ssrc: UInt32,
        csrcCount: Int = 0, hasExtension: Bool = false, paddingLength: Int = 0,
        payloadOffset: Int = RTPHeader.minimumLength, payloadLength: Int = 0
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequence = sequence
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcCount = csrcCount
        self.hasExtension = hasExtension
        self.paddingLength = paddingLength
        self.payloadOffset = payloadOffset
        self.payloadLength = payloadLength
    }

    /// Reads the RTP header of a whole UDP payload; nil when it is not RTP: shorter than 12
    /// bytes, version not 2, a payload type of RTCP (72–76), CSRCs or an extension running past
    /// the end, or padding that is 0 or longer than what follows the headers.
    public init?(decoding datagram: UnsafeRawBufferPointer) {
        let count = datagram.count
        guard count >= Self.minimumLength else { return nil }
        let first = datagram[0]
        guard first >> 6 == 2 else { return nil }
        let payloadType = datagram[1] & 0x7F
        guard !Self.rtcpPayloadTypes.contains(payloadType) else { return nil }

        let csrcCount = Int(first & 0x0F)
        var offset = Self.minimumLength + 4 * csrcCount
        guard offset <= count else { return nil }
        let hasExtension = first & 0x10 != 0
        if hasExtension {
            guard offset + 4 <= count else { return nil }
            let words = Int(datagram[offset + 2]) << 8 | Int(datagram[offset + 3])
            offset += 4 + 4 * words
            guard offset <= count else { return nil }
        }
        var paddingLength = 0
        if first & 0x20 != 0 {
            paddingLength = Int(datagram[count - 1])
            guard paddingLength >= 1, paddingLength <= count - offset else { return nil }
        }

        marker = datagram[1] & 0x80 != 0
        self.payloadType = payloadType
        sequence = UInt16(datagram[2]) << 8 | UInt16(datagram[3])
        timestamp = Self.readUInt32(datagram, at: 4)
        ssrc = Self.readUInt32(datagram, at: 8)
        self.csrcCount = csrcCount
        self.hasExtension = hasExtension
        self.paddingLength = paddingLength
        payloadOffset = offset
        payloadLength = count - offset - paddingLength
    }

    /// Reads the RTP header of a byte array; see ``init(decoding:)-(UnsafeRawBufferPointer)``.
    public init?(decoding bytes: [UInt8]) {
        guard let header = bytes.withUnsafeBytes({ RTPHeader(decoding: $0) }) else { return nil }
        self = header
    }

    /// The payload's bytes within `datagram` (the one this header was decoded from).
    public func payloadRange() -> Range<Int> { payloadOffset..<(payloadOffset + payloadLength) }

    private static func readUInt32(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(buffer[offset]) << 24 | UInt32(buffer[offset + 1]) << 16
            | UInt32(buffer[offset + 2]) << 8 | UInt32(buffer[offset + 3])
    }
}
