/// The RTP figures of one source address: the run of its current SSRC, and the totals of the
/// runs before it, so an encoder restart (a new SSRC) neither loses the old figures nor mixes
/// the two sequence spaces.
///
/// A packet with another SSRC does not take over at once: like a new source in RFC 3550 A.1, the
/// new SSRC is on probation (kept beside the current run) until 2 sequential packets arrive, and
/// only then becomes ``current`` and counts an ``ssrcChanges``. So one stray datagram that
/// happens to parse as RTP with some other SSRC cannot end a healthy run. A current run that
/// never became valid is simply replaced. Memory is fixed (the current run and one candidate);
/// a source that alternates SSRCs packet by packet counts a change each time one takes over, and
/// costs one 4096-bit window per takeover.
public struct RTPStreamTracker: Sendable, Hashable {
    /// The timestamp clock for dynamic and unassigned payload types, hertz.
    public let dynamicClockRate: UInt32
    /// The run of the current SSRC; nil before the first packet.
    public private(set) var current: RTPRunTracker?
    /// Every RTP datagram recorded, whatever run it went to.
    public private(set) var received: UInt64 = 0
    /// Times a new SSRC became valid and took over from a valid one.
    public private(set) var ssrcChanges: UInt64 = 0
    /// Datagrams of SSRCs that were dropped before they became valid (a stray or forged SSRC,
    /// or one of two that keep alternating).
    public private(set) var unconfirmedSSRCPackets: UInt64 = 0

    /// A new SSRC on probation beside the current run.
    private var candidate: RTPRunTracker?
    /// Totals of the runs before the current one.
    private var earlier = RTPRunTotals()

    /// Starts with no run; `dynamicClockRate` is the timestamp clock assumed for dynamic
    /// payload types (96–127) and unassigned ones (default 90 kHz, the video clock).
    public init(dynamicClockRate: UInt32 = 90_000) {
        self.dynamicClockRate = dynamicClockRate
    }

    /// Accounts for one RTP packet from this source received at `receivedAt` (nanoseconds).
    public mutating func record(_ header: RTPHeader, receivedAt: Int64) {
        received &+= 1
        guard current != nil else {
            current = newRun(header, receivedAt: receivedAt)
            return
        }
        if header.ssrc == current!.ssrc {
            current!.record(header, receivedAt: receivedAt)
        } else if !current!.isValid {
            unconfirmedSSRCPackets = unconfirmedSSRCPackets.addingSaturating(current!.received)
            current = newRun(header, receivedAt: receivedAt)
            candidate = nil
        } else if candidate != nil && header.ssrc == candidate!.ssrc {
            candidate!.record(header, receivedAt: receivedAt)
            if candidate!.isValid { takeOver() }
        } else {
            if let dropped = candidate {
                unconfirmedSSRCPackets = unconfirmedSSRCPackets.addingSaturating(dropped.received)
            }
            candidate = newRun(header, receivedAt: receivedAt)
        }
    }

    /// Sequence numbers that never arrived, over all runs.
    public var lost: UInt64 { earlier.lost.addingSaturating(current?.lost ?? 0) }
    /// Sequence numbers expected, over all runs.
    public var expected: UInt64 { earlier.expected.addingSaturating(current?.expected ?? 0) }
    /// Late (reordered) packets, over all runs.
    public var reordered: UInt64 { earlier.reordered.addingSaturating(current?.reordered ?? 0) }
    /// Duplicate packets, over all runs.
    public var duplicates: UInt64 { earlier.duplicates.addingSaturating(current?.duplicates ?? 0) }
    /// A.1 re-syncs within a run, over all runs.
    public var restarts: UInt64 { earlier.restarts.addingSaturating(current?.restarts ?? 0) }
    /// Distinct sequence numbers received, over all runs.
    public var uniqueReceived: UInt64 { earlier.uniqueReceived.addingSaturating(current?.uniqueReceived ?? 0) }
    /// The current run's interarrival jitter in nanoseconds; nil until it is valid.
    public var jitterNanoseconds: Double? {
        guard let current, current.isValid else { return nil }
        return current.jitterNanoseconds
    }

    private func newRun(_ header: RTPHeader, receivedAt: Int64) -> RTPRunTracker {
        let rate = RTPClockRate.hertz(payloadType: header.payloadType, dynamicDefault: dynamicClockRate)
        return RTPRunTracker(first: header, receivedAt: receivedAt, clockRate: rate)
    }

    /// The candidate became valid: the current run's figures go into the earlier totals.
    private mutating func takeOver() {
        if let old = current { earlier.add(old) }
        current = candidate
        candidate = nil
        ssrcChanges &+= 1
    }
}

/// Figures of finished runs, added up without overflow.
struct RTPRunTotals: Sendable, Hashable {
    var lost: UInt64 = 0
    var expected: UInt64 = 0
    var reordered: UInt64 = 0
    var duplicates: UInt64 = 0
    var restarts: UInt64 = 0
    var uniqueReceived: UInt64 = 0

    mutating func add(_ run: RTPRunTracker) {
        lost = lost.addingSaturating(run.lost)
        expected = expected.addingSaturating(run.expected)
        reordered = reordered.addingSaturating(run.reordered)
        duplicates = duplicates.addingSaturating(run.duplicates)
        restarts = restarts.addingSaturating(run.restarts)
        uniqueReceived = uniqueReceived.addingSaturating(run.uniqueReceived)
    }
}
