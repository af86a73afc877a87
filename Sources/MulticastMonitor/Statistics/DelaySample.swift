/// What one datagram said about delay: its one-way latency (when it carries a send time) and
/// how much its transit differed from the datagram before (RFC 3550's D), nanoseconds. Handed
/// from a source's decoders to the stream's ``DelayHistograms``.
public struct DelaySample: Sendable, Hashable {
    public var latencyNanoseconds: Int64?
    public var variationNanoseconds: Double?

    public init(latencyNanoseconds: Int64? = nil, variationNanoseconds: Double? = nil) {
        self.latencyNanoseconds = latencyNanoseconds
        self.variationNanoseconds = variationNanoseconds
    }

    /// The sample of the datagram a probe-style tracker (probes, iperf2) just took, if it took
    /// one: `samplesBefore` is its ``ProbeSequenceTracker/timingSamples`` before the datagram.
    static func taken(by tracker: ProbeSequenceTracker?, samplesBefore: UInt64) -> DelaySample? {
        guard let tracker, tracker.timingSamples != samplesBefore else { return nil }
        return DelaySample(latencyNanoseconds: tracker.lastTransit, variationNanoseconds: tracker.lastTransitChange)
    }

    /// The sample of the datagram an RTP run just took, if it took one (RTP has no send time,
    /// so only the variation).
    static func taken(by run: RTPRunTracker?, samplesBefore: UInt64) -> DelaySample? {
        guard let run, run.delayVariationSamples != samplesBefore, run.clockRate > 0 else { return nil }
        return DelaySample(variationNanoseconds: run.lastDelayVariationUnits * 1e9 / Double(run.clockRate))
    }
}

extension DelayHistograms {
    /// Counts what one datagram said.
    public mutating func record(_ sample: DelaySample) {
        if let latency = sample.latencyNanoseconds { recordLatency(nanoseconds: latency) }
        if let variation = sample.variationNanoseconds { recordDelayVariation(nanoseconds: variation) }
    }
}
