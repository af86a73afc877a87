/// The header at the start of every iperf2 UDP datagram: its sequence number, whether it is one
/// of the closing (FIN) datagrams, and when it was sent.
///
/// Layout (big-endian): int32 id · uint32 tv_sec · uint32 tv_usec, then in iperf 2.1 and later
/// int32 id2 · uint32 flags. When the flags word has `HEADER_SEQNO64B` (0x08000000) the sequence
/// number is 64 bits, id2 its upper and id its lower half; otherwise (older iperf2, which puts
/// the flags at offset 12, or a datagram too short to carry them) it is id alone. The first
/// datagram is number 1; the last few carry the negated sequence number, which marks the end
/// of the test. Checked against iperf 2.1.8 multicast traffic with tshark.
///
/// Decoding is a pure function of the bytes and never traps: the send time of any tv_sec fits
/// 64 bits, and the magnitude of a negative sequence number is taken in unsigned arithmetic.
public struct IperfHeader: Sendable, Hashable {
    /// The shortest datagram read: id, tv_sec, tv_usec and id2 or the old flags.
    public static let minimumLength = 16
    /// The flags bit saying the sequence number is 64 bits (id2:id).
    public static let sequence64BitFlag: UInt32 = 0x0800_0000

    /// The datagram's sequence number, from 1; for a closing datagram, the number it negated.
    public var sequence: UInt64
    /// Whether the sender negated the sequence number: one of the datagrams that end a test.
    public var isFinal: Bool
    /// When the sender sent it, nanoseconds since the Unix epoch (tv_sec × 10^9 + tv_usec × 10^3).
    public var sendTimeNanoseconds: Int64
    /// Whether the sequence number was read as 64 bits (the flags word had `HEADER_SEQNO64B`).
    public var isSequence64Bit: Bool

    /// Makes a header by value (for tests); nothing is checked.
    public init(sequence: UInt64, isFinal: Bool = false, sendTimeNanoseconds: Int64, isSequence64Bit: Bool = true) {
        self.sequence = sequence
        self.isFinal = isFinal
        self.sendTimeNanoseconds = sendTimeNanoseconds
        self.isSequence64Bit = isSequence64Bit
    }

    /// Reads the iperf2 header at the start of a UDP payload; nil when it is shorter than 16
    /// bytes or tv_usec is not below one million (not a time, so not iperf).
    public init?(decoding payload: UnsafeRawBufferPointer) {
        guard payload.count >= Self.minimumLength else { return nil }
        let id = Self.readUInt32(payload, at: 0)
        let seconds = Self.readUInt32(payload, at: 4)
        let microseconds = Self.readUInt32(payload, at: 8)
        guard microseconds < 1_000_000 else { return nil }
        // At most (2^32 − 1) × 10^9 + 999_999_000 < 2^63: fits.
        sendTimeNanoseconds = Int64(seconds) * 1_000_000_000 + Int64(microseconds) * 1_000

        let flags = payload.count >= 20 ? Self.readUInt32(payload, at: 16) : 0
        isSequence64Bit = flags & Self.sequence64BitFlag != 0
        if isSequence64Bit {
            let value = Int64(bitPattern: UInt64(Self.readUInt32(payload, at: 12)) << 32 | UInt64(id))
            isFinal = value < 0
            sequence = value.magnitude
        } else {
            let value = Int32(bitPattern: id)
            isFinal = value < 0
            sequence = UInt64(value.magnitude)
        }
    }

    /// Reads the iperf2 header of a byte array; see ``init(decoding:)-(UnsafeRawBufferPointer)``.
    public init?(decoding bytes: [UInt8]) {
        guard let header = bytes.withUnsafeBytes({ IperfHeader(decoding: $0) }) else { return nil }
        self = header
    }

    private static func readUInt32(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(buffer[offset]) << 24 | UInt32(buffer[offset + 1]) << 16
            | UInt32(buffer[offset + 2]) << 8 | UInt32(buffer[offset + 3])
    }
}
