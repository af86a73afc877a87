@testable import MulticastMonitor
import Testing

/// Crafted transport stream packets and PSI sections. The CRC here is computed bit by bit, apart
/// from the analyzer's table-driven one, so the two check each other.
enum TSFixture {
    static let ms: Int64 = 1_000_000
    static let second: Int64 = 1_000_000_000

    /// One 188-byte packet; `afc` is adaptation_field_control (1 payload, 2 adaptation only,
    /// 3 both). An adaptation field is as short as the flags allow (183 bytes without payload);
    /// the payload is cut to what fits and the rest is 0xFF stuffing.
    static func packet(pid: UInt16, cc: UInt8, afc: UInt8 = 1, payloadUnitStart: Bool = false, transportError: Bool = false,
                       scrambling: UInt8 = 0, discontinuity: Bool = false, payload: [UInt8] = []) -> [UInt8] {
        var p = [UInt8](repeating: 0xFF, count: 188)
        p[0] = 0x47
        p[1] = (transportError ? 0x80 : 0) | (payloadUnitStart ? 0x40 : 0) | UInt8(pid >> 8 & 0x1F)
        p[2] = UInt8(pid & 0xFF)
        p[3] = (scrambling & 3) << 6 | (afc & 3) << 4 | (cc & 0x0F)
        var i = 4
        if afc & 2 != 0 {
            let fieldLength = afc == 2 ? 183 : 1
            p[4] = UInt8(fieldLength)
            p[5] = discontinuity ? 0x80 : 0x00
            i = 5 + fieldLength
        }
        if afc & 1 != 0 {
            for byte in payload where i < 188 {
                p[i] = byte
                i += 1
            }
        }
        return p
    }

    /// MPEG-2 CRC-32, one bit at a time.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        }
        return crc
    }

    /// A long-form section with a correct section_length (unless `lengthOverride`) and CRC.
    static func section(tableID: UInt8, tableIDExtension: UInt16, version: UInt8 = 0, sectionNumber: UInt8 = 0,
                        lastSectionNumber: UInt8 = 0, body: [UInt8], lengthOverride: Int? = nil) -> [UInt8] {
        let length = lengthOverride ?? 5 + body.count + 4
        var s: [UInt8] = [tableID, 0xB0 | UInt8(length >> 8 & 0x0F), UInt8(length & 0xFF),
                          UInt8(tableIDExtension >> 8), UInt8(tableIDExtension & 0xFF),
                          0xC1 | (version & 0x1F) << 1, sectionNumber, lastSectionNumber] + body
        let crc = crc32(s)
        s += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        return s
    }

    /// A PAT listing `programs` as (program_number, PMT PID); program 0 is the network PID.
    static func pat(_ programs: [(UInt16, UInt16)], version: UInt8 = 0, sectionNumber: UInt8 = 0, lastSectionNumber: UInt8 = 0,
                    tableID: UInt8 = 0x00) -> [UInt8] {
        let body = programs.flatMap { number, pid in [UInt8(number >> 8), UInt8(number & 0xFF), 0xE0 | UInt8(pid >> 8), UInt8(pid & 0xFF)] }
        return section(tableID: tableID, tableIDExtension: 1, version: version, sectionNumber: sectionNumber,
                       lastSectionNumber: lastSectionNumber, body: body)
    }

    /// A PMT for `program` listing `streams` as (stream_type, PID), no descriptors.
    static func pmt(program: UInt16, pcrPID: UInt16, streams: [(UInt8, UInt16)], version: UInt8 = 0, tableID: UInt8 = 0x02,
                    programInfoLength: Int = 0) -> [UInt8] {
        var body: [UInt8] = [0xE0 | UInt8(pcrPID >> 8), UInt8(pcrPID & 0xFF), 0xF0 | UInt8(programInfoLength >> 8 & 0x0F), UInt8(programInfoLength & 0xFF)]
        for (type, pid) in streams { body += [type, 0xE0 | UInt8(pid >> 8), UInt8(pid & 0xFF), 0xF0, 0x00] }
        return section(tableID: tableID, tableIDExtension: program, version: version, body: body)
    }

    /// A packet starting `section` at pointer_field 0.
    static func psiPacket(pid: UInt16, cc: UInt8, section: [UInt8], scrambling: UInt8 = 0) -> [UInt8] {
        packet(pid: pid, cc: cc, payloadUnitStart: true, scrambling: scrambling, payload: [0] + section)
    }
}

/// Hands out continuity counters per PID, as a multiplexer does.
struct TSFeed {
    private var counters: [UInt16: UInt8] = [:]

    mutating func cc(_ pid: UInt16) -> UInt8 {
        let c = counters[pid, default: 0]
        counters[pid] = (c + 1) & 0x0F
        return c
    }

    mutating func packet(_ pid: UInt16) -> [UInt8] { TSFixture.packet(pid: pid, cc: cc(pid)) }

    mutating func psi(_ pid: UInt16, _ section: [UInt8]) -> [UInt8] { TSFixture.psiPacket(pid: pid, cc: cc(pid), section: section) }
}

extension TransportStreamAnalyzer {
    /// Records the packets as one datagram at `now`.
    mutating func record(_ packets: [[UInt8]], at now: Int64) {
        let bytes = packets.flatMap { $0 }
        bytes.withUnsafeBytes { record($0, now: now) }
    }

    func pid(_ pid: UInt16) -> TransportStreamPID? { pids.first { $0.pid == pid } }
}

@Suite("MPEG-TS analyzer: ETSI TR 101 290 priority 1 checks")
struct TransportStreamAnalyzerTests {
    let ms = TSFixture.ms
    let second = TSFixture.second
    /// Program 1: PMT on 0x100, H.264 video on 0x101 (also the PCR PID), AAC audio on 0x102.
    let pat = TSFixture.pat([(1, 0x100)])
    let pmt = TSFixture.pmt(program: 1, pcrPID: 0x101, streams: [(0x1B, 0x101), (0x0F, 0x102)])

    /// A datagram every 10 ms from `start` for `duration`: video ×5, audio and null, with PAT and
    /// PMT in place of audio and null every `tableEvery` datagrams (nil: no tables).
    func feedProgram(_ a: inout TransportStreamAnalyzer, _ feed: inout TSFeed, from start: Int64, for duration: Int64,
                     tableEvery: Int? = 10, audio: Bool = true) {
        var t = start
        var n = 0
        while t < start + duration {
            var packets = (0..<5).map { _ in feed.packet(0x101) }
            if let every = tableEvery, n % every == 0 {
                packets += [feed.psi(0, pat), feed.psi(0x100, pmt)]
            } else {
                if audio { packets.append(feed.packet(0x102)) }
                packets.append(TSFixture.packet(pid: 0x1FFF, cc: 0))
            }
            a.record(packets, at: t)
            t += 10 * ms
            n += 1
        }
    }

    func expectNoErrors(_ a: TransportStreamAnalyzer, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.priorityOneErrors == 0, sourceLocation: sourceLocation)
        #expect(a.syncLosses == 0 && a.syncByteErrors == 0 && a.continuityErrors == 0, sourceLocation: sourceLocation)
        #expect(a.patErrors == 0 && a.pmtErrors == 0 && a.pidErrors == 0, sourceLocation: sourceLocation)
        #expect(a.transportErrors == 0 && a.malformedDatagrams == 0 && a.crcErrors == 0 && a.unparsedSections == 0, sourceLocation: sourceLocation)
    }

    // MARK: A clean stream

    @Test("a clean single-program stream with PAT and PMT every 100 ms counts no errors and maps its PIDs")
    func cleanStream() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        feedProgram(&a, &feed, from: 5 * second, for: 10 * second)
        expectNoErrors(a)
        #expect(a.packets == 7000)
        #expect(a.duplicatePackets == 0)
        #expect(a.inSync)
        #expect(a.nullPackets == 900)
        #expect(abs((a.nullPercent ?? 0) - 900.0 / 7000 * 100) < 1e-9)
        #expect(a.programs == [TransportStreamProgram(programNumber: 1, pmtPID: 0x100, pmtSeen: true, pcrPID: 0x101,
                                                      elementaryStreams: [.init(pid: 0x101, streamType: 0x1B), .init(pid: 0x102, streamType: 0x0F)])])
        #expect(a.programs.first?.elementaryPIDs == [0x101, 0x102])
        #expect(a.transportStreamID == 1)
        #expect(a.pids.map(\.pid) == [0, 0x100, 0x101, 0x102, 0x1FFF])
        #expect(a.pids.map(\.role) == [.pat, .pmt, .elementary(streamType: 0x1B), .elementary(streamType: 0x0F), .null])
        #expect(a.pid(0x101)?.packets == 5000)
        #expect(a.pids.allSatisfy { !$0.scrambled })
        #expect(TransportStreamPID.streamTypeName(0x1B) == "H.264")
    }

    // MARK: Continuity (1.4)

    @Test("a skipped continuity counter counts one error, on that PID only")
    func skippedCounter() {
        var a = TransportStreamAnalyzer()
        let video: [UInt8] = [0, 1, 2, 4, 5, 6]  // 3 lost
        for (i, cc) in video.enumerated() {
            a.record([TSFixture.packet(pid: 0x101, cc: cc), TSFixture.packet(pid: 0x102, cc: UInt8(i))], at: second + Int64(i) * ms)
        }
        #expect(a.continuityErrors == 1)
        #expect(a.pid(0x101)?.continuityErrors == 1)
        #expect(a.pid(0x102)?.continuityErrors == 0)
        #expect(a.duplicatePackets == 0)
    }

    @Test("one repeated packet is a duplicate, not an error; a second repeat is an error")
    func duplicates() {
        var once = TransportStreamAnalyzer()
        once.record([0, 1, 1, 2, 3].map { TSFixture.packet(pid: 0x101, cc: $0) }, at: second)
        #expect(once.continuityErrors == 0)
        #expect(once.duplicatePackets == 1)
        #expect(once.pid(0x101)?.duplicatePackets == 1)

        var twice = TransportStreamAnalyzer()
        twice.record([0, 1, 1, 1, 2, 3].map { TSFixture.packet(pid: 0x101, cc: $0) }, at: second)
        #expect(twice.continuityErrors == 1)
        #expect(twice.duplicatePackets == 1)
    }

    @Test("adaptation-only packets neither advance the continuity counter nor are checked")
    func adaptationOnly() {
        var a = TransportStreamAnalyzer()
        a.record([
            TSFixture.packet(pid: 0x101, cc: 0),
            TSFixture.packet(pid: 0x101, cc: 9, afc: 2),  // any counter: not checked
            TSFixture.packet(pid: 0x101, cc: 1),  // still follows 0
            TSFixture.packet(pid: 0x101, cc: 1, afc: 2),  // same counter, no payload: not a duplicate
            TSFixture.packet(pid: 0x101, cc: 2, afc: 3),  // adaptation and payload: checked
            TSFixture.packet(pid: 0x101, cc: 7, afc: 0),  // reserved control: nothing
            TSFixture.packet(pid: 0x101, cc: 3),
        ], at: second)
        #expect(a.continuityErrors == 0)
        #expect(a.duplicatePackets == 0)
        #expect(a.pid(0x101)?.packets == 7)
    }

    @Test("a discontinuity indicator restarts the count without an error")
    func discontinuity() {
        var a = TransportStreamAnalyzer()
        a.record([
            TSFixture.packet(pid: 0x101, cc: 0),
            TSFixture.packet(pid: 0x101, cc: 1),
            TSFixture.packet(pid: 0x101, cc: 9, afc: 3, discontinuity: true),
            TSFixture.packet(pid: 0x101, cc: 10),
            TSFixture.packet(pid: 0x101, cc: 4, afc: 2, discontinuity: true),  // no payload: the next one starts afresh
            TSFixture.packet(pid: 0x101, cc: 13),
            TSFixture.packet(pid: 0x101, cc: 14),
        ], at: second)
        #expect(a.continuityErrors == 0)
        a.record([TSFixture.packet(pid: 0x101, cc: 2)], at: second)  // without the indicator it is an error again
        #expect(a.continuityErrors == 1)
    }

    @Test("the counter wraps from 15 to 0 without an error")
    func wrap() {
        var a = TransportStreamAnalyzer()
        let counters = (0..<40).map { UInt8($0 % 16) }
        a.record(counters.map { TSFixture.packet(pid: 0x101, cc: $0) }, at: second)
        #expect(a.continuityErrors == 0)
        a.record([TSFixture.packet(pid: 0x101, cc: 0)], at: second)  // 7 → 0
        #expect(a.continuityErrors == 1)
    }

    @Test("null packets are never checked for continuity, and their share is reported")
    func nullPID() {
        var a = TransportStreamAnalyzer()
        #expect(a.nullPercent == nil)
        a.record([3, 3, 3, 9, 0, 12].map { TSFixture.packet(pid: 0x1FFF, cc: $0) } + [TSFixture.packet(pid: 0x101, cc: 0), TSFixture.packet(pid: 0x101, cc: 1)],
                 at: second)
        #expect(a.continuityErrors == 0)
        #expect(a.duplicatePackets == 0)
        #expect(a.nullPackets == 6)
        #expect(a.nullPercent == 75)
        #expect(a.pid(0x1FFF)?.role == .null)
    }

    @Test("packets with transport_error_indicator are counted and otherwise ignored")
    func transportError() {
        var a = TransportStreamAnalyzer()
        a.record([
            TSFixture.packet(pid: 0x101, cc: 0),
            TSFixture.packet(pid: 0x101, cc: 1),
            TSFixture.packet(pid: 0x101, cc: 9, transportError: true),
            TSFixture.packet(pid: 0x777, cc: 0, transportError: true),  // a PID that may be garbage: no table entry
            TSFixture.packet(pid: 0x101, cc: 2),
        ], at: second)
        #expect(a.transportErrors == 2)
        #expect(a.continuityErrors == 0)
        #expect(a.pid(0x101)?.packets == 3)
        #expect(a.pid(0x777) == nil)
        #expect(a.packets == 5)
    }

    // MARK: PAT (1.3)

    @Test("a PAT every 0.4 s or 0.5 s counts no PAT error; every 0.6 s, one per gap", arguments: [(400, 0), (500, 0), (600, 10)])
    func patRepetition(intervalMs: Int64, expected: UInt64) {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        let emptyPAT = TSFixture.pat([])
        for step in 0...(10 * intervalMs / 50) {  // filler every 50 ms, a PAT every interval
            let elapsed = step * 50
            var packets = [feed.packet(0x101)]
            if elapsed % intervalMs == 0 { packets.insert(feed.psi(0, emptyPAT), at: 0) }
            a.record(packets, at: second + elapsed * ms)
        }
        #expect(a.patErrors == expected)
        #expect(a.priorityOneErrors == expected)
    }

    @Test("a PAT gap counts once however long it lasts; a PAT missing from the start counts from the first packet")
    func patGapOnce() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        for step in 0..<60 {  // 3 s of filler, no PAT
            a.record([feed.packet(0x101)], at: 10 * second + Int64(step) * 50 * ms)
        }
        #expect(a.patErrors == 1)
        let emptyPAT = TSFixture.pat([])
        for step in 0..<10 { a.record([feed.psi(0, emptyPAT), feed.packet(0x101)], at: 13 * second + Int64(step) * 100 * ms) }
        #expect(a.patErrors == 1)
        for step in 0..<40 { a.record([feed.packet(0x101)], at: 14 * second + Int64(step) * 50 * ms) }
        #expect(a.patErrors == 2)
        #expect(a.priorityOneErrors == 2)
    }

    @Test("a wrong table_id or scrambling on PID 0 counts PAT errors")
    func patContent() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        a.record([
            feed.psi(0, pat),
            feed.psi(0, TSFixture.pat([(1, 0x100)], tableID: 0x02)),
            TSFixture.psiPacket(pid: 0, cc: feed.cc(0), section: pat, scrambling: 2),
            feed.psi(0, pat),
        ], at: second)
        #expect(a.patErrors == 2)
        #expect(a.pmtErrors == 0)
        #expect(a.programs.count == 1)
    }

    // MARK: PMT (1.5)

    @Test("a PMT the PAT lists but that does not come counts one PMT error per gap, clocked from the listing")
    func pmtMissing() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        var t = 10 * second
        // 3 s of PAT every 100 ms, no PMT: one gap.
        while t < 13 * second {
            a.record([feed.psi(0, pat), feed.packet(0x101)], at: t)
            t += 100 * ms
        }
        #expect(a.pmtErrors == 1)
        #expect(a.programs.first?.pmtSeen == false)
        #expect(a.pid(0x100)?.role == .pmt)
        #expect(a.pid(0x100)?.packets == 0)
        // PMT every 100 ms for 1 s, then gone for 1 s: a second gap.
        while t < 14 * second {
            a.record([feed.psi(0, pat), feed.psi(0x100, pmt)], at: t)
            t += 100 * ms
        }
        #expect(a.pmtErrors == 1)
        #expect(a.programs.first?.pmtSeen == true)
        while t < 15 * second {
            a.record([feed.psi(0, pat), feed.packet(0x101)], at: t)
            t += 100 * ms
        }
        #expect(a.pmtErrors == 2)
        #expect(a.patErrors == 0)
    }

    @Test("a PMT clock starts when the PAT lists its PID, not at the first packet")
    func pmtClockStart() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        a.record([feed.packet(0x101)], at: second)
        a.record([feed.psi(0, pat)], at: second + 300 * ms)  // PMT due by 0.8 s
        a.record([feed.psi(0x100, pmt), feed.psi(0, pat)], at: second + 700 * ms)
        a.record([feed.psi(0x100, pmt), feed.psi(0, pat)], at: second + 1100 * ms)
        #expect(a.pmtErrors == 0)
        #expect(a.patErrors == 0)
    }

    @Test("scrambling on a PMT PID counts a PMT error; another table on it (a private section) does not")
    func pmtContent() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        a.record([
            feed.psi(0, pat),
            feed.psi(0x100, pmt),
            feed.psi(0x100, TSFixture.pmt(program: 1, pcrPID: 0x101, streams: [], tableID: 0x00)),
            TSFixture.psiPacket(pid: 0x100, cc: feed.cc(0x100), section: pmt, scrambling: 3),
        ], at: second)
        #expect(a.pmtErrors == 1)
        #expect(a.patErrors == 0)
        #expect(a.pid(0x100)?.scrambled == true)
        #expect(a.programs.first?.elementaryStreams.count == 2)
    }

    @Test("a PMT longer than one packet satisfies the repetition check but is not parsed")
    func longPMT() {
        let streams = (0..<40).map { (UInt8(0x06), UInt16(0x200 + $0)) }  // 40 × 5 bytes: spans two packets
        let long = TSFixture.pmt(program: 1, pcrPID: 0x200, streams: streams)
        #expect(long.count > 184)
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        for step in 0..<20 {
            a.record([feed.psi(0, pat), feed.psi(0x100, long)], at: second + Int64(step) * 100 * ms)
        }
        #expect(a.pmtErrors == 0)
        #expect(a.unparsedSections == 20)
        #expect(a.programs.first?.pmtSeen == false)
    }

    // MARK: PID (1.6)

    @Test("an elementary PID the PMT lists but that stays silent over 5 s counts one PID error per gap")
    func pidMissing() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        feedProgram(&a, &feed, from: 10 * second, for: 12 * second, audio: false)
        #expect(a.pidErrors == 1)
        #expect(a.pid(0x102)?.packets == 0)
        #expect(a.pid(0x102)?.role == .elementary(streamType: 0x0F))
        #expect(a.continuityErrors == 0 && a.patErrors == 0 && a.pmtErrors == 0)
        feedProgram(&a, &feed, from: 22 * second, for: 1 * second, audio: true)
        #expect(a.pidErrors == 1)
        feedProgram(&a, &feed, from: 23 * second, for: 4900 * ms, audio: false)
        #expect(a.pidErrors == 1)  // audio last at 22.99 s: its deadline, 27.99 s, has not passed at 27.89 s
        feedProgram(&a, &feed, from: 27900 * ms, for: 200 * ms, audio: false)
        #expect(a.pidErrors == 2)
        #expect(a.priorityOneErrors == 2)
    }

    // MARK: Tables

    @Test("a section with a wrong CRC is ignored and counted, but the table still counts as present")
    func badCRC() {
        var broken = pat
        broken[9] ^= 0x01  // the PMT PID of program 1
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        for step in 0..<10 { a.record([feed.psi(0, broken)], at: second + Int64(step) * 100 * ms) }
        #expect(a.crcErrors == 10)
        #expect(a.programs.isEmpty)
        #expect(a.patErrors == 0)
        a.record([feed.psi(0, pat)], at: 2 * second)
        #expect(a.programs.map(\.pmtPID) == [0x100])
    }

    @Test("program 0 of the PAT is the network PID, not a PMT")
    func networkPID() {
        var a = TransportStreamAnalyzer()
        a.record([TSFixture.psiPacket(pid: 0, cc: 0, section: TSFixture.pat([(0, 0x10), (1, 0x100)]))], at: second)
        #expect(a.networkPID == 0x10)
        #expect(a.programs.map(\.programNumber) == [1])
        #expect(a.pid(0x10) == nil)
    }

    @Test("a forged stream that changes its PAT on every packet is read at most 32 times a second")
    func tableChurnBounded() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        // 40 programs each time (as many as fit one packet), a new version every packet: each would rebuild every role.
        for i in 0..<1000 {
            let programs = (0..<40).map { (UInt16($0 + 1), UInt16(0x100 + (i + $0) % 1000)) }
            a.record([feed.psi(0, TSFixture.pat(programs, version: UInt8(i % 32)))], at: second + Int64(i) * 100_000)
        }
        #expect(a.ignoredTableChanges == 1000 - UInt64(TransportStreamAnalyzer.tableChangesPerSecond))
        #expect(a.programs.count == 40)
        // The next second reads changes again.
        a.record([feed.psi(0, TSFixture.pat([(1, 0x100)], version: 3))], at: 3 * second)
        #expect(a.programs.map(\.programNumber) == [1])
    }

    @Test("a multi-section PAT is merged up to 64 programs; a new version replaces the list")
    func patVersions() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        let first = TSFixture.pat((1...40).map { (UInt16($0), UInt16(0x1000 + $0)) }, sectionNumber: 0, lastSectionNumber: 1)
        let second = TSFixture.pat((41...80).map { (UInt16($0), UInt16(0x1000 + $0)) }, sectionNumber: 1, lastSectionNumber: 1)
        a.record([feed.psi(0, first), feed.psi(0, second)], at: self.second)
        #expect(a.programs.count == TransportStreamAnalyzer.maxPrograms)
        #expect(a.programs.map(\.programNumber) == (1...64).map { UInt16($0) })
        #expect(a.pids.count == 65)  // PID 0 and the 64 PMT PIDs, named but not yet seen
        a.record([feed.psi(0, first), feed.psi(0, second)], at: self.second + 100 * ms)  // repeats change nothing
        #expect(a.programs.count == 64)
        a.record([feed.psi(0, TSFixture.pat([(7, 0x1007), (99, 0x1063)], version: 1))], at: self.second + 200 * ms)
        #expect(a.programs.map(\.programNumber) == [7, 99])
        #expect(a.pid(0x1001)?.role == .unknown)  // no longer a PMT PID, no longer watched
        #expect(a.pid(0x1063)?.role == .pmt)
        #expect(a.unparsedSections == 0)
    }

    @Test("a PMT that changes its streams changes the PIDs' roles")
    func pmtUpdate() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        a.record([feed.psi(0, pat), feed.psi(0x100, pmt)], at: second)
        let updated = TSFixture.pmt(program: 1, pcrPID: 0x101, streams: [(0x24, 0x101), (0x81, 0x103)], version: 1)
        a.record([feed.psi(0x100, updated)], at: second + 100 * ms)
        #expect(a.pid(0x101)?.role == .elementary(streamType: 0x24))
        #expect(a.pid(0x102)?.role == .unknown)
        #expect(a.pid(0x103)?.role == .elementary(streamType: 0x81))
        // A PMT for a program the PAT does not map to this PID is ignored.
        a.record([feed.psi(0x100, TSFixture.pmt(program: 2, pcrPID: 0x101, streams: [(0x02, 0x104)]))], at: second + 200 * ms)
        #expect(a.pid(0x104) == nil)
    }

    /// Sections whose lengths lie, on PID 0 or on the PMT PID.
    static let hostileSections: [(String, UInt16, [UInt8])] = [
        ("section_length 1021, far past the packet", 0, [0, 0x00, 0xB3, 0xFD] + [UInt8](repeating: 0, count: 20)),
        ("section_length 4095, more than allowed", 0, [0, 0x00, 0xBF, 0xFF] + [UInt8](repeating: 0, count: 20)),
        ("section_length 3, too short for a header and CRC", 0, [0, 0x00, 0xB0, 0x03, 0, 1, 0xC1]),
        ("pointer_field past the packet", 0, [200, 0x00, 0xB0, 0x0D]),
        ("pointer_field to the last byte, no room for section_length", 0, [182] + [UInt8](repeating: 0xFF, count: 182) + [0x00]),
        ("not a long-form section", 0, [0] + { var s = TSFixture.pat([(1, 0x100)]); s[1] &= 0x7F; return s }()),
        ("program_info_length past the section", 0x100, [0] + TSFixture.pmt(program: 1, pcrPID: 0x101, streams: [(0x1B, 0x101)], programInfoLength: 0xFFF)),
        ("ES_info_length past the section", 0x100, [0] + {
            TSFixture.section(tableID: 2, tableIDExtension: 1, body: [0xE1, 0x01, 0xF0, 0x00, 0x1B, 0xE1, 0x01, 0xF0, 0x40])
        }()),
    ]

    @Test("sections whose lengths run past the packet or cannot be are not parsed, and nothing traps", arguments: 0..<hostileSections.count)
    func hostileSection(case index: Int) {
        let (_, pid, payload) = Self.hostileSections[index]
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        a.record([feed.psi(0, pat)], at: second)
        a.record([TSFixture.packet(pid: pid, cc: feed.cc(pid), payloadUnitStart: true, payload: payload)], at: second + 10 * ms)
        #expect(a.unparsedSections == 1)
        #expect(a.programs.count == 1)
        #expect(a.programs.first?.pmtSeen == false)
        #expect(a.patErrors == 0 && a.pmtErrors == 0 && a.crcErrors == 0)
    }

    @Test("an adaptation field longer than the packet leaves no payload to read")
    func adaptationPastPacket() {
        var p = TSFixture.psiPacket(pid: 0, cc: 0, section: pat)
        p[3] = 0x30  // adaptation and payload
        p[4] = 250
        var a = TransportStreamAnalyzer()
        a.record([p], at: second)
        #expect(a.unparsedSections == 1)
        #expect(a.programs.isEmpty)
        let header = p.withUnsafeBytes { TSPacketHeader(decoding: $0) }
        #expect(header?.payloadOffset == 188)
    }

    // MARK: Sync (1.1, 1.2) and datagrams

    @Test("one bad sync byte is a sync byte error; two in a row lose sync; five good regain it")
    func sync() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        func good() -> [UInt8] { feed.packet(0x101) }
        func bad() -> [UInt8] { var p = TSFixture.packet(pid: 0x101, cc: 0); p[0] = 0x46; return p }
        var t = second
        func send(_ packets: [[UInt8]]) {
            a.record(packets, at: t)
            t += ms
        }
        send([good(), bad(), good()])
        #expect(a.syncByteErrors == 1 && a.syncLosses == 0 && a.inSync)
        send([good(), bad()])
        send([bad(), bad(), bad()])  // the pair spans two datagrams
        #expect(a.syncByteErrors == 5 && a.syncLosses == 1 && !a.inSync)
        send([good(), good(), good(), good(), bad()])
        send([bad(), bad()])
        #expect(a.syncLosses == 1 && !a.inSync)  // four good were not enough
        send([good(), good(), good(), good(), good()])
        #expect(a.inSync)
        send([bad(), bad()])
        #expect(a.syncLosses == 2)
        #expect(a.syncByteErrors == 10)
        #expect(a.continuityErrors == 0)  // bad packets are not given to a PID
        #expect(a.pid(0x101)?.packets == 12)
    }

    @Test("a 1000-byte datagram is malformed and its five whole packets are analysed; an empty one is malformed")
    func malformedDatagram() {
        var a = TransportStreamAnalyzer()
        var bytes = (0..<5).flatMap { TSFixture.packet(pid: 0x101, cc: UInt8($0)) }
        bytes += [UInt8](repeating: 0x47, count: 1000 - bytes.count)
        bytes.withUnsafeBytes { a.record($0, now: second) }
        #expect(a.malformedDatagrams == 1)
        #expect(a.packets == 5)
        #expect(a.pid(0x101)?.packets == 5)
        #expect(a.syncByteErrors == 0)
        [UInt8]().withUnsafeBytes { a.record($0, now: second) }
        [UInt8](repeating: 0x47, count: 187).withUnsafeBytes { a.record($0, now: second) }
        #expect(a.malformedDatagrams == 3)
        #expect(a.packets == 5)
    }

    @Test("PIDs beyond maxPIDs are counted as untracked, a place stays kept for PID 0")
    func pidCap() {
        var a = TransportStreamAnalyzer(maxPIDs: 8)
        for pid in UInt16(1)...20 {
            a.record((0..<3).map { TSFixture.packet(pid: pid, cc: UInt8($0)) }, at: second)
        }
        #expect(a.pids.count == 7)
        #expect(a.untrackedPIDPackets == 13 * 3)
        a.record([TSFixture.psiPacket(pid: 0, cc: 0, section: pat)], at: second)
        #expect(a.pids.count == 8)
        #expect(a.pid(0)?.packets == 1)
        #expect(a.programs.count == 1)  // listed, but 0x100 has no place: not watched
        for step in 1...30 { a.record([TSFixture.psiPacket(pid: 0, cc: UInt8(step % 16), section: pat)], at: second + Int64(step) * 100 * ms) }
        #expect(a.pmtErrors == 0)
        #expect(a.pids.count == 8)
        #expect(TransportStreamAnalyzer(maxPIDs: 0).maxPIDs == 1)
        #expect(TransportStreamAnalyzer(maxPIDs: .max).maxPIDs == 8192)
    }

    // MARK: Rates

    @Test("the bit rate of a PID at a known packet rate is right, and falls to zero once idle")
    func bitRate() {
        var a = TransportStreamAnalyzer()
        var feed = TSFeed()
        let start: Int64 = 10 * second + 333_333_333
        for i in 0..<3000 {  // 0x101 at 1000 packets/s, 0x102 at 250
            var packets = [feed.packet(0x101)]
            if i % 4 == 0 { packets.append(feed.packet(0x102)) }
            a.record(packets, at: start + Int64(i) * ms)
        }
        a.advance(to: start + 2900 * ms)
        let video = a.pid(0x101)?.bitsPerSecond ?? 0
        let audio = a.pid(0x102)?.bitsPerSecond ?? 0
        #expect(abs(video - 1000 * 1504) / (1000 * 1504) < 0.02)
        #expect(abs(audio - 250 * 1504) / (250 * 1504) < 0.02)
        #expect(abs(a.bitsPerSecond - 1250 * 1504) / (1250 * 1504) < 0.02)
        a.advance(to: start + 5 * second)
        #expect(a.pid(0x101)?.bitsPerSecond == 0)
        #expect(a.bitsPerSecond == 0)
        #expect(a.pidErrors == 0)  // advancing counts no errors
    }

    // MARK: Header

    @Test("TSPacketHeader decodes every header field and the PCR")
    func header() {
        var p = [UInt8](repeating: 0xFF, count: 188)
        p[0] = 0x47
        p[1] = 0x80 | 0x40 | 0x20 | 0x1A
        p[2] = 0xBC
        p[3] = 2 << 6 | 3 << 4 | 7
        p[4] = 7  // flags + PCR
        p[5] = 0x80 | 0x40 | 0x10
        let base: UInt64 = 0x1_2345_6789, ext: UInt64 = 0x123
        p[6] = UInt8(base >> 25 & 0xFF)
        p[7] = UInt8(base >> 17 & 0xFF)
        p[8] = UInt8(base >> 9 & 0xFF)
        p[9] = UInt8(base >> 1 & 0xFF)
        p[10] = UInt8(base & 1) << 7 | 0x7E | UInt8(ext >> 8)
        p[11] = UInt8(ext & 0xFF)
        let h = p.withUnsafeBytes { TSPacketHeader(decoding: $0) }
        #expect(h?.transportError == true && h?.payloadUnitStart == true && h?.priority == true)
        #expect(h?.pid == 0x1ABC)
        #expect(h?.scrambling == 2)
        #expect(h?.adaptationFieldControl == 3 && h?.hasPayload == true && h?.hasAdaptationField == true)
        #expect(h?.continuityCounter == 7)
        #expect(h?.discontinuity == true && h?.randomAccess == true)
        #expect(h?.pcr == base * 300 + ext)
        #expect(h?.payloadOffset == 12)

        let plain = TSFixture.packet(pid: 0x101, cc: 5).withUnsafeBytes { TSPacketHeader(decoding: $0) }
        #expect(plain?.payloadOffset == 4 && plain?.pcr == nil && plain?.discontinuity == false && plain?.hasAdaptationField == false)
        let adaptationOnly = TSFixture.packet(pid: 0x101, cc: 5, afc: 2).withUnsafeBytes { TSPacketHeader(decoding: $0) }
        #expect(adaptationOnly?.hasPayload == false && adaptationOnly?.payloadOffset == 188)

        #expect(Array(p.prefix(187)).withUnsafeBytes { TSPacketHeader(decoding: $0) } == nil)
        p[0] = 0x48
        #expect(p.withUnsafeBytes { TSPacketHeader(decoding: $0) } == nil)
    }

    // MARK: Hostile input

    @Test("random and half-valid datagrams never trap and keep the counts consistent", arguments: [128, 4])
    func randomDatagrams(maxPIDs: Int) {
        var random = SplitMix64(seed: 0x7453_2907 &+ UInt64(maxPIDs))
        var a = TransportStreamAnalyzer(maxPIDs: maxPIDs)
        var t: Int64 = 1_000 * second
        var datagrams: UInt64 = 0
        let pids: [UInt16] = [0, 0x100, 0x101, 0x102, 0x1FFF]
        for _ in 0..<4000 {
            var bytes: [UInt8]
            switch random.next() % 4 {
            case 0:  // noise of any length
                bytes = (0..<Int(random.next() % 1500)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case 1:  // whole packets with random headers on a few PIDs, random payloads
                bytes = (0..<Int(1 + random.next() % 7)).flatMap { _ -> [UInt8] in
                    var p = (0..<188).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                    let pid = random.next() % 3 == 0 ? UInt16(truncatingIfNeeded: random.next()) & 0x1FFF : pids[Int(random.next() % 5)]
                    p[0] = random.next() % 50 == 0 ? 0x46 : 0x47
                    p[1] = p[1] & 0xE0 | UInt8(pid >> 8)
                    p[2] = UInt8(pid & 0xFF)
                    return p
                }
            case 2:  // valid tables with random entries (correct CRC), so the parsers run deep
                let programs = (0..<Int(random.next() % 80)).map { _ in (UInt16(truncatingIfNeeded: random.next() % 8), UInt16(0x100 + random.next() % 4)) }
                let streams = (0..<Int(random.next() % 40)).map { _ in (UInt8(truncatingIfNeeded: random.next()), UInt16(truncatingIfNeeded: random.next()) & 0x1FFF) }
                let pat = TSFixture.pat(programs, version: UInt8(random.next() % 32), sectionNumber: UInt8(random.next() % 2))
                let pmt = TSFixture.pmt(program: UInt16(random.next() % 8), pcrPID: 0x101, streams: streams, version: UInt8(random.next() % 32))
                bytes = TSFixture.psiPacket(pid: 0, cc: UInt8(random.next() % 16), section: pat)
                    + TSFixture.psiPacket(pid: 0x100 + UInt16(random.next() % 4), cc: UInt8(random.next() % 16), section: pmt)
            default:  // a valid section with one byte flipped
                var p = TSFixture.psiPacket(pid: random.next() % 2 == 0 ? 0 : 0x100, cc: UInt8(random.next() % 16),
                                            section: TSFixture.pmt(program: 1, pcrPID: 0x101, streams: [(0x1B, 0x101), (0x0F, 0x102)]))
                p[4 + Int(random.next() % 184)] ^= UInt8(truncatingIfNeeded: 1 << (random.next() % 8))
                bytes = p
            }
            // Time mostly moves forward by up to 0.8 s, sometimes jumps back.
            t = random.next() % 100 == 0 ? t - Int64(random.next() % UInt64(second)) : t + Int64(random.next() % UInt64(800 * ms))
            bytes.withUnsafeBytes { a.record($0, now: t) }
            datagrams += 1
            if random.next() % 10 == 0 { a.advance(to: t + Int64(random.next() % UInt64(3 * second))) }
        }
        let table = a.pids
        #expect(a.packets > 1000)
        #expect(table.count <= maxPIDs)
        #expect(zip(table, table.dropFirst()).allSatisfy { $0.pid < $1.pid })
        #expect(table.reduce(0) { $0 + $1.packets } + a.untrackedPIDPackets + a.transportErrors + a.syncByteErrors == a.packets)
        #expect(table.reduce(0) { $0 + $1.continuityErrors } == a.continuityErrors)
        #expect(table.reduce(0) { $0 + $1.duplicatePackets } == a.duplicatePackets)
        #expect(a.continuityErrors + a.duplicatePackets <= a.packets)
        #expect(a.syncLosses * 2 <= a.syncByteErrors)
        #expect(a.nullPackets <= a.packets)
        #expect(a.patErrors <= a.packets + datagrams)
        #expect(a.malformedDatagrams <= datagrams)
        #expect((0...100).contains(a.nullPercent ?? -1))
        #expect(a.programs.count <= TransportStreamAnalyzer.maxPrograms)
        #expect(a.programs.allSatisfy { $0.elementaryStreams.count <= TransportStreamAnalyzer.maxStreamsPerProgram && $0.programNumber != 0 })
        #expect(table.allSatisfy { $0.bitsPerSecond.isFinite && $0.bitsPerSecond >= 0 })
        #expect(a.priorityOneErrors >= a.continuityErrors)
    }
}
