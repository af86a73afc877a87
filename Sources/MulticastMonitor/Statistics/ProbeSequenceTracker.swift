/// Loss, reordering, duplicates, one-way latency and RFC 3550 jitter of one probe sender run.
///
/// Every field of a probe comes from the network, and a sender id travels in clear, so anyone
/// on the group can forge a probe for a stream. A few forged datagrams must neither trap nor make
/// the figures meaningless:
/// - Sequence numbers are compared in serial-number arithmetic (RFC 1982 style, 64 bits), so a
///   counter that wraps past `UInt64.max` carries on without a false loss.
/// - A small step ahead (at most 64) or a late datagram within the window (4096 behind the
///   highest) is believed at once. Anything else is held until the next datagram: if that one
///   follows it closely, the jump was real, otherwise the held datagram counts as
///   ``outOfRange`` and changes nothing (as RFC 3550 appendix A.1 waits for a second packet
///   after a large jump). One forged datagram can thus cost at most a 63-datagram false loss.
/// - A confirmed jump ahead counts its gap as loss when a sender could have sent that many since
///   the last datagram (at 10 million a second, on the receiver's monotonic clock); otherwise it
///   starts a new segment and counts a ``resynchronisations``, the old segment's figures kept.
///   A jump that lands back near the segment before comes home to it, and the datagrams of the
///   abandoned segment count as out of range — so a forged pair cannot split a stream in two.
/// - Latency and jitter come from the sender's clock, which may be anywhere: differences that
///   do not fit 64 bits are skipped (``unusableTimes``).
///
/// For any sequence of probes: received = ``uniqueReceived`` + ``duplicates`` + ``outOfRange``
/// + ``unconfirmed``, and ``lost`` never exceeds ``expected``. Memory is fixed: two windows of
/// 4096 bits.
public struct ProbeSequenceTracker: Sendable, Hashable {
    static let windowBits = 4096
    /// The largest step ahead believed without a second datagram.
    static let largestUnconfirmedStep: UInt64 = 64
    /// The fastest sender a confirmed jump is checked against: one datagram per 100 ns.
    static let nanosecondsPerDatagramAtMost: Int64 = 100

    /// The sender run this tracker follows.
    public let senderID: UInt64
    /// Distinct sequence numbers received, over all segments.
    public private(set) var uniqueReceived: UInt64 = 0
    /// Datagrams that arrived after one with a higher sequence number.
    public private(set) var reordered: UInt64 = 0
    /// Datagrams whose sequence number had already arrived.
    public private(set) var duplicates: UInt64 = 0
    /// Datagrams whose sequence number was too far from the stream's to believe, that no
    /// following datagram confirmed (or that belonged to a segment later found to be forged).
    public private(set) var outOfRange: UInt64 = 0
    /// Times a confirmed jump started a new segment.
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
    /// The latest usable datagram's transit (receive − send time) and its change from the one
    /// before, nanoseconds, and how many usable datagrams there have been: the samples behind the
    /// stream's latency and delay-variation percentiles.
    public private(set) var lastTransit: Int64 = 0
    public private(set) var lastTransitChange: Double?
    public private(set) var timingSamples: UInt64 = 0
    private var previousTransit: Int64?

    private var current: SequenceSegment
    /// The segment before the latest jump, kept so a forged jump can be undone.
    private var previous: SequenceSegment?
    /// Loss and expected count of the segments before `previous`.
    private var earlierLost: UInt64 = 0
    private var earlierExpected: UInt64 = 0
    /// The datagram that jumped, waiting for the next one to confirm it.
    private var held: HeldProbe?
    /// Monotonic time of the latest believed datagram, for the plausibility of a jump.
    private var lastArrival: Int64

    /// Starts tracking at the first probe of a sender run. `now` is the receiver's monotonic
    /// clock (defaults to `receivedAt`, for tests that use one clock).
    public init(first header: ProbeHeader, receivedAt: Int64, now: Int64? = nil) {
        senderID = header.senderID
        current = SequenceSegment(first: header.sequence)
        lastArrival = now ?? receivedAt
        uniqueReceived = 1
        recordTiming(header, receivedAt: receivedAt)
    }

    /// The lowest sequence number of the current segment.
    public var lowestSequence: UInt64 { current.lowest }
    /// The highest sequence number of the current segment.
    public var highestSequence: UInt64 { current.highest }
    /// 1 while a jump waits for the next datagram to confirm it, else 0.
    public var unconfirmed: UInt64 { held == nil ? 0 : 1 }

    /// Sequence numbers expected so far: the span of each segment, added up.
    public var expected: UInt64 {
        earlierExpected.addingSaturating(previous?.expected ?? 0).addingSaturating(current.expected)
    }

    /// Sequence numbers within the segments seen that never arrived (never more than ``expected``).
    public var lost: UInt64 { earlierLost.addingSaturating(previous?.lost ?? 0).addingSaturating(current.lost) }

    /// Mean one-way latency in nanoseconds, nil before any usable probe.
    public var latencyAverage: Int64? {
        guard latencyCount > 0 else { return nil }
        return Int64(saturating: (latencySum / Double(latencyCount)).rounded())
    }

    /// Whether the latency figures look like those of synchronised clocks (between −1 ms and one
    /// hour); when not, only jitter and loss mean anything.
    public var latencyIsPlausible: Bool {
        latencyCount > 0 && latencyMin >= -1_000_000 && latencyMax <= 3_600_000_000_000
    }

    /// Accounts for one more probe of this sender run. `now` is the receiver's monotonic clock
    /// (defaults to `receivedAt`).
    public mutating func record(_ header: ProbeHeader, receivedAt: Int64, now: Int64? = nil) {
        let probe = HeldProbe(header: header, receivedAt: receivedAt, now: now ?? receivedAt)
        if let waiting = held {
            held = nil
            let step = header.sequence &- waiting.header.sequence
            if step != 0 && step < UInt64(Self.windowBits) {
                acceptConfirmed(waiting)
            } else {
                outOfRange &+= 1
            }
        }
        switch current.place(probe.header.sequence) {
        case .duplicate:
            duplicates &+= 1
        case .late:
            takeLate(probe)
        case .ahead(let step) where step <= Self.largestUnconfirmedStep:
            takeAhead(probe)
        case .ahead, .far:
            held = probe
        }
    }

    /// A jump that the next datagram confirmed: loss if a sender could have sent the gap, a new
    /// segment if not (or back to the segment before, if it lands there).
    private mutating func acceptConfirmed(_ probe: HeldProbe) {
        switch current.place(probe.header.sequence) {
        case .duplicate:
            duplicates &+= 1
        case .late:
            takeLate(probe)
        case .ahead(let step) where step <= plausibleAdvance(at: probe.now):
            takeAhead(probe)
        case .ahead, .far:
            resynchronise(at: probe)
        }
    }

    private mutating func resynchronise(at probe: HeldProbe) {
        let sequence = probe.header.sequence
        if let earlier = previous, earlier.isNear(sequence, plausibleAdvance: plausibleAdvance(at: probe.now)) {
            // Back to where the stream was before the last jump: that segment was not the sender.
            outOfRange = outOfRange.addingSaturating(current.unique)
            uniqueReceived = uniqueReceived >= current.unique ? uniqueReceived - current.unique : 0
            current = earlier
            previous = nil
            switch current.place(sequence) {
            case .duplicate: duplicates &+= 1
            case .late: takeLate(probe)
            case .ahead, .far: takeAhead(probe)
            }
            return
        }
        if let earlier = previous {
            earlierLost = earlierLost.addingSaturating(earlier.lost)
            earlierExpected = earlierExpected.addingSaturating(earlier.expected)
        }
        previous = current
        current = SequenceSegment(first: sequence)
        uniqueReceived &+= 1
        resynchronisations &+= 1
        previousTransit = nil  // a new segment may come from a different clock
        lastArrival = probe.now
        recordTiming(probe.header, receivedAt: probe.receivedAt)
    }

    private mutating func takeAhead(_ probe: HeldProbe) {
        current.advance(to: probe.header.sequence)
        uniqueReceived &+= 1
        lastArrival = probe.now
        recordTiming(probe.header, receivedAt: probe.receivedAt)
    }

    private mutating func takeLate(_ probe: HeldProbe) {
        current.insertLate(probe.header.sequence)
        reordered &+= 1
        uniqueReceived &+= 1
        recordTiming(probe.header, receivedAt: probe.receivedAt)
    }

    /// How far ahead a confirmed jump may go at monotonic time `now` and count as loss.
    private func plausibleAdvance(at now: Int64) -> UInt64 {
        let (elapsed, overflow) = now.subtractingReportingOverflow(lastArrival)
        guard !overflow, elapsed > 0 else { return UInt64(Self.windowBits) }
        return UInt64(elapsed / Self.nanosecondsPerDatagramAtMost) + UInt64(Self.windowBits)
    }

    private mutating func recordTiming(_ header: ProbeHeader, receivedAt: Int64) {
        let (transit, overflow) = receivedAt.subtractingReportingOverflow(header.sendTimeNanoseconds)
        guard !overflow else {
            unusableTimes &+= 1
            return
        }
        timingSamples &+= 1
        lastTransit = transit
        lastTransitChange = previousTransit.map { abs(Double(transit) - Double($0)) }
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
}

/// A probe waiting for the next one to confirm its jump.
struct HeldProbe: Sendable, Hashable {
    var header: ProbeHeader
    var receivedAt: Int64
    var now: Int64
}

/// One unbroken stretch of a sender's sequence numbers: its span, how many distinct numbers
/// arrived, and which of the last 4096 did (a bitmap, so memory is fixed).
struct SequenceSegment: Sendable, Hashable {
    static let windowBits = ProbeSequenceTracker.windowBits

    /// Where a sequence number falls relative to the segment.
    enum Place {
        /// Already seen, within the window.
        case duplicate
        /// Behind the highest, within the window, not seen yet.
        case late
        /// Ahead of the highest by this many (less than 2^63).
        case ahead(UInt64)
        /// Behind by the window or more.
        case far
    }

    private(set) var lowest: UInt64
    private(set) var highest: UInt64
    private(set) var unique: UInt64 = 1
    private var seen = [UInt64](repeating: 0, count: windowBits / 64)

    init(first sequence: UInt64) {
        lowest = sequence
        highest = sequence
        mark(sequence)
    }

    var expected: UInt64 { (highest &- lowest).addingSaturating(1) }
    var lost: UInt64 { expected > unique ? expected - unique : 0 }

    func place(_ sequence: UInt64) -> Place {
        let ahead = sequence &- highest
        if ahead != 0 && ahead < 1 << 63 { return .ahead(ahead) }
        let behind = highest &- sequence
        guard behind < UInt64(Self.windowBits) else { return .far }
        return isMarked(sequence) ? .duplicate : .late
    }

    /// Whether `sequence` belongs with this segment: in its window, or ahead by no more than
    /// `plausibleAdvance`.
    func isNear(_ sequence: UInt64, plausibleAdvance: UInt64) -> Bool {
        switch place(sequence) {
        case .duplicate, .late: true
        case .ahead(let step): step <= plausibleAdvance
        case .far: false
        }
    }

    /// Moves the highest number forward, forgetting the window slots it passes.
    mutating func advance(to sequence: UInt64) {
        let steps = sequence &- highest
        if steps >= UInt64(Self.windowBits) {
            for i in seen.indices { seen[i] = 0 }
        } else {
            clear(from: highest &+ 1, count: Int(steps))
        }
        highest = sequence
        mark(sequence)
        unique &+= 1
    }

    /// Takes a number behind the highest, within the window and not seen before.
    mutating func insertLate(_ sequence: UInt64) {
        if lowest &- sequence != 0 && lowest &- sequence < 1 << 63 { lowest = sequence }  // before the first one seen
        mark(sequence)
        unique &+= 1
    }

    private func bit(_ sequence: UInt64) -> (Int, UInt64) {
        let position = Int(sequence % UInt64(Self.windowBits))
        return (position / 64, 1 << UInt64(position % 64))
    }

    private mutating func mark(_ sequence: UInt64) {
        let (word, mask) = bit(sequence)
        seen[word] |= mask
    }

    /// Clears `count` window slots from `first` on, a word at a time (a sender chooses how far
    /// it jumps, so a bit at a time would let it choose thousands of steps per datagram).
    private mutating func clear(from first: UInt64, count: Int) {
        var position = Int(first % UInt64(Self.windowBits))
        var left = count
        while left > 0 {
            let word = position / 64
            let offset = position % 64
            let width = min(64 - offset, left)
            let mask: UInt64 = width == 64 ? .max : ((1 << UInt64(width)) - 1) << UInt64(offset)
            seen[word] &= ~mask
            left -= width
            position = (position + width) % Self.windowBits
        }
    }

    private func isMarked(_ sequence: UInt64) -> Bool {
        let (word, mask) = bit(sequence)
        return seen[word] & mask != 0
    }
}
