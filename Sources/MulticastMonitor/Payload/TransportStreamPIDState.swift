import MulticastExpert

/// What the analyzer keeps per PID: counts, continuity, the one-second rate buckets and the
/// repetition deadline of a PMT or elementary PID. A few dozen bytes, fixed.
struct TransportStreamPIDState: Sendable, Hashable {
    /// How one packet's continuity counter compares with the one before on its PID.
    enum Continuity {
        case inOrder
        /// The counter repeated once: a duplicate packet, which ISO/IEC 13818-1 allows.
        case duplicate
        case error
    }

    let pid: UInt16
    var packets: UInt64 = 0
    var continuityErrors: UInt64 = 0
    var duplicates: UInt64 = 0
    var scrambled = false
    /// Packets in the current and in the last whole second (of the analyzer's clock).
    var packetsThisSecond: UInt32 = 0
    var packetsLastSecond: UInt32 = 0
    /// Monotonic time of the latest packet, `.min` before any.
    var lastSeen: Int64 = .min
    /// Monotonic time of the latest section with the expected table_id (PMT PIDs), `.min` before any.
    var lastTable: Int64 = .min
    var role: TransportStreamPID.Role
    /// The role being worked out while the tables are applied (see the analyzer's `assignRoles`).
    var pendingRole: TransportStreamPID.Role
    /// When a table first named this PID in its current role: the repetition clock's start.
    var watchedSince: Int64 = 0
    /// Whether the current gap past the deadline has been counted (once per gap).
    var gapCounted = false

    private var lastCounter: UInt8 = 0
    private var expectingCounter = false
    private var repeats: UInt8 = 0

    init(pid: UInt16, role: TransportStreamPID.Role) {
        self.pid = pid
        self.role = role
        pendingRole = role
    }

    /// How long this PID may stay silent before its absence is an error: 0.5 s for a PMT
    /// (TR 101 290 1.5), ``TransportStreamAnalyzer/elementaryStreamTimeout`` for an elementary
    /// stream (1.6); nil for PIDs nothing requires.
    var timeout: Int64? {
        switch role {
        case .pmt: TransportStreamAnalyzer.tableTimeout
        case .elementary: TransportStreamAnalyzer.elementaryStreamTimeout
        case .pat, .null, .unknown: nil
        }
    }

    /// When this PID's absence becomes an error (nil when nothing is required of it): the
    /// timeout after the later of the watch's start and the latest evidence (a PMT section for
    /// a PMT PID, any packet for an elementary one).
    var deadline: Int64? {
        guard let timeout else { return nil }
        let evidence = role == .pmt ? lastTable : lastSeen
        return max(watchedSince, evidence).addingSaturating(timeout)
    }

    /// Accounts for one packet of this PID at `now`: counts it, checks its continuity counter
    /// (never on the null PID), and reports whether it ended a counted gap of an elementary PID
    /// (so the analyzer watches the deadline again).
    mutating func record(_ header: TSPacketHeader, now: Int64) -> (continuity: Continuity, endedGap: Bool) {
        packets &+= 1
        packetsThisSecond &+= 1
        lastSeen = now
        scrambled = header.scrambling != 0
        let continuity = pid == TSPacketHeader.nullPID ? .inOrder : checkContinuity(header)
        guard gapCounted, case .elementary = role else { return (continuity, false) }
        gapCounted = false
        return (continuity, true)
    }

    /// Notes a section with the expected table_id on this (PMT) PID; true when it ended a
    /// counted gap.
    mutating func recordTable(now: Int64) -> Bool {
        lastTable = now
        guard gapCounted else { return false }
        gapCounted = false
        return true
    }

    /// Checks one packet's continuity counter (ISO/IEC 13818-1 §2.4.3.3): it advances by one,
    /// modulo 16, on each packet with payload; one repeat is a duplicate, a second an error;
    /// packets without payload neither count nor move the expectation; a discontinuity_indicator
    /// starts the count afresh. After an error the counter seen becomes the expectation, so
    /// one loss costs one error.
    mutating func checkContinuity(_ header: TSPacketHeader) -> Continuity {
        let counter = header.continuityCounter
        if header.discontinuity {
            expectingCounter = header.hasPayload
            lastCounter = counter
            repeats = 0
            return .inOrder
        }
        guard header.hasPayload else { return .inOrder }
        guard expectingCounter else {
            expectingCounter = true
            lastCounter = counter
            return .inOrder
        }
        if counter == (lastCounter &+ 1) & 0x0F {
            lastCounter = counter
            repeats = 0
            return .inOrder
        }
        if counter == lastCounter {
            repeats = repeats == 0 ? 1 : 2
            return repeats == 1 ? .duplicate : .error
        }
        lastCounter = counter
        repeats = 0
        return .error
    }
}
