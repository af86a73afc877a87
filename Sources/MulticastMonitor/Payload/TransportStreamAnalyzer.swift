import MulticastExpert

/// The ETSI TR 101 290 priority-1 checks of one MPEG transport stream carried over UDP (or RTP),
/// its PID table with per-PID bit rates, and its programs from the PAT and PMTs.
///
/// Bytes and time in, counts out: nothing here reads a clock or a socket, so every check can be
/// driven by crafted packets in a test. Time is the receiver's monotonic clock in nanoseconds,
/// one value per datagram.
///
/// What is counted (TR 101 290 §5.2.1; each is a count of events, not of seconds in error):
/// - 1.1 ``syncLosses``: two consecutive packets with a bad sync byte while in sync (the stream
///   is taken to be in sync at the start); sync comes back after five good ones. Over UDP a
///   datagram carries whole packets, so packets with a good sync byte are analysed even while
///   sync is lost. A datagram that is not n × 188 bytes
///   counts as ``malformedDatagrams`` and its whole packets are analysed.
/// - 1.2 ``syncByteErrors``: packets whose first byte is not 0x47 (otherwise ignored).
/// - 1.3 ``patErrors``: no section with table_id 0 on PID 0 for more than 0.5 s (counted once per
///   gap, at the first datagram past the deadline, the first deadline running from the first
///   packet); a section on PID 0 with another table_id; a scrambled packet on PID 0.
/// - 1.4 ``continuityErrors``: per PID and in total (see ``TransportStreamPID``). One repeat of a
///   counter is a ``duplicatePackets``, not an error (the payload is not compared).
/// - 1.5 ``pmtErrors``: no section with table_id 2 for more than 0.5 s, or a scrambled packet,
///   on each PMT PID the PAT lists, the clock starting when the PAT first listed the PID (other
///   tables on a PMT PID are allowed: private sections may share it).
/// - 1.6 ``pidErrors``: an elementary PID a PMT lists silent for more than
///   ``elementaryStreamTimeout`` (once per gap, the clock starting when the PMT listed it).
/// - 2.1 ``transportErrors``: packets with transport_error_indicator set. Their other header
///   fields may be garbage, so they are counted and otherwise ignored (not given to a PID).
/// - 2.2 ``crcErrors``: PAT and PMT sections whose CRC_32 is wrong; their content is ignored,
///   though their table_id still counts as the table's presence.
///
/// Sections are parsed only when the whole section is in the packet where it starts (a PAT of
/// up to 42 programs, the usual PMT of a few streams); a PMT longer than that still satisfies
/// the repetition check, but its streams stay unknown and so its PIDs are not checked
/// (``unparsedSections`` counts such sections).
/// A PAT split over several sections is merged while its version_number stays the same.
///
/// Memory is bounded whatever arrives: at most ``maxPIDs`` PIDs are tracked (PID 0 always has a
/// place kept for it; packets on PIDs beyond the cap count in ``untrackedPIDPackets`` and a
/// table naming them cannot watch them), at most ``maxPrograms`` programs and
/// ``maxStreamsPerProgram`` streams each.
///
/// Cost per packet: a header decode, one hash-table probe for the PID, a few counters; nothing is
/// allocated once the PIDs are known. PSI packets add a CRC over their section; tables are only
/// re-read when their CRC changes. The deadlines are checked only when the earliest of them has
/// passed, so a stream with tables every 100 ms scans its PIDs two or three times a second.
public struct TransportStreamAnalyzer: Sendable, Hashable {
    /// How long the PAT or a PMT may be absent: 0.5 s (TR 101 290 1.3 and 1.5), nanoseconds.
    public static let tableTimeout: Int64 = 500_000_000
    /// How long an elementary PID a PMT lists may be silent (TR 101 290 1.6 leaves it to the
    /// user; 5 s), nanoseconds.
    public static let elementaryStreamTimeout: Int64 = 5_000_000_000
    /// Programs kept from the PAT; further ones are ignored.
    public static let maxPrograms = 64
    /// Elementary streams kept per PMT; further ones are ignored.
    public static let maxStreamsPerProgram = 64
    /// The largest ``maxPIDs`` (every possible PID).
    public static let allPIDs = 8192

    /// PIDs tracked at most (PID 0 included).
    public let maxPIDs: Int

    /// 188-byte packets analysed, whatever their sync byte.
    public private(set) var packets: UInt64 = 0
    /// Packets whose first byte was not 0x47 (TR 101 290 1.2).
    public private(set) var syncByteErrors: UInt64 = 0
    /// Times sync was lost: two bad sync bytes in a row while in sync (TR 101 290 1.1).
    public private(set) var syncLosses: UInt64 = 0
    /// Continuity counter errors, all PIDs (TR 101 290 1.4).
    public private(set) var continuityErrors: UInt64 = 0
    /// PAT errors: gaps over 0.5 s, wrong table_id, scrambled packets on PID 0 (TR 101 290 1.3).
    public private(set) var patErrors: UInt64 = 0
    /// PMT errors: gaps over 0.5 s, scrambled packets on PMT PIDs (TR 101 290 1.5).
    public private(set) var pmtErrors: UInt64 = 0
    /// Elementary PIDs silent past ``elementaryStreamTimeout``, once per gap (TR 101 290 1.6).
    public private(set) var pidErrors: UInt64 = 0
    /// Packets with transport_error_indicator set (TR 101 290 2.1).
    public private(set) var transportErrors: UInt64 = 0
    /// Packets on the null PID 0x1FFF.
    public private(set) var nullPackets: UInt64 = 0
    /// Datagrams whose length was 0 or not a multiple of 188.
    public private(set) var malformedDatagrams: UInt64 = 0
    /// Packets on PIDs beyond the ``maxPIDs`` cap: counted here, not itemised.
    public private(set) var untrackedPIDPackets: UInt64 = 0
    /// Packets that repeated their PID's continuity counter once (allowed by ISO/IEC 13818-1).
    public private(set) var duplicatePackets: UInt64 = 0
    /// PAT and PMT sections whose CRC_32 was wrong (TR 101 290 2.2); their content was ignored.
    public private(set) var crcErrors: UInt64 = 0
    /// PAT and PMT sections seen but not parsed: longer than the rest of their packet, an
    /// impossible section_length or inner length, pointer_field past the packet, or not long-form.
    public private(set) var unparsedSections: UInt64 = 0
    /// False from a sync loss until five good sync bytes in a row.
    public private(set) var inSync = true
    /// The network PID (program 0 of the PAT), when the PAT names one.
    public private(set) var networkPID: UInt16?
    /// transport_stream_id of the PAT in force.
    public private(set) var transportStreamID: UInt16?

    private var states: [TransportStreamPIDState] = []
    private var index: TransportStreamPIDIndex
    private var hasPATSlot = false
    private var programEntries: [ProgramEntry] = []
    private var patVersion: UInt8?
    private var patCRC: UInt32?
    /// Changed tables read in the current second, and which second that is.
    private var tableChangesTaken = 0
    private var tableChangeSecond: Int64 = .min
    /// Changed PAT and PMT sections read per second at most (see ``ignoredTableChanges``).
    public static let tableChangesPerSecond = 32
    /// Changed PAT and PMT sections not read because more than ``tableChangesPerSecond`` came
    /// in one second (a forged or broken multiplex).
    public private(set) var ignoredTableChanges: UInt64 = 0

    // PAT repetition (1.3) and the earliest deadline of all, so most datagrams check nothing.
    private var started = false
    private var patClockStart: Int64 = 0
    private var lastPAT: Int64 = .min
    private var patGapCounted = false
    private var nextDeadline: Int64 = .max

    // Sync (1.1): runs of bad sync bytes while in sync, of good ones while not.
    private var badRun: UInt8 = 0
    private var goodRun: UInt8 = 0

    // Whole-second rate windows, shared by all PIDs: one division per second, not per packet.
    private var secondEpoch: Int64 = -1
    private var secondEnd: Int64 = .min
    private var packetsThisSecond: UInt32 = 0
    private var packetsLastSecond: UInt32 = 0

    /// An analyzer that itemises at most `maxPIDs` PIDs (clamped to 1...8192; PID 0 counts).
    /// The default, 128, is far more than a real multiplex carries and keeps the table a few KiB.
    public init(maxPIDs: Int = 128) {
        self.maxPIDs = min(max(maxPIDs, 1), Self.allPIDs)
        index = TransportStreamPIDIndex(capacity: self.maxPIDs)
    }

    // MARK: Feeding

    /// Analyses n × 188 bytes of one datagram (or the RTP payload of one) that arrived at
    /// monotonic time `now` (nanoseconds). A length that is not a multiple of 188 counts as
    /// ``malformedDatagrams``; the whole packets it holds are analysed.
    public mutating func record(_ payload: UnsafeRawBufferPointer, now: Int64) {
        let length = payload.count
        let packetLength = TSPacketHeader.packetLength
        if length == 0 || length % packetLength != 0 { malformedDatagrams &+= 1 }
        guard length >= packetLength else { return }
        if !started {
            started = true
            patClockStart = now
            nextDeadline = now.addingSaturating(Self.tableTimeout)
        }
        if now >= secondEnd { advance(to: now) }
        if now > nextDeadline { checkDeadlines(now: now) }
        var offset = 0
        while length - offset >= packetLength {
            analysePacket(UnsafeRawBufferPointer(rebasing: payload[offset..<(offset + packetLength)]), now: now)
            offset += packetLength
        }
    }

    /// Moves the per-PID one-second rate windows to `now`, so PIDs that fell silent read zero.
    /// Counts no errors: the repetition deadlines are checked only as packets arrive.
    public mutating func advance(to time: Int64) {
        let now = max(time, 0)  // monotonic time starts at boot; nothing earlier is meaningful
        let epoch = now / 1_000_000_000
        if secondEpoch < 0 {
            secondEpoch = epoch
        } else if epoch > secondEpoch {
            let adjacent = epoch == secondEpoch + 1
            for i in states.indices {
                states[i].packetsLastSecond = adjacent ? states[i].packetsThisSecond : 0
                states[i].packetsThisSecond = 0
            }
            packetsLastSecond = adjacent ? packetsThisSecond : 0
            packetsThisSecond = 0
            secondEpoch = epoch
        }
        let (end, overflow) = (secondEpoch + 1).multipliedReportingOverflow(by: 1_000_000_000)
        secondEnd = overflow ? .max : end
    }

    // MARK: Reading

    /// Null packets as a share of all packets, percent; nil before any packet.
    public var nullPercent: Double? {
        guard packets > 0 else { return nil }
        return Double(nullPackets) / Double(packets) * 100
    }

    /// Transport stream bits per second over the last whole second, all PIDs (and bad packets).
    public var bitsPerSecond: Double { Double(packetsLastSecond) * Self.bitsPerPacket }

    /// The PIDs seen, and those the PAT or a PMT names (with 0 packets until they come),
    /// sorted by PID.
    public var pids: [TransportStreamPID] {
        states.map { state in
            TransportStreamPID(pid: state.pid, packets: state.packets, continuityErrors: state.continuityErrors,
                               duplicatePackets: state.duplicates,
                               bitsPerSecond: Double(state.packetsLastSecond) * Self.bitsPerPacket,
                               role: state.role, scrambled: state.scrambled)
        }.sorted { $0.pid < $1.pid }
    }

    /// The programs the PAT lists (program 0, the network PID, is ``networkPID``), by number,
    /// with what their PMTs say.
    public var programs: [TransportStreamProgram] { programEntries.map(\.program) }

    /// All priority-1 errors together (sync losses, sync byte, continuity, PAT, PMT and PID
    /// errors), for a one-glance health figure.
    public var priorityOneErrors: UInt64 {
        syncLosses.addingSaturating(syncByteErrors).addingSaturating(continuityErrors)
            .addingSaturating(patErrors).addingSaturating(pmtErrors).addingSaturating(pidErrors)
    }

    // MARK: Packets

    static let bitsPerPacket = Double(TSPacketHeader.packetLength * 8)

    private mutating func analysePacket(_ packet: UnsafeRawBufferPointer, now: Int64) {
        packets &+= 1
        packetsThisSecond &+= 1
        guard let header = TSPacketHeader(decoding: packet) else {  // 188 bytes are there: the sync byte is bad
            syncByteErrors &+= 1
            noteSyncByte(good: false)
            return
        }
        noteSyncByte(good: true)
        if header.transportError {
            transportErrors &+= 1
            return
        }
        let pid = header.pid
        if pid == TSPacketHeader.nullPID { nullPackets &+= 1 }
        guard let slot = slot(for: pid) else {
            untrackedPIDPackets &+= 1
            return
        }
        let (continuity, endedGap) = states[slot].record(header, now: now)
        switch continuity {
        case .inOrder: break
        case .duplicate:
            duplicatePackets &+= 1
            states[slot].duplicates &+= 1
        case .error:
            continuityErrors &+= 1
            states[slot].continuityErrors &+= 1
        }
        if endedGap { nextDeadline = min(nextDeadline, now.addingSaturating(Self.elementaryStreamTimeout)) }
        if pid == TSPacketHeader.patPID {
            readTable(packet, header, slot: slot, isPAT: true, now: now)
        } else if case .pmt = states[slot].role {
            readTable(packet, header, slot: slot, isPAT: false, now: now)
        }
    }

    /// TR 101 290 1.1: sync is lost after 2 bad sync bytes in a row and regained after 5 good.
    private mutating func noteSyncByte(good: Bool) {
        if good {
            badRun = 0
            guard !inSync else { return }
            goodRun += 1
            if goodRun >= 5 {
                inSync = true
                goodRun = 0
            }
        } else {
            goodRun = 0
            guard inSync else { return }
            badRun += 1
            if badRun >= 2 {
                inSync = false
                syncLosses &+= 1
                badRun = 0
            }
        }
    }

    /// The state slot of `pid`, made if there is room (one place always kept for PID 0).
    private mutating func slot(for pid: UInt16) -> Int? {
        switch index.find(pid) {
        case .found(let slot):
            return slot
        case .absent(let position):
            let reserved = pid == TSPacketHeader.patPID || hasPATSlot ? 0 : 1
            guard states.count + reserved < maxPIDs else { return nil }
            if pid == TSPacketHeader.patPID { hasPATSlot = true }
            index.insert(pid, slot: states.count, at: position)
            states.append(TransportStreamPIDState(pid: pid, role: Self.baseRole(of: pid)))
            return states.count - 1
        }
    }

    /// The role a PID has whatever the tables say.
    private static func baseRole(of pid: UInt16) -> TransportStreamPID.Role {
        switch pid {
        case TSPacketHeader.patPID: .pat
        case TSPacketHeader.nullPID: .null
        default: .unknown
        }
    }

    // MARK: Tables

    /// The PAT on PID 0 or a PMT on a PMT PID: scrambling and table_id checks, presence for the
    /// repetition deadline, then the section's content if it is all here and its CRC is right.
    private mutating func readTable(_ packet: UnsafeRawBufferPointer, _ header: TSPacketHeader, slot: Int, isPAT: Bool, now: Int64) {
        if header.scrambling != 0 {
            if isPAT { patErrors &+= 1 } else { pmtErrors &+= 1 }
            return
        }
        guard header.payloadUnitStart, header.hasPayload else { return }
        guard let start = PSISectionStart(in: packet, payloadOffset: header.payloadOffset) else {
            unparsedSections &+= 1
            return
        }
        if isPAT {
            guard start.tableID == 0x00 else {
                patErrors &+= 1
                return
            }
            lastPAT = now
            if patGapCounted {
                patGapCounted = false
                nextDeadline = min(nextDeadline, now.addingSaturating(Self.tableTimeout))
            }
        } else {
            // Other tables (private sections) may share a PMT PID; TR 101 290 counts only a
            // missing PMT and scrambling as PMT errors, so they count as neither error nor PMT.
            guard start.tableID == 0x02 else { return }
            if states[slot].recordTable(now: now) { nextDeadline = min(nextDeadline, now.addingSaturating(Self.tableTimeout)) }
        }
        guard case .complete(let range) = start.extent else {
            unparsedSections &+= 1
            return
        }
        switch PSISection.decode(packet, range: range) {
        case .failure(.badCRC):
            crcErrors &+= 1
        case .failure(.notLongForm):
            unparsedSections &+= 1
        case .success(let section):
            guard section.isCurrent else { return }  // announced for later, not in force yet
            if isPAT {
                applyPAT(section, packet, now: now)
            } else {
                applyPMT(section, packet, pid: states[slot].pid, now: now)
            }
        }
    }

    /// Takes a PAT section: a new version_number starts the program list afresh (programs it
    /// keeps keep what their PMTs said), sections of the same version are merged into it.
    private mutating func applyPAT(_ section: PSISection, _ packet: UnsafeRawBufferPointer, now: Int64) {
        guard section.crc != patCRC else { return }  // a repeat of the last one taken
        guard takesTableChange(now: now) else { return }
        patCRC = section.crc
        var changed = false
        var previous: [ProgramEntry] = []
        if section.version != patVersion {
            patVersion = section.version
            transportStreamID = section.tableIDExtension
            networkPID = nil
            previous = programEntries
            programEntries.removeAll(keepingCapacity: true)
            changed = true
        }
        PSISection.patEntries(packet, body: section.body, limit: 256) { number, pid in
            if number == 0 {
                networkPID = pid
            } else if let i = programEntries.firstIndex(where: { $0.program.programNumber == number }) {
                if programEntries[i].program.pmtPID != pid {  // moved: what its old PMT said no longer holds
                    programEntries[i] = ProgramEntry(program: TransportStreamProgram(programNumber: number, pmtPID: pid))
                    changed = true
                }
            } else if programEntries.count < Self.maxPrograms {
                // A program the last version had too keeps what its PMT said.
                let kept = previous.first { $0.program.programNumber == number && $0.program.pmtPID == pid }
                programEntries.append(kept ?? ProgramEntry(program: TransportStreamProgram(programNumber: number, pmtPID: pid)))
                changed = true
            }
        }
        guard changed else { return }
        programEntries.sort { $0.program.programNumber < $1.program.programNumber }
        assignRoles(now: now)
    }

    /// Takes a PMT section for the program the PAT maps to this PID (others are ignored).
    private mutating func applyPMT(_ section: PSISection, _ packet: UnsafeRawBufferPointer, pid: UInt16, now: Int64) {
        let number = section.tableIDExtension
        guard let i = programEntries.firstIndex(where: { $0.program.programNumber == number && $0.program.pmtPID == pid }) else { return }
        guard !programEntries[i].program.pmtSeen || programEntries[i].pmtCRC != section.crc else { return }
        guard takesTableChange(now: now) else { return }
        guard let table = PSISection.pmtStreams(packet, body: section.body, limit: Self.maxStreamsPerProgram) else {
            unparsedSections &+= 1
            return
        }
        programEntries[i].pmtCRC = section.crc
        programEntries[i].program.pmtSeen = true
        programEntries[i].program.pcrPID = table.pcrPID
        guard programEntries[i].program.elementaryStreams != table.streams else { return }
        programEntries[i].program.elementaryStreams = table.streams
        assignRoles(now: now)
    }

    /// Whether one more changed PAT or PMT may be read this second. A real multiplex changes its
    /// tables a few times an hour; a forged stream that changes them on every packet would make
    /// each packet rebuild the roles (thousands of steps), so past ``tableChangesPerSecond`` a
    /// second the changes are counted in ``ignoredTableChanges`` and not read.
    private mutating func takesTableChange(now: Int64) -> Bool {
        let second = now / 1_000_000_000
        if second != tableChangeSecond {
            tableChangeSecond = second
            tableChangesTaken = 0
        }
        guard tableChangesTaken < Self.tableChangesPerSecond else {
            ignoredTableChanges &+= 1
            return false
        }
        tableChangesTaken += 1
        return true
    }

    /// Gives every PID the role the tables say (a PMT PID before an elementary one; PID 0 and
    /// the null PID keep theirs), making states for named PIDs while there is room. A PID whose
    /// kind of role changes starts its repetition clock at `now`; one that keeps it keeps its clock.
    private mutating func assignRoles(now: Int64) {
        for i in states.indices { states[i].pendingRole = Self.baseRole(of: states[i].pid) }
        for entry in programEntries {
            if let slot = slot(for: entry.program.pmtPID), states[slot].pendingRole == .unknown {
                states[slot].pendingRole = .pmt
            }
        }
        for entry in programEntries {
            for stream in entry.program.elementaryStreams {
                if let slot = slot(for: stream.pid), states[slot].pendingRole == .unknown {
                    states[slot].pendingRole = .elementary(streamType: stream.streamType)
                }
            }
        }
        for i in states.indices {
            let kindChanged = Self.watchKind(states[i].role) != Self.watchKind(states[i].pendingRole)
            states[i].role = states[i].pendingRole
            if kindChanged {
                states[i].watchedSince = now
                states[i].gapCounted = false
            }
            if !states[i].gapCounted, let deadline = states[i].deadline { nextDeadline = min(nextDeadline, deadline) }
        }
    }

    /// 0 for PIDs nothing requires, 1 for PMT PIDs, 2 for elementary ones.
    private static func watchKind(_ role: TransportStreamPID.Role) -> Int {
        switch role {
        case .pmt: 1
        case .elementary: 2
        case .pat, .null, .unknown: 0
        }
    }

    // MARK: Deadlines

    /// Counts every table or PID whose deadline has passed (once per gap) and finds the next.
    private mutating func checkDeadlines(now: Int64) {
        var next = Int64.max
        if !patGapCounted {
            let deadline = max(patClockStart, lastPAT).addingSaturating(Self.tableTimeout)
            if now > deadline {
                patErrors &+= 1
                patGapCounted = true
            } else {
                next = deadline
            }
        }
        for i in states.indices where !states[i].gapCounted {
            guard let deadline = states[i].deadline else { continue }
            if now > deadline {
                states[i].gapCounted = true
                if case .pmt = states[i].role { pmtErrors &+= 1 } else { pidErrors &+= 1 }
            } else {
                next = min(next, deadline)
            }
        }
        nextDeadline = next
    }
}

/// A program with what the analyzer needs to skip re-reading its PMT.
struct ProgramEntry: Sendable, Hashable {
    var program: TransportStreamProgram
    /// The CRC_32 of the PMT section taken last: a repeat with the same CRC is not re-read.
    var pmtCRC: UInt32 = 0
}
