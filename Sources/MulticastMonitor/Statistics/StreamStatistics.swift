import DequeModule
import MulticastExpert

/// One captured datagram for hexdumps: the start of its payload and how it arrived.
public struct CapturedDatagram: Sendable, Hashable {
    /// The first bytes of the payload (at most the capture length).
    public var payloadPrefix: [UInt8]
    /// The full payload length.
    public var length: Int
    public var source: SocketAddress
    public var receivedAt: Timestamp
}

/// Limits that keep a stream's memory bounded whatever arrives.
public struct StatisticsLimits: Sendable, Hashable {
    /// Sources tracked per stream; datagrams from further sources are counted but not itemised.
    public var maxSourcesPerStream: Int
    /// Datagrams kept per stream for hexdumps.
    public var capturedDatagramsPerStream: Int
    /// Payload bytes kept per captured datagram.
    public var captureLength: Int

    public init(maxSourcesPerStream: Int = 64, capturedDatagramsPerStream: Int = 32, captureLength: Int = 512) {
        self.maxSourcesPerStream = maxSourcesPerStream
        self.capturedDatagramsPerStream = capturedDatagramsPerStream
        self.captureLength = captureLength
    }
}

/// Statistics of one stream (group, port, interface), per source inside it.
public struct StreamStatistics: Sendable, Hashable {
    public let key: StreamKey
    /// Datagrams and payload bytes, all sources together.
    public private(set) var packets: UInt64 = 0
    public private(set) var bytes: UInt64 = 0
    public private(set) var rate = RateMeter()
    public private(set) var firstSeen: Timestamp?
    public private(set) var lastSeen: Timestamp?
    /// Per-source statistics, at most ``StatisticsLimits/maxSourcesPerStream`` of them.
    public private(set) var sources: [SocketAddress: SourceStatistics] = [:]
    /// Datagrams from sources beyond the cap: counted in the totals, not itemised per source.
    public private(set) var untrackedPackets: UInt64 = 0
    /// The latest datagrams, newest last.
    public private(set) var captured: Deque<CapturedDatagram> = []
    /// The kernel's count of datagrams dropped on this stream's socket for lack of buffer (SO_RXQ_OVFL).
    public private(set) var kernelDrops: UInt64 = 0
    private var lastDropCounter: UInt32 = 0
    public let limits: StatisticsLimits
    /// How each source's payload kind is chosen (``PayloadChoice/auto`` unless the user said).
    public let payloadOptions: PayloadOptions
    /// Losses and stream errors per second over the last minute, for the timeline.
    public private(set) var impairments = ImpairmentHistory()
    /// Latency and delay-variation percentiles, from the sources whose datagrams carry times.
    public private(set) var delays = DelayHistograms()

    public init(key: StreamKey, limits: StatisticsLimits = StatisticsLimits(), payloadOptions: PayloadOptions = PayloadOptions()) {
        self.key = key
        self.limits = limits
        self.payloadOptions = payloadOptions
    }

    /// Accounts for one datagram at monotonic time `now`.
    public mutating func record(_ datagram: Datagram, now: Int64) {
        datagram.withView { record($0, now: now) }
    }

    /// Accounts for one datagram seen in place. Allocates nothing once the capture ring is full
    /// (its slots are reused), except right after a snapshot took a copy of the ring.
    public mutating func record(_ view: DatagramView, now: Int64) {
        let length = view.payload.count
        packets &+= 1
        bytes &+= UInt64(clamping: length)
        rate.record(bytes: length, now: now)
        if firstSeen == nil { firstSeen = view.receivedAt }
        lastSeen = view.receivedAt
        // SO_RXQ_OVFL is a 32-bit counter that wraps; add what it moved by since the last datagram.
        kernelDrops &+= UInt64(view.socketDropCount &- lastDropCounter)
        lastDropCounter = view.socketDropCount

        if let index = sources.index(forKey: view.source) {
            if let sample = sources.values[index].record(payload: view.payload, length: length, receivedAt: view.receivedAt, now: now) {
                delays.record(sample)
            }
        } else if sources.count < limits.maxSourcesPerStream {
            var statistics = SourceStatistics(source: view.source, firstSeen: view.receivedAt, payloadOptions: payloadOptions)
            if let sample = statistics.record(payload: view.payload, length: length, receivedAt: view.receivedAt, now: now) {
                delays.record(sample)
            }
            sources[view.source] = statistics
        } else {
            untrackedPackets += 1
        }

        guard limits.capturedDatagramsPerStream > 0 else { return }
        let kept = UnsafeRawBufferPointer(rebasing: view.payload.prefix(limits.captureLength))
        if captured.count >= limits.capturedDatagramsPerStream {
            var slot = captured.removeFirst()
            slot.payloadPrefix.removeAll(keepingCapacity: true)
            slot.payloadPrefix.append(contentsOf: kept)
            slot.length = length
            slot.source = view.source
            slot.receivedAt = view.receivedAt
            captured.append(slot)
        } else {
            captured.append(CapturedDatagram(payloadPrefix: [UInt8](kept), length: length, source: view.source, receivedAt: view.receivedAt))
        }
    }

    /// Moves every rate window forward so idle streams and sources show zero rates.
    public mutating func advance(to now: Int64) {
        rate.advance(to: now)
        for key in sources.keys { sources[key]!.advance(to: now) }
        impairments.advance(to: now, total: lost.addingSaturating(streamErrors))
    }

    /// Datagrams that never arrived, by the sequence numbers of probes, RTP or iperf2, over all tracked sources and runs.
    public var lost: UInt64 { sources.values.reduce(0) { $0.addingSaturating($1.lost) } }
    /// Datagrams that arrived after one with a higher sequence number, over all sources.
    public var reordered: UInt64 { sources.values.reduce(0) { $0.addingSaturating($1.reordered) } }
    /// Datagrams that arrived more than once, over all sources.
    public var duplicates: UInt64 { sources.values.reduce(0) { $0.addingSaturating($1.duplicates) } }
    /// Datagrams the senders' sequence numbers say were sent, over all sources.
    public var expected: UInt64 { sources.values.reduce(0) { $0.addingSaturating($1.expected) } }
    /// Probes ignored for an implausible sequence number (see ``ProbeSequenceTracker``).
    public var outOfRange: UInt64 { sources.values.reduce(0) { $0.addingSaturating($1.outOfRange) } }
    /// Lost as a percentage of expected; nil when nothing with sequence numbers arrived.
    public var lossPercent: Double? { expected > 0 ? Double(lost) * 100 / Double(expected) : nil }
    /// The largest jitter of any source with sequence numbers, nanoseconds; nil without any.
    public var jitterNanoseconds: Double? { sources.values.compactMap(\.jitterNanoseconds).max() }
    /// The kind of the busiest source whose kind is known; nil while every source is being detected.
    public var kind: PayloadKind? { primarySource?.payload.kind }
    /// The source whose payload the stream's kind comes from: the busiest with a known kind
    /// (ties go to the lower address, so the choice does not flicker).
    public var primarySource: SourceStatistics? {
        sources.values.filter { $0.payload.kind != nil }.max { ($0.packets, $1.source.description) < ($1.packets, $0.source.description) }
    }
    /// MPEG-TS priority-1 errors over all sources (sync, continuity, PAT, PMT, PID).
    public var streamErrors: UInt64 {
        sources.values.reduce(0) { $0.addingSaturating($1.payload.streamErrors) }
    }
}
