/// Loss, reordering, duplicates and RFC 3550 interarrival jitter of one RTP synchronisation
/// source (one SSRC), as a receiver following RFC 3550 appendix A.1 and A.8 reports them.
///
/// Sequence numbers follow A.1's `init_seq`/`update_seq` exactly: 16-bit numbers are extended by
/// counting wraps; a new source is on probation until 2 sequential packets arrive; a step ahead
/// below 3000 is taken (its gap is loss); up to 99 behind is a late (reordered) or duplicate
/// packet; anything else is a large jump that is ignored unless the next packet follows it, in
/// which case the sender is taken to have restarted and a new segment begins (a ``restarts``).
/// On top of A.1:
/// - The packets that end probation, and the pair that confirms a restart, count: each segment
///   starts at the first packet of its confirming pair (A.1 starts at the second and drops the
///   first). Packets before the pair while on probation count as ``probationPackets`` only.
/// - A restart keeps the old segment's expected and lost counts (A.1 forgets them), so the
///   figures cover the whole run: ``expected`` is the sum of each segment's extended highest −
///   lowest + 1, ``lost`` the sum of each segment's expected − unique, never negative.
/// - Duplicates are told from late packets with a bitmap of the last 4096 sequence numbers
///   (A.1 counts both as received). A packet further behind that the bitmap has seen is a
///   duplicate too, rather than a large jump.
/// - A late packet from before a segment's first packet widens the segment (A.1 keeps its base,
///   and would count it received but not expected).
///
/// Interarrival jitter follows A.8 over the packets taken into a segment (in order or late, not
/// duplicates or ignored ones): transit = arrival in timestamp units − RTP timestamp, J += (|D| −
/// J)/16. Arrival is the receive time × clock rate, reduced modulo 2^32 like the timestamp, and
/// differences are read as signed 32-bit, so any timestamp and any receive time are safe; the
/// fraction of a timestamp unit is kept, so a low clock rate does not add rounding noise. Jitter
/// starts again at 0 after a restart. A clock rate of 0 disables jitter.
///
/// For any sequence of packets: ``received`` = ``uniqueReceived`` + ``duplicates`` + ``strays``
/// + ``probationPackets``, and ``lost`` never exceeds ``expected``. Memory is fixed (one 4096-bit
/// window, allocated when the source becomes valid and again at each restart); recording a
/// packet does not allocate.
public struct RTPRunTracker: Sendable, Hashable {
    /// A.1's MAX_DROPOUT: the largest step ahead taken without confirmation.
    static let maxDropout: UInt16 = 3000
    /// A.1's MAX_MISORDER: how far behind a packet is still late rather than a jump.
    static let maxMisorder: UInt16 = 100
    /// A.1's MIN_SEQUENTIAL: sequential packets that make a new source valid.
    static let minSequential = 2

    /// The synchronisation source this tracker follows.
    public let ssrc: UInt32
    /// The payload type of the latest packet.
    public private(set) var payloadType: UInt8
    /// The timestamp clock jitter is measured in, hertz (0: no jitter).
    public let clockRate: UInt32

    /// Every datagram of this SSRC recorded, duplicates and ignored ones included.
    public private(set) var received: UInt64 = 0
    /// Distinct sequence numbers taken into a segment, over all segments.
    public private(set) var uniqueReceived: UInt64 = 0
    /// Datagrams whose sequence number had already arrived.
    public private(set) var duplicates: UInt64 = 0
    /// Datagrams that arrived after one with a higher sequence number (and were not duplicates).
    public private(set) var reordered: UInt64 = 0
    /// A.1 re-syncs: a large jump confirmed by the next sequence number, which starts a new segment.
    public private(set) var restarts: UInt64 = 0
    /// Datagrams received while on probation that were not part of the pair that ended it.
    public private(set) var probationPackets: UInt64 = 0
    /// Datagrams too far from the stream's sequence numbers (a jump of 3000 or more ahead, or 100
    /// or more behind) that no following packet confirmed: A.1 ignores them.
    public private(set) var strays: UInt64 = 0
    /// Datagrams with the marker bit set, all received ones counted.
    public private(set) var markers: UInt64 = 0
    /// RFC 3550 interarrival jitter, in units of the timestamp clock.
    public private(set) var jitterTimestampUnits: Double = 0
    /// The latest |D| (transit change from the packet before), timestamp units, and how many
    /// there have been: the samples behind the stream's delay-variation percentiles.
    public private(set) var lastDelayVariationUnits: Double = 0
    public private(set) var delayVariationSamples: UInt64 = 0
    /// The RTP timestamp of the packet with the highest sequence number so far (of the latest
    /// packet while on probation).
    public private(set) var lastTimestamp: UInt32

    /// A.1's `max_seq`: the highest sequence number seen (the latest while on probation).
    private var maxSequence: UInt16
    /// A.1's `probation`: sequential packets still needed; 0 once valid.
    private var probation: Int
    /// A.1's `bad_seq`: the number that would confirm the latest large jump (nil: none).
    private var badSequence: UInt16?
    /// The current segment, in extended sequence numbers; nil while on probation.
    private var segment: SequenceSegment?
    /// Expected and lost counts of the segments before the current one.
    private var earlierExpected: UInt64 = 0
    private var earlierLost: UInt64 = 0
    /// Transit time of the previous packet taken, for the jitter's next difference.
    private var previousTransit: RTPTransit?
    /// Transit time of the packet that set `badSequence`, the first of a restart's pair.
    private var strayTransit: RTPTransit?

    /// Starts tracking a source at its first packet. `receivedAt` is the receive time in
    /// nanoseconds on any clock that runs at the right rate (the kernel's wall clock will do:
    /// jitter uses only differences); `clockRate` is the payload type's timestamp clock.
    public init(first header: RTPHeader, receivedAt: Int64, clockRate: UInt32) {
        ssrc = header.ssrc
        payloadType = header.payloadType
        self.clockRate = clockRate
        lastTimestamp = header.timestamp
        // A.1 for a new source: init_seq(s, seq); s->max_seq = seq - 1; s->probation = MIN_SEQUENTIAL.
        maxSequence = header.sequence &- 1
        probation = Self.minSequential
        record(header, receivedAt: receivedAt)
    }

    /// Whether the source has passed probation (2 sequential packets): only then do the
    /// sequence figures and jitter mean anything.
    public var isValid: Bool { segment != nil }

    /// The highest sequence number of the current segment, extended by counting wraps (A.1's
    /// `cycles + max_seq`, starting again at the packet number after a restart).
    public var highestExtendedSequence: UInt64 {
        segment?.highest ?? UInt64(maxSequence)
    }

    /// Sequence numbers expected so far: each segment's extended highest − lowest + 1, added up.
    public var expected: UInt64 { earlierExpected.addingSaturating(segment?.expected ?? 0) }

    /// Sequence numbers within the segments that never arrived (never more than ``expected``).
    public var lost: UInt64 { earlierLost.addingSaturating(segment?.lost ?? 0) }

    /// RFC 3550 interarrival jitter in nanoseconds (0 when the clock rate is 0).
    public var jitterNanoseconds: Double {
        clockRate == 0 ? 0 : jitterTimestampUnits * 1e9 / Double(clockRate)
    }

    /// Accounts for one more packet of this SSRC received at `receivedAt` (nanoseconds, the same
    /// clock as the first).
    public mutating func record(_ header: RTPHeader, receivedAt: Int64) {
        received &+= 1
        if header.marker { markers &+= 1 }
        payloadType = header.payloadType
        let sequence = header.sequence
        let transit = transit(of: header, receivedAt: receivedAt)

        guard segment != nil else {
            recordOnProbation(header, transit: transit)
            return
        }
        let step = sequence &- maxSequence
        if step < Self.maxDropout {
            // In order, with a permissible gap (0: the highest again).
            let extended = segment!.highest &+ UInt64(step)
            if case .ahead = segment!.place(extended) {
                segment!.advance(to: extended)
                uniqueReceived &+= 1
                maxSequence = sequence
                lastTimestamp = header.timestamp
                updateJitter(transit)
            } else {
                duplicates &+= 1
            }
        } else if step <= UInt16.max - Self.maxMisorder + 1 {
            // A very large jump (3000 or more ahead, or 100 or more behind).
            let behind = UInt64(maxSequence &- sequence)
            if case .duplicate = segment!.place(segment!.highest &- behind) {
                duplicates &+= 1
            } else if sequence == badSequence {
                restart(at: header, transit: transit)
            } else {
                badSequence = sequence &+ 1
                strays &+= 1
                strayTransit = transit
            }
        } else {
            // Up to 99 behind the highest: late or duplicate.
            let behind = UInt64(maxSequence &- sequence)
            let extended = segment!.highest &- behind
            switch segment!.place(extended) {
            case .duplicate:
                duplicates &+= 1
            case .late:
                segment!.insertLate(extended)
                uniqueReceived &+= 1
                reordered &+= 1
                updateJitter(transit)
            case .ahead, .far:  // not reachable for 1...99 behind; ignored like a stray
                strays &+= 1
            }
        }
    }

    /// A.1 while on probation: a packet that follows the one before counts down; any other
    /// starts the count again. When the count reaches 0 the source is valid and its first
    /// segment holds the pair that made it so.
    private mutating func recordOnProbation(_ header: RTPHeader, transit: RTPTransit?) {
        let sequence = header.sequence
        lastTimestamp = header.timestamp
        if sequence == maxSequence &+ 1 {
            probation -= 1
            maxSequence = sequence
            if probation <= 0 {
                probation = 0
                startSegment(at: sequence)
                // The pair's first packet was counted as a probation packet when it came.
                probationPackets = probationPackets.subtractingSaturating(1)
                uniqueReceived &+= 2
                updateJitter(transit)
                return
            }
        } else {
            probation = Self.minSequential - 1
            maxSequence = sequence
        }
        probationPackets &+= 1
        previousTransit = transit
    }

    /// A.1's re-sync: the packet after a large jump follows it, so the sender restarted. The old
    /// segment's figures are kept; the new one holds the pair; jitter starts again.
    private mutating func restart(at header: RTPHeader, transit: RTPTransit?) {
        if let old = segment {
            earlierExpected = earlierExpected.addingSaturating(old.expected)
            earlierLost = earlierLost.addingSaturating(old.lost)
        }
        let firstOfPair = strayTransit
        startSegment(at: header.sequence)
        // The pair's first packet was counted as a stray when it came.
        strays = strays.subtractingSaturating(1)
        uniqueReceived &+= 2
        restarts &+= 1
        maxSequence = header.sequence
        lastTimestamp = header.timestamp
        jitterTimestampUnits = 0
        previousTransit = firstOfPair
        updateJitter(transit)
    }

    /// A new segment holding `sequence` and the number before it (A.1's base is `sequence`
    /// with no wraps counted, so the extended highest is `sequence` itself).
    private mutating func startSegment(at sequence: UInt16) {
        var fresh = SequenceSegment(first: UInt64(sequence) &- 1)
        fresh.advance(to: UInt64(sequence))
        segment = fresh
        badSequence = nil
        strayTransit = nil
    }

    /// A.8: J += (|D| − J) / 16 with D the difference of this packet's transit and the previous one's.
    private mutating func updateJitter(_ transit: RTPTransit?) {
        guard let transit else { return }
        if let previous = previousTransit {
            let units = Double(Int32(bitPattern: transit.units &- previous.units))
            let d = abs(units + (transit.fraction - previous.fraction))
            jitterTimestampUnits += (d - jitterTimestampUnits) / 16
            lastDelayVariationUnits = d
            delayVariationSamples &+= 1
        }
        previousTransit = transit
    }

    /// Arrival time in timestamp units minus the RTP timestamp, modulo 2^32, with the fraction of
    /// a unit the arrival time had; nil when the clock rate is 0.
    private func transit(of header: RTPHeader, receivedAt: Int64) -> RTPTransit? {
        guard clockRate > 0 else { return nil }
        let nanosecondsPerSecond: Int64 = 1_000_000_000
        var seconds = receivedAt / nanosecondsPerSecond
        var nanoseconds = receivedAt % nanosecondsPerSecond
        if nanoseconds < 0 {
            nanoseconds += nanosecondsPerSecond
            seconds -= 1
        }
        // Below 10^9 × 2^32 < 2^63: fits.
        let scaled = UInt64(nanoseconds) * UInt64(clockRate)
        let arrival = UInt32(truncatingIfNeeded: seconds) &* clockRate
            &+ UInt32(truncatingIfNeeded: scaled / UInt64(nanosecondsPerSecond))
        let fraction = Double(scaled % UInt64(nanosecondsPerSecond)) / 1e9
        return RTPTransit(units: arrival &- header.timestamp, fraction: fraction)
    }
}

/// One packet's transit time (arrival − RTP timestamp) in timestamp units: whole units modulo
/// 2^32 and the fraction of a unit.
struct RTPTransit: Sendable, Hashable {
    var units: UInt32
    var fraction: Double
}
