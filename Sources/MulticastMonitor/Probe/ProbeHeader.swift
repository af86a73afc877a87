import MulticastExpert

/// The header of an mcexpert probe datagram: what lets a receiver measure loss, reordering,
/// duplicates, one-way latency and jitter of a test stream.
///
/// Layout (all big-endian; see DESIGN.md "Probe packets"):
/// `MCXP` magic (4) · version 1 (1) · flags 0 (1) · header length 32 (2) · sender id (8) ·
/// sequence number from 0 (8) · send time in ns since the Unix epoch (8) · padding.
public struct ProbeHeader: Sendable, Hashable {
    /// The four magic bytes, "MCXP".
    public static let magic: [UInt8] = Array("MCXP".utf8)
    /// The only version this code writes and reads.
    public static let version: UInt8 = 1
    /// The header's length in bytes; probe datagrams are at least this long.
    public static let length = 32

    /// Random per sender run, so two senders (or a restarted one) are told apart.
    public var senderID: UInt64
    /// Counts datagrams of one sender run from 0.
    public var sequence: UInt64
    /// When the sender sent it, nanoseconds since the Unix epoch.
    public var sendTimeNanoseconds: Int64

    public init(senderID: UInt64, sequence: UInt64, sendTimeNanoseconds: Int64) {
        self.senderID = senderID
        self.sequence = sequence
        self.sendTimeNanoseconds = sendTimeNanoseconds
    }

    /// Reads a probe header from the start of a payload; nil when the payload is not a probe
    /// (too short, wrong magic, unknown version or a header length below 32).
    public init?(decoding payload: UnsafeRawBufferPointer) {
        guard Self.starts(payload) else { return nil }
        senderID = Self.readUInt64(payload, at: 8)
        sequence = Self.readUInt64(payload, at: 16)
        sendTimeNanoseconds = Int64(bitPattern: Self.readUInt64(payload, at: 24))
    }

    /// Whether a payload starts with a probe header (what ``init(decoding:)-(UnsafeRawBufferPointer)``
    /// accepts), without reading its fields: for the payload detector, which only needs the kind.
    public static func starts(_ payload: UnsafeRawBufferPointer) -> Bool {
        guard payload.count >= Self.length,
              payload[0] == 0x4D, payload[1] == 0x43, payload[2] == 0x58, payload[3] == 0x50,
              payload[4] == Self.version
        else { return false }
        let headerLength = Int(payload[6]) << 8 | Int(payload[7])
        return headerLength >= Self.length && headerLength <= payload.count
    }

    /// Reads a probe header from a byte array; see ``init(decoding:)-(UnsafeRawBufferPointer)``.
    public init?(decoding payload: [UInt8]) {
        guard let header = payload.withUnsafeBytes({ ProbeHeader(decoding: $0) }) else { return nil }
        self = header
    }

    /// One-way latency of this probe received at `receivedAt`, nanoseconds; nil when the sender's
    /// clock is so far off that the difference does not fit 64 bits (the send time is whatever
    /// the datagram says).
    public func latencyNanoseconds(receivedAt: Timestamp) -> Int64? {
        let (latency, overflow) = receivedAt.nanosecondsSinceEpoch.subtractingReportingOverflow(sendTimeNanoseconds)
        return overflow ? nil : latency
    }

    /// Writes the header into the first 32 bytes of `buffer` (which must be at least that long).
    public func encode(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= Self.length, "a probe needs at least 32 bytes")
        buffer[0] = 0x4D; buffer[1] = 0x43; buffer[2] = 0x58; buffer[3] = 0x50
        buffer[4] = Self.version
        buffer[5] = 0
        buffer[6] = 0
        buffer[7] = UInt8(Self.length)
        Self.writeUInt64(senderID, into: buffer, at: 8)
        Self.writeUInt64(sequence, into: buffer, at: 16)
        Self.writeUInt64(UInt64(bitPattern: sendTimeNanoseconds), into: buffer, at: 24)
    }

    /// A probe datagram of `size` bytes (at least 32): this header, then zero padding.
    public func datagram(size: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(size, Self.length))
        bytes.withUnsafeMutableBytes { encode(into: $0) }
        return bytes
    }

    private static func readUInt64(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(buffer[offset + i]) }
        return value
    }

    private static func writeUInt64(_ value: UInt64, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        for i in 0..<8 { buffer[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * i)) }
    }
}
