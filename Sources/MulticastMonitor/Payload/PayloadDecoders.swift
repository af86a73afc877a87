import MulticastExpert

/// The decoders one payload kind needs, fed datagram by datagram: RTP's sequence and jitter
/// tracker, the MPEG-TS checks, or iperf2's sequence numbers (followed by the same hardened
/// tracker as mcexpert's probes, so a forged iperf datagram costs no more than a forged probe).
public struct PayloadDecoders: Sendable, Hashable {
    /// The kind these decoders follow.
    public let kind: PayloadKind
    /// RTP sequence numbers, loss and jitter (``PayloadKind/rtp`` and ``PayloadKind/rtpTS``).
    public private(set) var rtp: RTPStreamTracker?
    /// The MPEG-TS checks (``PayloadKind/ts`` and ``PayloadKind/rtpTS``).
    public private(set) var transportStream: TransportStreamAnalyzer?
    /// iperf2 sequence numbers and send times (``PayloadKind/iperf``).
    public private(set) var iperf: ProbeSequenceTracker?
    /// iperf2's closing datagrams (negative sequence numbers): the end of a test, not data.
    public private(set) var iperfFinals: UInt64 = 0
    /// Datagrams that did not decode as ``kind``.
    public private(set) var undecodable: UInt64 = 0
    private let dynamicRTPClockRate: UInt32

    /// Decoders for `kind`; `dynamicRTPClockRate` is the clock of RTP payload types 96–127.
    public init(kind: PayloadKind, dynamicRTPClockRate: UInt32 = PayloadOptions.defaultDynamicRTPClockRate) {
        self.kind = kind
        self.dynamicRTPClockRate = dynamicRTPClockRate
        if kind == .rtp || kind == .rtpTS { rtp = RTPStreamTracker(dynamicClockRate: dynamicRTPClockRate) }
        if kind.carriesTransportStream { transportStream = TransportStreamAnalyzer() }
    }

    /// Decodes one datagram. `receivedAt` is the kernel's receive time (nanoseconds since the
    /// epoch, for jitter and latency), `now` the receiver's monotonic clock (for rates and the
    /// MPEG-TS repetition deadlines). Returns what the datagram said about delay, if anything.
    @discardableResult
    public mutating func record(_ payload: UnsafeRawBufferPointer, receivedAt: Int64, now: Int64) -> DelaySample? {
        switch kind {
        case .rtp, .rtpTS:
            guard let header = RTPHeader(decoding: payload) else {
                undecodable &+= 1
                return nil
            }
            let samplesBefore = rtp?.current?.delayVariationSamples ?? 0
            rtp?.record(header, receivedAt: receivedAt)
            let sample = DelaySample.taken(by: rtp?.current, samplesBefore: samplesBefore)
            guard kind == .rtpTS else { return sample }
            guard header.payloadType == RTPClockRate.mpegTransportStream else {
                undecodable &+= 1
                return sample
            }
            let range = header.payloadRange()
            guard range.lowerBound >= 0, range.upperBound <= payload.count else { return sample }
            transportStream?.record(UnsafeRawBufferPointer(rebasing: payload[range]), now: now)
            return sample
        case .ts:
            transportStream?.record(payload, now: now)
            return nil
        case .iperf:
            guard let header = IperfHeader(decoding: payload) else {
                undecodable &+= 1
                return nil
            }
            if header.isFinal {
                iperfFinals &+= 1
                return nil
            }
            let probe = ProbeHeader(senderID: 0, sequence: header.sequence, sendTimeNanoseconds: header.sendTimeNanoseconds)
            let samplesBefore = iperf?.timingSamples ?? 0
            if iperf == nil {
                iperf = ProbeSequenceTracker(first: probe, receivedAt: receivedAt, now: now)
            } else {
                iperf!.record(probe, receivedAt: receivedAt, now: now)
            }
            return DelaySample.taken(by: iperf, samplesBefore: samplesBefore)
        case .probe, .raw:
            return nil
        }
    }

    /// Moves rate windows forward so idle PIDs read zero.
    public mutating func advance(to now: Int64) { transportStream?.advance(to: now) }

    /// Datagrams the sequence numbers say never arrived.
    public var lost: UInt64 { (rtp?.lost ?? 0).addingSaturating(iperf?.lost ?? 0) }
    /// Datagrams the sequence numbers say were sent.
    public var expected: UInt64 { (rtp?.expected ?? 0).addingSaturating(iperf?.expected ?? 0) }
    /// Datagrams that arrived after a later one.
    public var reordered: UInt64 { (rtp?.reordered ?? 0).addingSaturating(iperf?.reordered ?? 0) }
    /// Datagrams that arrived twice.
    public var duplicates: UInt64 { (rtp?.duplicates ?? 0).addingSaturating(iperf?.duplicates ?? 0) }
    /// Interarrival jitter, nanoseconds (RTP's from its media clock, iperf's from its send times).
    public var jitterNanoseconds: Double? { rtp?.jitterNanoseconds ?? iperf?.jitterNanoseconds }
}
