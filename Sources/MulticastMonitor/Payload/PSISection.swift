/// The first PSI section that starts in one transport stream packet (ISO/IEC 13818-1 §2.4.4):
/// where `pointer_field` puts it, its `table_id`, and its bytes when the whole section is in
/// this packet.
///
/// Only sections that fit in the packet they start in are parsed. That covers every PAT of up
/// to 42 programs and the usual PMT (a few streams with short descriptors); a longer section is
/// still seen (its `table_id` counts for the repetition checks) but not read, so a program
/// whose PMT spans packets shows no streams. Every length is checked against the 188 bytes
/// before anything is read.
struct PSISectionStart: Sendable, Hashable {
    /// Where the section starts in the packet and how it came out.
    enum Extent: Sendable, Hashable {
        /// The whole section, header to CRC, is in the packet at this range.
        case complete(Range<Int>)
        /// The section continues in later packets, or its `section_length` is impossible
        /// (more than 1021, or too short for a long-form header and CRC).
        case incomplete
    }

    /// `table_id`: 0x00 PAT, 0x02 PMT, 0xFF stuffing.
    var tableID: UInt8
    var extent: Extent

    /// The section that `pointer_field` points at in `packet`, whose payload starts at
    /// `payloadOffset` (the packet must have `payload_unit_start_indicator` set). Nil when there
    /// is no payload or `pointer_field` points past the packet.
    init?(in packet: UnsafeRawBufferPointer, payloadOffset: Int) {
        let end = min(packet.count, TSPacketHeader.packetLength)
        guard payloadOffset >= 0, payloadOffset < end else { return nil }
        let start = payloadOffset + 1 + Int(packet[payloadOffset])
        guard start < end else { return nil }
        tableID = packet[start]
        guard start + 3 <= end else {
            extent = .incomplete
            return
        }
        let sectionLength = Int(packet[start + 1] & 0x0F) << 8 | Int(packet[start + 2])
        let sectionEnd = start + 3 + sectionLength
        guard sectionLength <= 1021, sectionLength >= PSISection.headerLength - 3 + 4, sectionEnd <= end else {
            extent = .incomplete
            return
        }
        extent = .complete(start..<sectionEnd)
    }
}

/// A long-form PSI section (section_syntax_indicator 1) with a valid CRC: its header fields and
/// where its body (between the 8-byte header and the CRC) lies in the packet.
struct PSISection: Sendable, Hashable {
    /// table_id to last_section_number.
    static let headerLength = 8

    var tableID: UInt8
    /// transport_stream_id in a PAT, program_number in a PMT.
    var tableIDExtension: UInt16
    var version: UInt8
    /// current_next_indicator: false for a table announced for later, not yet in force.
    var isCurrent: Bool
    var sectionNumber: UInt8
    var lastSectionNumber: UInt8
    /// The section's CRC_32 field, which also identifies its content cheaply.
    var crc: UInt32
    /// The bytes between the header and the CRC.
    var body: Range<Int>

    /// Why a complete section was not taken.
    enum Rejection: Error {
        /// section_syntax_indicator is 0: not a long-form section.
        case notLongForm
        /// The CRC_32 does not match the bytes.
        case badCRC
    }

    /// Reads the section at `range` of `packet`, which ``PSISectionStart`` found complete (so
    /// it holds at least the header and CRC).
    static func decode(_ packet: UnsafeRawBufferPointer, range: Range<Int>) -> Result<PSISection, Rejection> {
        guard range.lowerBound >= 0, range.upperBound <= packet.count, range.count >= headerLength + 4 else { return .failure(.notLongForm) }
        let s = range.lowerBound
        guard packet[s + 1] & 0x80 != 0 else { return .failure(.notLongForm) }
        guard PSICRC32.checksum(packet, range) == 0 else { return .failure(.badCRC) }
        let c = range.upperBound - 4
        let crc = UInt32(packet[c]) << 24 | UInt32(packet[c + 1]) << 16 | UInt32(packet[c + 2]) << 8 | UInt32(packet[c + 3])
        return .success(PSISection(
            tableID: packet[s],
            tableIDExtension: UInt16(packet[s + 3]) << 8 | UInt16(packet[s + 4]),
            version: (packet[s + 5] >> 1) & 0x1F,
            isCurrent: packet[s + 5] & 0x01 != 0,
            sectionNumber: packet[s + 6],
            lastSectionNumber: packet[s + 7],
            crc: crc,
            body: (s + headerLength)..<c))
    }

    /// The (program_number, PID) pairs of a PAT body, at most `limit` of them; program 0's PID
    /// is the network PID, every other one a PMT's. A trailing partial entry is ignored.
    static func patEntries(_ packet: UnsafeRawBufferPointer, body: Range<Int>, limit: Int, _ take: (_ program: UInt16, _ pid: UInt16) -> Void) {
        var i = body.lowerBound
        var taken = 0
        while i + 4 <= body.upperBound, taken < limit {
            take(UInt16(packet[i]) << 8 | UInt16(packet[i + 1]), UInt16(packet[i + 2] & 0x1F) << 8 | UInt16(packet[i + 3]))
            i += 4
            taken += 1
        }
    }

    /// The PCR_PID and the (stream_type, elementary_PID) pairs of a PMT body, at most `limit`
    /// streams; nil when a length inside it runs past the body (the whole section is then
    /// rejected, not half used).
    static func pmtStreams(_ packet: UnsafeRawBufferPointer, body: Range<Int>, limit: Int) -> (pcrPID: UInt16, streams: [TransportStreamElementaryStream])? {
        guard body.count >= 4 else { return nil }
        let b = body.lowerBound
        let pcrPID = UInt16(packet[b] & 0x1F) << 8 | UInt16(packet[b + 1])
        let programInfoLength = Int(packet[b + 2] & 0x0F) << 8 | Int(packet[b + 3])
        var i = b + 4 + programInfoLength
        guard i <= body.upperBound else { return nil }
        var streams: [TransportStreamElementaryStream] = []
        while i < body.upperBound {
            guard i + 5 <= body.upperBound else { return nil }
            let infoLength = Int(packet[i + 3] & 0x0F) << 8 | Int(packet[i + 4])
            guard i + 5 + infoLength <= body.upperBound else { return nil }
            if streams.count < limit {
                streams.append(TransportStreamElementaryStream(pid: UInt16(packet[i + 1] & 0x1F) << 8 | UInt16(packet[i + 2]), streamType: packet[i]))
            }
            i += 5 + infoLength
        }
        return (pcrPID, streams)
    }
}

/// The CRC-32 of MPEG-2 sections (polynomial 0x04C11DB7, initial value all ones, no reflection,
/// no final XOR); run over a whole section including its CRC_32 field it gives 0.
enum PSICRC32 {
    static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte) << 24
        for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? crc << 1 ^ 0x04C1_1DB7 : crc << 1 }
        return crc
    }

    /// The CRC of `bytes[range]` (the range must lie inside `bytes`).
    static func checksum(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for i in range { crc = crc << 8 ^ table[Int(UInt8(truncatingIfNeeded: crc >> 24) ^ bytes[i])] }
        }
        return crc
    }
}
