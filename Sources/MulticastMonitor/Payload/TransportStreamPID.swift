/// One PID of a transport stream as the analyzer saw it: for the TUI's PID table and reports.
public struct TransportStreamPID: Sendable, Hashable {
    /// What the stream's tables say a PID carries.
    public enum Role: Sendable, Hashable {
        /// PID 0: the program association table.
        case pat
        /// A program map table, listed in the PAT.
        case pmt
        /// An elementary stream a PMT lists, with its `stream_type` (see
        /// ``TransportStreamPID/streamTypeName(_:)``).
        case elementary(streamType: UInt8)
        /// PID 0x1FFF: stuffing.
        case null
        /// Not named by the PAT or any PMT seen (or a PCR-only PID, or the network PID).
        case unknown
    }

    /// The 13-bit packet identifier.
    public var pid: UInt16
    /// Packets with a good sync byte and no transport error on this PID.
    public var packets: UInt64
    /// Continuity counter errors on this PID (TR 101 290 1.4).
    public var continuityErrors: UInt64
    /// Packets that repeated the previous one's continuity counter once (allowed, not an error).
    public var duplicatePackets: UInt64
    /// Transport stream bits per second (188 × 8 per packet) over the last whole second; 0 for a
    /// PID idle that long once the analyzer has been advanced past it.
    public var bitsPerSecond: Double
    /// What the PAT and PMTs say this PID carries.
    public var role: Role
    /// Whether the latest packet had transport_scrambling_control ≠ 0.
    public var scrambled: Bool

    /// A PID row as the analyzer reports it (also for tests and previews of the TUI).
    public init(pid: UInt16, packets: UInt64 = 0, continuityErrors: UInt64 = 0, duplicatePackets: UInt64 = 0,
                bitsPerSecond: Double = 0, role: Role = .unknown, scrambled: Bool = false) {
        self.pid = pid
        self.packets = packets
        self.continuityErrors = continuityErrors
        self.duplicatePackets = duplicatePackets
        self.bitsPerSecond = bitsPerSecond
        self.role = role
        self.scrambled = scrambled
    }

    /// A short name for the common `stream_type` values (ISO/IEC 13818-1 table 2-34 and the
    /// ATSC/SCTE user-private ones seen in practice); nil for the others. 0x06 is "private PES"
    /// because DVB carries AC-3, subtitles and teletext in it, told apart only by descriptors.
    public static func streamTypeName(_ streamType: UInt8) -> String? {
        switch streamType {
        case 0x01: "MPEG-1 video"
        case 0x02: "MPEG-2 video"
        case 0x03: "MPEG-1 audio"
        case 0x04: "MPEG-2 audio"
        case 0x05: "private sections"
        case 0x06: "private PES"
        case 0x0F: "AAC"
        case 0x10: "MPEG-4 video"
        case 0x11: "AAC LATM"
        case 0x15: "metadata"
        case 0x1B: "H.264"
        case 0x24: "HEVC"
        case 0x81: "AC-3"
        case 0x86: "SCTE-35"
        case 0x87: "E-AC-3"
        default: nil
        }
    }

    /// The role in a word or two, for tables and JSON: `PAT`, `PMT`, `null`, `DVB SI`, `unknown`, or the
    /// stream type (`H.264`, `AAC`, `type 0x42`).
    public var roleName: String {
        switch role {
        case .pat: "PAT"
        case .pmt: "PMT"
        case .null: "null"
        case .unknown: (0x10...0x1F).contains(pid) ? "DVB SI" : "unknown"  // NIT, SDT, EIT, TDT: fixed PIDs
        case .elementary(let streamType):
            Self.streamTypeName(streamType) ?? "type 0x" + String(streamType, radix: 16)
        }
    }
}
