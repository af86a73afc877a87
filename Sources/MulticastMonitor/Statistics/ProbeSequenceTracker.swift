/// Loss, reordering, duplicates, one-way latency and RFC 3550 jitter of one probe sender run.
///
/// Every field of a probe comes from the network, so a single forged or corrupted datagram must
/// neither trap nor make the figures meaningless:
/// - Sequence numbers are compared in serial-number arithmetic (RFC 1982 style, 64 bits), so a
///   sender whose counter wraps past `UInt64.max` carries on without a false loss.
/// - A datagram is believed only when its sequence number is plausible: at most 4096 (the
///   window) behind the highest seen, or ahead by no more than a sender could have sent in the
///   time since the last datagram (a generous 10 million per second, plus the window). Anything
///   else counts as ``outOfRange`` and changes nothing, unless the next datagram confirms it by
///   carrying the following number — then the tracker starts a new segment there (as RFC 3550
///   appendix A.1 does for a restarted RTP source), keeping the earlier segments' figures and
///   counting a ``resynchronisations``. The gap to a confirmed jump is not counted as loss: it
///   says nothing about what the network lost.
/// - Latency and jitter come from the sender's clock, which may be anywhere: differences that
///   do not fit 64 bits are skipped (``unusableTimes``), the rest is kept exactly.
///
/// Sequence numbers seen are remembered in a window of the last 4096 (a bitmap), so memory is
/// fixed however long the stream runs.
public struct ProbeSequenceTracker: Sendable, Hashable {
    static let windowBits = 4096
    /// The fastest sender the plausibility check allows for: one datagram per 100 ns.
    static let nanosecondsPerDatagramAtMost: Int64 = 100

    /// The sender run this tracker follows.
    public let senderID: UInt64
    /// The lowest sequence number of the current segment.
    public private(set) var lowestSequence: UInt64
    /// The highest sequence number of the current segment.
    public private(set) var highestSequence: UInt64
    /// Distinct sequence numbers received, over all segments.
    public private(set) var uniqueReceived: UInt64 = 0
    /// Datagrams that arrived after one with a higher sequence number.
    public private(set) var reordered: UInt64 = 0
    /// Datagrams whose sequence number had already arrived.
    public private(set) var duplicates: UInt64 = 0
    /// Datagrams whose sequence number was too far from the stream's to believe, and that no
    /// following datagram confirmed.
    public private(set) var outOfRange: UInt64 = 0
    /// Times the sequence jumped (confirmed by two consecutive numbers) and a new segment began.
    public private(set) var resynchronisations: UInt64 = 0
    /// Datagrams whose send time was so far from the receive time that the difference does not
    /// fit 64 bits; they count for loss but not for latency or jitter.
    public private(set) var unusableTimes: UInt64 = 0
    /// One-way latency (receive time − send time) in nanoseconds; needs synchronised clocks.
    public private(set) var latencyMin: Int64 = .max
    public private(set) var latencyMax: Int64 = .min
    private var latencySum: Double = 0
    private var latencyCount: UInt64 = 0
    /// RFC 3550 §6.4.1 interarrival jitter estimate, nanoseconds.
    public private(set) var jitterNanoseconds: Double = 0
    private var previousTransit: Int64?
    private var seen = [UInt64](repeating: 0, count: windowBits / 64)
    /// Distinct sequence numbers of the current segment.
    private var segmentUnique: UInt64 = 0
    /// Loss and expected count of the segments before the current one.
    private var earlierLost: UInt64 = 0
    private var earlierExpected: UInt64 = 0
    /// Receive time of the latest believed datagram, for the plausibility of a jump ahead.
    private var lastArrival: Int64
    /// The sequence number that would confirm the latest out-of-range datagram.
    private var confirmingSequence: UInt64?

    /// Starts tracking at the first probe of a sender run.
    public init(first header: ProbeHeader, receivedAt: Int64) {
        senderID = header.senderID
        lowestSequence = header.sequence
        highestSequence = header.sequence
        lastArrival = receivedAt
        mark(header.sequence)
        uniqueReceived = 1
        segmentUnique = 1
        recordTiming(header, receivedAt: receivedAt)
    }

    /// Sequence numbers expected so far: the span of each segment, added up.
    public var expected: UInt64 { earlierExpected.addingSaturating(segmentExpected) }

    /// Sequence numbers within the segments seen that never arrived (never more than ``expected``).
    public var lost: UInt64 { earlierLost.addingSaturating(segmentLost) }

    /// Mean one-way latency in nanoseconds, nil before any usable probe.
    public var latencyAverage: Int64? {
        guard latencyCount > 0 else { return nil }
        let mean = (latencySum / Double(latencyCount)).rounded()
        return Int64(saturating: mean)
    }

    /// Whether the latency figures look like those of synchronised clocks (between −1 ms and one
    /// hour); when not, only jitter and loss mean anything.
    public var latencyIsPlausible: Bool {
        latencyCount > 0 && latencyMin >= -1_000_000 && latencyMax <= 3_600_000_000_000
    }

    private var segmentExpected: UInt64 { (highestSequence &- lowestSequence).addingSaturating(1) }
    private var segmentLost: UInt64 { segmentExpected > segmentUnique ? segmentExpected - segmentUnique : 0 }

    /// Accounts for one more probe of this sender run.
    public mutating func record(_ header: ProbeHeader, receivedAt: Int64) {
        let sequence = header.sequence
        let ahead = sequence &- highestSequence
        let behind = highestSequence &- sequence
        if ahead == 0 {
            duplicates &+= 1
            return
        }
        if ahead < UInt64(Self.windowBits) || (ahead < 1 << 63 && ahead <= plausibleAdvance(at: receivedAt)) {
            advance(to: sequence)
            uniqueReceived &+= 1
            segmentUnique &+= 1
        } else if behind < UInt64(Self.windowBits) {
            guard !isMarked(sequence) else {
                duplicates &+= 1
                return
            }
            if Self.isBefore(sequence, lowestSequence) { lowestSequence = sequence }
            mark(sequence)
            reordered &+= 1
            uniqueReceived &+= 1
            segmentUnique &+= 1
        } else if confirmingSequence == sequence {
            startSegment(at: sequence &- 1, through: sequence)
        } else {
            outOfRange &+= 1
            confirmingSequence = sequence &+ 1
            return
        }
        confirmingSequence = nil
        lastArrival = receivedAt
        recordTiming(header, receivedAt: receivedAt)
    }

    /// How far ahead a sequence number may jump at `receivedAt` and still be believed.
    private func plausibleAdvance(at receivedAt: Int64) -> UInt64 {
        let (elapsed, overflow) = receivedAt.subtractingReportingOverflow(lastArrival)
        guard !overflow, elapsed > 0 else { return UInt64(Self.windowBits) }
        return UInt64(elapsed / Self.nanosecondsPerDatagramAtMost) + UInt64(Self.windowBits)
    }

    /// Moves the highest sequence number forward, forgetting the window slots it passes.
    private mutating func advance(to sequence: UInt64) {
        let steps = sequence &- highestSequence
        if steps >= UInt64(Self.windowBits) {
            for i in seen.indices { seen[i] = 0 }
        } else {
            var s = highestSequence
            for _ in 0..<steps {
                s &+= 1
                clear(s)
            }
        }
        highestSequence = sequence
        mark(sequence)
    }

    /// Closes the current segment (its loss kept) and starts one that has seen `first` and `last`.
    private mutating func startSegment(at first: UInt64, through last: UInt64) {
        earlierLost = earlierLost.addingSaturating(segmentLost)
        earlierExpected = earlierExpected.addingSaturating(segmentExpected)
        for i in seen.indices { seen[i] = 0 }
        lowestSequence = first
        highestSequence = last
        mark(first)
        mark(last)
        outOfRange &-= 1  // the datagram that announced the jump was real after all
        uniqueReceived &+= 2
        segmentUnique = 2
        resynchronisations &+= 1
        previousTransit = nil  // a new segment may come from a different clock
    }

    /// Serial-number order: whether `a` comes before `b` (RFC 1982, 64 bits).
    static func isBefore(_ a: UInt64, _ b: UInt64) -> Bool { a != b && b &- a < 1 << 63 }

    private mutating func recordTiming(_ header: ProbeHeader, receivedAt: Int64) {
        let (transit, overflow) = receivedAt.subtractingReportingOverflow(header.sendTimeNanoseconds)
        guard !overflow else {
            unusableTimes &+= 1
            return
        }
        latencyMin = min(latencyMin, transit)
        latencyMax = max(latencyMax, transit)
        latencySum += Double(transit)
        latencyCount &+= 1
        if let previousTransit {
            let d = abs(Double(transit) - Double(previousTransit))
            jitterNanoseconds += (d - jitterNanoseconds) / 16
        }
        previousTransit = transit
    }

    private func bit(_ sequence: UInt64) -> (Int, UInt64) {
        let position = Int(sequence % UInt64(Self.windowBits))
        return (position / 64, 1 << UInt64(position % 64))
    }

    private mutating func mark(_ sequence: UInt64) {
        let (word, mask) = bit(sequence)
        seen[word] |= mask
    }

    private mutating func clear(_ sequence: UInt64) {
        let (word, mask) = bit(sequence)
        seen[word] &= ~mask
    }

    private func isMarked(_ sequence: UInt64) -> Bool {
        let (word, mask) = bit(sequence)
        return seen[word] & mask != 0
    }
}
