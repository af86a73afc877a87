import MulticastExpert
import MulticastMonitor

/// What one configured stream's series show at one moment, taken from the engine's statistics.
///
/// A configured stream may arrive on several interfaces (when the file names none), so its
/// figures are summed over every engine stream of its group and port on the interfaces it was
/// joined on; with a source-specific join, only that sender's datagrams count. Pure: statistics
/// and times in, numbers out.
public struct StreamFigures: Sendable, Hashable {
    /// Datagrams received (a running total, mirrored into a counter, as every `UInt64` here).
    public var packets: UInt64 = 0
    /// UDP payload bytes received.
    public var bytes: UInt64 = 0
    /// Datagrams that never arrived, by sequence numbers (probes, RTP, iperf2).
    public var lost: UInt64 = 0
    /// Datagrams that arrived after a later one.
    public var reordered: UInt64 = 0
    /// Datagrams that arrived more than once.
    public var duplicates: UInt64 = 0
    /// Datagrams the kernel dropped on the stream's sockets for lack of buffer (SO_RXQ_OVFL).
    public var kernelDrops: UInt64 = 0
    /// RTP sequence-number loss alone (a part of ``lost``).
    public var rtpLost: UInt64 = 0
    /// MPEG-TS continuity counter errors (ETSI TR 101 290 1.4).
    public var tsContinuityErrors: UInt64 = 0
    /// MPEG-TS PAT errors (TR 101 290 1.3).
    public var tsPATErrors: UInt64 = 0
    /// MPEG-TS PMT errors (TR 101 290 1.5).
    public var tsPMTErrors: UInt64 = 0
    /// MPEG-TS sync byte errors and losses of sync (TR 101 290 1.1, 1.2).
    public var tsSyncErrors: UInt64 = 0
    /// MPEG-TS elementary streams missing (TR 101 290 1.6).
    public var tsPIDErrors: UInt64 = 0
    /// Datagrams per second over the last second.
    public var packetsPerSecond: Double = 0
    /// UDP payload bits per second over the last second.
    public var bitsPerSecond: Double = 0
    /// The largest interarrival jitter of any sender with sequence numbers and times; nil without.
    public var jitterSeconds: Double?
    /// Seconds since the latest datagram, or since the stream was joined when none arrived.
    public var lastPacketAgeSeconds: Double = 0
    /// Whether a datagram arrived within the stream's timeout.
    public var isUp = false
    /// The payload kind of the busiest sender whose kind is known; nil while detecting.
    public var detectedKind: PayloadKind?
    /// Each sender's own sequence figures and payload errors (``lost`` ... ``tsPIDErrors``), by
    /// interface and source: the sums above can fall when one sender's do (a gap filled, a
    /// decoder given up), so the counters mirror each sender apart and add up what each grew by.
    public var senders: [SenderKey: StreamFigures] = [:]

    /// One sender of a stream on one interface.
    public struct SenderKey: Sendable, Hashable {
        /// The interface the sender's datagrams arrive on.
        public var interfaceIndex: UInt32
        /// The sender's address and port.
        public var source: SocketAddress
    }

    /// All zero, down: a stream nothing was measured of.
    public init() {}

    /// The figures of `stream` from the engine's `statistics` of its group and port.
    ///
    /// - Parameters:
    ///   - interfaceIndexes: the interfaces the stream was joined on; nil counts every interface.
    ///   - now: wall-clock time, nanoseconds since the epoch (datagram times are the kernel's wall clock).
    ///   - joinedAt: when the stream was joined, same clock, for the age of a stream that never arrived.
    public static func measure(_ stream: MonitoredStream, statistics: [StreamStatistics], interfaceIndexes: Set<UInt32>?,
                               now: Int64, joinedAt: Int64) -> StreamFigures {
        var figures = StreamFigures()
        var latest: Int64?
        var busiest: (packets: UInt64, kind: PayloadKind)?
        for engineStream in statistics where engineStream.key.group == stream.group && engineStream.key.port == stream.port {
            if let interfaceIndexes, !interfaceIndexes.contains(engineStream.key.interfaceIndex) { continue }
            figures.kernelDrops = figures.kernelDrops.addingSaturating(engineStream.kernelDrops)
            if stream.source == nil {
                figures.packets = figures.packets.addingSaturating(engineStream.packets)
                figures.bytes = figures.bytes.addingSaturating(engineStream.bytes)
                figures.packetsPerSecond += engineStream.rate.packetsPerSecond
                figures.bitsPerSecond += engineStream.rate.bitsPerSecond
                if let seen = engineStream.lastSeen?.nanosecondsSinceEpoch { latest = max(latest ?? seen, seen) }
            }
            for sender in engineStream.sources.values where stream.source == nil || sender.source.address == stream.source {
                if stream.source != nil {
                    figures.packets = figures.packets.addingSaturating(sender.packets)
                    figures.bytes = figures.bytes.addingSaturating(sender.bytes)
                    figures.packetsPerSecond += sender.rate.packetsPerSecond
                    figures.bitsPerSecond += sender.rate.bitsPerSecond
                    latest = max(latest ?? sender.lastSeen.nanosecondsSinceEpoch, sender.lastSeen.nanosecondsSinceEpoch)
                }
                figures.add(sender)
                var own = StreamFigures()
                own.add(sender)
                figures.senders[SenderKey(interfaceIndex: engineStream.key.interfaceIndex, source: sender.source)] = own
                if let kind = sender.payload.kind, sender.packets > (busiest?.packets ?? 0) { busiest = (sender.packets, kind) }
            }
        }
        figures.detectedKind = busiest?.kind
        let since = latest ?? joinedAt
        figures.lastPacketAgeSeconds = max(Double(now.subtractingSaturating(since)) / 1e9, 0)
        figures.isUp = latest != nil && now.subtractingSaturating(since) <= stream.effectiveTimeout.saturatingNanoseconds
        return figures
    }

    /// Adds one sender's sequence figures and payload errors.
    private mutating func add(_ sender: SourceStatistics) {
        lost = lost.addingSaturating(sender.lost)
        reordered = reordered.addingSaturating(sender.reordered)
        duplicates = duplicates.addingSaturating(sender.duplicates)
        if let jitter = sender.jitterNanoseconds, jitter.isFinite, jitter >= 0 {
            jitterSeconds = max(jitterSeconds ?? 0, jitter / 1e9)
        }
        guard let decoders = sender.payload.decoders else { return }
        rtpLost = rtpLost.addingSaturating(decoders.rtp?.lost ?? 0)
        if let ts = decoders.transportStream {
            tsContinuityErrors = tsContinuityErrors.addingSaturating(ts.continuityErrors)
            tsPATErrors = tsPATErrors.addingSaturating(ts.patErrors)
            tsPMTErrors = tsPMTErrors.addingSaturating(ts.pmtErrors)
            tsSyncErrors = tsSyncErrors.addingSaturating(ts.syncLosses.addingSaturating(ts.syncByteErrors))
            tsPIDErrors = tsPIDErrors.addingSaturating(ts.pidErrors)
        }
    }
}
