import MulticastExpert

/// Everything known about one sender of one stream.
public struct SourceStatistics: Sendable, Hashable {
    /// The sender's address and port.
    public let source: SocketAddress
    /// Datagrams received from it.
    public private(set) var packets: UInt64 = 0
    /// Payload bytes received from it.
    public private(set) var bytes: UInt64 = 0
    /// Wall-clock time of the first and the latest datagram.
    public private(set) var firstSeen: Timestamp
    public private(set) var lastSeen: Timestamp
    /// Rates and history.
    public private(set) var rate = RateMeter()
    /// Datagrams that were not probes.
    public private(set) var nonProbePackets: UInt64 = 0
    /// The probe run being followed (the latest sender id seen), if any probe arrived.
    public private(set) var probe: ProbeSequenceTracker?
    /// Loss, reordering and duplicates of earlier sender runs (a restarted sender starts a new run).
    public private(set) var earlierRunsLost: UInt64 = 0
    public private(set) var earlierRunsReordered: UInt64 = 0
    public private(set) var earlierRunsDuplicates: UInt64 = 0
    public private(set) var earlierRunsExpected: UInt64 = 0
    /// Probes of earlier runs ignored for an implausible sequence number.
    public private(set) var earlierRunsOutOfRange: UInt64 = 0
    /// What the source sends (RTP, MPEG-TS, iperf, ...) and that kind's loss and health.
    public private(set) var payload: PayloadAnalysis

    public init(source: SocketAddress, firstSeen: Timestamp, payloadOptions: PayloadOptions = PayloadOptions()) {
        self.source = source
        self.firstSeen = firstSeen
        self.lastSeen = firstSeen
        payload = PayloadAnalysis(options: payloadOptions)
    }

    /// Accounts for one datagram, decoding its probe header when it has one and its payload
    /// (RTP, MPEG-TS, iperf2) by kind; returns what it said about delay, if anything.
    @discardableResult
    public mutating func record(payload: UnsafeRawBufferPointer, length: Int, receivedAt: Timestamp, now: Int64) -> DelaySample? {
        packets &+= 1
        bytes &+= UInt64(clamping: length)
        lastSeen = receivedAt
        rate.record(bytes: length, now: now)
        let sample = self.payload.record(payload, receivedAt: receivedAt.nanosecondsSinceEpoch, now: now)
        guard self.payload.decodesProbes, let header = ProbeHeader(decoding: payload) else {
            nonProbePackets += 1
            return sample
        }
        if probe?.senderID == header.senderID {
            // Recorded in place: a copy of the tracker would share its window and copy it on write.
            let samplesBefore = probe!.timingSamples
            probe!.record(header, receivedAt: receivedAt.nanosecondsSinceEpoch, now: now)
            return DelaySample.taken(by: probe, samplesBefore: samplesBefore)
        } else {
            if let old = probe {
                earlierRunsLost = earlierRunsLost.addingSaturating(old.lost)
                earlierRunsReordered = earlierRunsReordered.addingSaturating(old.reordered)
                earlierRunsDuplicates = earlierRunsDuplicates.addingSaturating(old.duplicates)
                earlierRunsExpected = earlierRunsExpected.addingSaturating(old.expected)
                earlierRunsOutOfRange = earlierRunsOutOfRange.addingSaturating(old.outOfRange)
            }
            probe = ProbeSequenceTracker(first: header, receivedAt: receivedAt.nanosecondsSinceEpoch, now: now)
            return DelaySample.taken(by: probe, samplesBefore: 0)
        }
    }

    /// Moves rate windows forward so an idle source's rate falls to zero.
    public mutating func advance(to now: Int64) {
        rate.advance(to: now)
        payload.advance(to: now)
    }

    /// Datagrams that never arrived, by the probes' sequence numbers (over all sender runs) or
    /// the payload's own (RTP, iperf).
    public var lost: UInt64 { earlierRunsLost.addingSaturating(probe?.lost ?? 0).addingSaturating(payload.lost) }
    /// Datagrams that arrived out of order, over all runs.
    public var reordered: UInt64 { earlierRunsReordered.addingSaturating(probe?.reordered ?? 0).addingSaturating(payload.reordered) }
    /// Datagrams that arrived twice, over all runs.
    public var duplicates: UInt64 { earlierRunsDuplicates.addingSaturating(probe?.duplicates ?? 0).addingSaturating(payload.duplicates) }
    /// Datagrams expected, over all runs.
    public var expected: UInt64 { earlierRunsExpected.addingSaturating(probe?.expected ?? 0).addingSaturating(payload.expected) }
    /// Probes ignored because their sequence number was implausible (forged or corrupt), over all runs.
    public var outOfRange: UInt64 { earlierRunsOutOfRange.addingSaturating(probe?.outOfRange ?? 0) }
    /// Interarrival jitter in nanoseconds: the probe run's, else the payload's (RTP, iperf).
    public var jitterNanoseconds: Double? { probe?.jitterNanoseconds ?? payload.decoders?.jitterNanoseconds }
    /// Lost as a percentage of expected; nil without sequence numbers.
    public var lossPercent: Double? { expected > 0 ? Double(lost) * 100 / Double(expected) : nil }
}
