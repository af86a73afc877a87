import Histogram

/// The distribution of a stream's one-way latency and of its delay variation, so the detail
/// view can say "p99 4.1 ms" rather than only an average that hides the bad tail.
///
/// Latency comes from senders whose send time the datagram carries (probes, iperf2) and counts
/// only when the clocks look synchronised (0 to 60 s); delay variation is the change in transit
/// time from one datagram to the next (RFC 3550's D), for every kind with timestamps (probes,
/// iperf2, RTP). Both in microseconds, two significant digits, 1 µs to 60 s, 32-bit counts:
/// about 10 KB each, made only for streams that have such figures (a snapshot shares them, so
/// the first datagram after one copies them: small keeps that cheap). Values outside the range
/// are clamped, so every datagram is counted. A histogram that reaches 2^31 samples starts
/// afresh, so no count can wrap: the percentiles are then of the latest samples.
public struct DelayHistograms: Sendable, Equatable, Hashable {
    /// The largest value kept, microseconds (60 s).
    static let highestMicroseconds: UInt64 = 60_000_000
    /// Samples after which a histogram starts afresh, well before a 32-bit bucket could wrap.
    static let samplesBeforeRestart: UInt64 = 1 << 31

    /// One-way latency, microseconds.
    public private(set) var latency: Histogram<UInt32>?
    /// Transit-time change between consecutive datagrams, microseconds.
    public private(set) var delayVariation: Histogram<UInt32>?

    public init() {}

    /// Counts one latency sample in nanoseconds; negative or absurd values (unsynchronised clocks) are not counted.
    public mutating func recordLatency(nanoseconds: Int64) {
        guard nanoseconds >= 0, nanoseconds / 1000 <= Int64(Self.highestMicroseconds) else { return }
        if latency == nil || latency!.totalCount >= Self.samplesBeforeRestart { latency = Self.makeHistogram() }
        _ = latency!.record(UInt64(nanoseconds / 1000))
    }

    /// Counts one delay-variation sample in nanoseconds (its size; the sign is dropped).
    public mutating func recordDelayVariation(nanoseconds: Double) {
        guard nanoseconds.isFinite else { return }
        if delayVariation == nil || delayVariation!.totalCount >= Self.samplesBeforeRestart { delayVariation = Self.makeHistogram() }
        let microseconds = min(abs(nanoseconds) / 1000, Double(Self.highestMicroseconds))
        _ = delayVariation!.record(UInt64(microseconds))
    }

    /// p50, p90, p99 and the maximum of a histogram in nanoseconds; nil when it has no samples.
    public static func percentiles(_ histogram: Histogram<UInt32>?) -> Percentiles? {
        guard let histogram, histogram.totalCount > 0 else { return nil }
        return Percentiles(p50: Double(histogram.valueAtPercentile(50)) * 1000, p90: Double(histogram.valueAtPercentile(90)) * 1000,
                           p99: Double(histogram.valueAtPercentile(99)) * 1000, max: Double(histogram.max) * 1000,
                           samples: histogram.totalCount)
    }

    /// Latency percentiles, nanoseconds.
    public var latencyPercentiles: Percentiles? { Self.percentiles(latency) }
    /// Delay-variation percentiles, nanoseconds.
    public var delayVariationPercentiles: Percentiles? { Self.percentiles(delayVariation) }

    /// A few points of a distribution, nanoseconds: the median, the 90th and 99th percentiles
    /// (where the bad tail shows), the largest value and how many samples they come from.
    public struct Percentiles: Sendable, Hashable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
        public var samples: UInt64
    }

    private static func makeHistogram() -> Histogram<UInt32> {
        Histogram<UInt32>(lowestDiscernibleValue: 1, highestTrackableValue: highestMicroseconds, numberOfSignificantValueDigits: .two)
    }

    /// Hashes the sample counts only: hashing thousands of buckets for every stream would cost
    /// more than it tells apart, and equal values still hash equal.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(latency?.totalCount)
        hasher.combine(delayVariation?.totalCount)
    }
}
