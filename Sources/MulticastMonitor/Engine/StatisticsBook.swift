import MulticastExpert

/// Everything the engine has counted: one ``StreamStatistics`` per (group, port, interface), the
/// totals over all streams and what did not fit. Datagrams and the time go in, snapshots come
/// out; it does no I/O and reads no clock, so it can be tested, fuzzed and benchmarked with
/// synthetic datagrams and exact times.
///
/// Memory is bounded: at most ``maxStreams`` streams are itemised (further streams' datagrams
/// are counted in ``untrackedStreamPackets``), and each stream keeps to its ``limits``.
/// Recording a datagram of a stream that exists allocates nothing, except that the first
/// datagram of a stream after a snapshot copies what the snapshot still shares (copy on write).
public struct StatisticsBook: Sendable {
    /// Per-stream limits.
    public let limits: StatisticsLimits
    /// Streams itemised at most.
    public let maxStreams: Int
    /// Datagrams recorded since the book was made or last reset, itemised or not.
    public private(set) var totalPackets: UInt64 = 0
    /// Datagrams of streams beyond ``maxStreams``: in ``totalPackets``, in no stream.
    public private(set) var untrackedStreamPackets: UInt64 = 0
    private var totalRate = RateMeter()
    private var streams: [StreamKey: StreamStatistics] = [:]
    private var cursor = StreamCursor()
    /// Payload options per group and port, for streams not seen yet (bounded by the subscriptions).
    private var payloadOptions: [GroupAndPort: PayloadOptions] = [:]

    /// An empty book.
    /// - Parameters:
    ///   - limits: what each stream keeps (sources, captured datagrams).
    ///   - maxStreams: streams itemised at most (default 1024, as ``Monitor`` uses).
    public init(limits: StatisticsLimits = StatisticsLimits(), maxStreams: Int = 1024) {
        self.limits = limits
        self.maxStreams = max(0, maxStreams)
    }

    /// Streams itemised so far.
    public var streamCount: Int { streams.count }

    /// The statistics of one stream as they stand (rate windows not moved), nil if none arrived.
    public func stream(_ key: StreamKey) -> StreamStatistics? { streams[key] }

    /// Accounts for one datagram seen in place, at monotonic time `now` (nanoseconds).
    public mutating func record(_ view: DatagramView, now: Int64) {
        totalPackets &+= 1
        totalRate.record(bytes: view.payload.count, now: now)
        if cursor.matches(view), let index = cursor.index {
            streams.values[index].record(view, now: now)
            return
        }
        let key = StreamKey(group: view.group, port: view.port, interfaceIndex: view.interfaceIndex, interfaceName: view.interfaceName)
        if let index = streams.index(forKey: key) {
            streams.values[index].record(view, now: now)
            cursor = StreamCursor(group: view.group, port: view.port, interfaceIndex: view.interfaceIndex, index: index)
        } else if streams.count < maxStreams {
            let options = payloadOptions[GroupAndPort(group: view.group, port: view.port)] ?? PayloadOptions()
            var statistics = StreamStatistics(key: key, limits: limits, payloadOptions: options)
            statistics.record(view, now: now)
            streams[key] = statistics
            cursor = StreamCursor()  // an insertion may move the storage the cursor points into
        } else {
            untrackedStreamPackets &+= 1
        }
    }

    /// Accounts for one owned datagram at monotonic time `now`.
    public mutating func record(_ datagram: Datagram, now: Int64) {
        datagram.withView { record($0, now: now) }
    }

    /// Says how the payload of `group` on `port` is to be read, from its next stream on. Streams
    /// of it already counted under other options start afresh: their figures were measured
    /// as another kind and would not add up with the new ones.
    public mutating func setPayloadOptions(_ options: PayloadOptions, group: MulticastGroup, port: UInt16) {
        let key = GroupAndPort(group: group, port: port)
        guard payloadOptions[key] != options else { return }
        payloadOptions[key] = options == PayloadOptions() ? nil : options
        for streamKey in streams.keys where streamKey.group == group && streamKey.port == port
            && streams[streamKey]?.payloadOptions != options {
            streams[streamKey] = StreamStatistics(key: streamKey, limits: limits, payloadOptions: options)
        }
        cursor = StreamCursor()
    }

    /// Forgets every stream and the totals.
    public mutating func reset() {
        streams = [:]
        cursor = StreamCursor()
        totalPackets = 0
        untrackedStreamPackets = 0
    }

    /// A copy of everything, with every rate window moved to `now` so idle streams show zero,
    /// streams ordered by group, port and interface. The engine's own fields (subscriptions,
    /// rounds, batch window, last error) are left empty for the engine to fill in.
    public mutating func snapshot(at now: Int64) -> MonitorSnapshot {
        totalRate.advance(to: now)
        var copies: [StreamStatistics] = []
        copies.reserveCapacity(streams.count)
        for index in streams.indices {
            streams.values[index].advance(to: now)  // in place: indices and the cursor stay valid
            copies.append(streams.values[index])
        }
        copies.sort { $0.key < $1.key }
        return MonitorSnapshot(streams: copies, subscriptions: [:], totalPackets: totalPackets,
                               totalPacketsPerSecond: totalRate.packetsPerSecond, untrackedStreamPackets: untrackedStreamPackets)
    }

    private struct GroupAndPort: Hashable, Sendable {
        var group: MulticastGroup
        var port: UInt16
    }

    /// The stream the previous datagram went to. Consecutive datagrams from one socket nearly
    /// always share a stream, so comparing three fields beats building and hashing a key. Valid
    /// until the next insertion or reset, which clear it.
    private struct StreamCursor: Sendable {
        var group: MulticastGroup?
        var port: UInt16 = 0
        var interfaceIndex: UInt32 = 0
        var index: Dictionary<StreamKey, StreamStatistics>.Index?

        func matches(_ view: DatagramView) -> Bool {
            index != nil && view.interfaceIndex == interfaceIndex && view.port == port && view.group == group
        }
    }
}
