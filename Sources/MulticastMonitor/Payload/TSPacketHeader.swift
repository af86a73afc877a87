/// The header of one 188-byte MPEG transport stream packet, with the adaptation-field flags a
/// monitor needs (ISO/IEC 13818-1 §2.4.3.2–2.4.3.5): for the TUI's packet inspector and for
/// ``TransportStreamAnalyzer``.
///
/// Decoding reads only inside the first 188 bytes, whatever the adaptation field claims: an
/// `adaptation_field_length` that runs past the packet leaves no payload (``payloadOffset`` is
/// 188) rather than an offset outside it.
public struct TSPacketHeader: Sendable, Hashable {
    /// Bytes in a transport stream packet.
    public static let packetLength = 188
    /// The first byte of every packet.
    public static let syncByte: UInt8 = 0x47
    /// The PID of the program association table.
    public static let patPID: UInt16 = 0x0000
    /// The PID of null (stuffing) packets, which carry nothing and are never checked.
    public static let nullPID: UInt16 = 0x1FFF

    /// The 13-bit packet identifier.
    public var pid: UInt16
    /// The 4-bit continuity counter; it advances only on packets with a payload.
    public var continuityCounter: UInt8
    /// `payload_unit_start_indicator`: a PES packet or (for PSI) a section starts here, after a
    /// `pointer_field`.
    public var payloadUnitStart: Bool
    /// `transport_error_indicator`: something upstream (typically a demodulator) found the
    /// packet uncorrectable, so its other fields may be wrong too.
    public var transportError: Bool
    /// `transport_priority`.
    public var priority: Bool
    /// `transport_scrambling_control`, 2 bits: 0 in the clear; 2 and 3 even and odd key in DVB.
    public var scrambling: UInt8
    /// `adaptation_field_control`, 2 bits: 1 payload only, 2 adaptation field only, 3 both,
    /// 0 reserved (a decoder discards such packets).
    public var adaptationFieldControl: UInt8
    /// Whether the packet carries payload (adaptation_field_control 1 or 3).
    public var hasPayload: Bool
    /// Whether an adaptation field follows the header (adaptation_field_control 2 or 3).
    public var hasAdaptationField: Bool
    /// `discontinuity_indicator` of the adaptation field (false without one, or when it is empty).
    public var discontinuity: Bool
    /// `random_access_indicator`: the stream can be entered here (typically a key frame).
    public var randomAccess: Bool
    /// The program clock reference in 27 MHz ticks (base × 300 + extension), when the
    /// adaptation field carries one.
    public var pcr: UInt64?
    /// Index of the first payload byte within the packet; ``packetLength`` when there is none.
    public var payloadOffset: Int

    /// Decodes the header (and adaptation-field flags) of the packet at the start of `packet`.
    /// Nil when fewer than 188 bytes are there or the first is not the sync byte 0x47.
    public init?(decoding packet: UnsafeRawBufferPointer) {
        guard packet.count >= Self.packetLength, packet[0] == Self.syncByte else { return nil }
        let b1 = packet[1], b3 = packet[3]
        transportError = b1 & 0x80 != 0
        payloadUnitStart = b1 & 0x40 != 0
        priority = b1 & 0x20 != 0
        pid = UInt16(b1 & 0x1F) << 8 | UInt16(packet[2])
        scrambling = b3 >> 6
        adaptationFieldControl = (b3 >> 4) & 0x03
        continuityCounter = b3 & 0x0F
        hasPayload = adaptationFieldControl & 0x01 != 0
        hasAdaptationField = adaptationFieldControl & 0x02 != 0
        discontinuity = false
        randomAccess = false
        pcr = nil
        guard hasAdaptationField else {
            payloadOffset = hasPayload ? 4 : Self.packetLength
            return
        }
        // With a payload the field may be 0...182 bytes, without one it must be 183; anything
        // longer is malformed and leaves no payload.
        let fieldLength = Int(packet[4])
        let fieldEnd = 5 + fieldLength
        payloadOffset = hasPayload && fieldEnd < Self.packetLength ? fieldEnd : Self.packetLength
        guard fieldLength > 0 else { return }
        let flags = packet[5]
        discontinuity = flags & 0x80 != 0
        randomAccess = flags & 0x40 != 0
        // PCR: 33-bit base, 6 reserved bits, 9-bit extension in bytes 6..<12.
        if flags & 0x10 != 0, fieldLength >= 7, fieldEnd <= Self.packetLength {
            var base: UInt64 = 0
            for i in 6..<10 { base = base << 8 | UInt64(packet[i]) }
            base = base << 1 | UInt64(packet[10] >> 7)
            let fractional = UInt64(packet[10] & 0x01) << 8 | UInt64(packet[11])
            pcr = base &* 300 &+ fractional
        }
    }
}
