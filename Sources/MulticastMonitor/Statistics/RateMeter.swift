/// Packets and bytes per time bucket: a sliding-window rate and a 60-second history.
///
/// Time is passed in (monotonic nanoseconds), never read here, so the arithmetic can be tested
/// exactly. Rates are over the last second, in ten 100 ms buckets; history keeps 60 one-second
/// buckets of packet counts for sparklines.
public struct RateMeter: Sendable, Hashable {
    static let fineBucketNanoseconds: Int64 = 100_000_000
    static let fineBucketCount = 10
    /// How many seconds of history are kept.
    public static let historySeconds = 60

    private var finePackets = [UInt32](repeating: 0, count: fineBucketCount)
    private var fineBytes = [UInt64](repeating: 0, count: fineBucketCount)
    private var fineEpoch: Int64 = -1  // index of the current 100 ms bucket since time 0
    private var history = [UInt32](repeating: 0, count: historySeconds)
    private var byteHistory = [UInt64](repeating: 0, count: historySeconds)
    private var historyEpoch: Int64 = -1  // index of the current second
    // Derived from the epochs by advance(to:), so recording inside a bucket divides nothing.
    private var fineBucketEnd: Int64 = .min
    private var fineSlot = 0
    private var historySlot = 0

    public init() {}

    /// Counts one datagram of `bytes` at monotonic time `now`.
    public mutating func record(bytes: Int, now: Int64) {
        if now >= fineBucketEnd { advance(to: now) }  // a second boundary is also a bucket boundary
        finePackets[fineSlot] &+= 1
        fineBytes[fineSlot] &+= UInt64(bytes)
        history[historySlot] &+= 1
        byteHistory[historySlot] &+= UInt64(bytes)
    }

    /// Moves the window forward to `now`, zeroing the buckets that fell out of it.
    public mutating func advance(to time: Int64) {
        let now = max(time, 0)  // monotonic time starts at boot; nothing earlier is meaningful
        let fineNow = now / Self.fineBucketNanoseconds
        if fineEpoch < 0 { fineEpoch = fineNow }
        if fineNow > fineEpoch {
            let steps = min(fineNow - fineEpoch, Int64(Self.fineBucketCount))
            for step in 1...steps {
                let i = Int((fineEpoch + step) % Int64(Self.fineBucketCount))
                finePackets[i] = 0
                fineBytes[i] = 0
            }
            fineEpoch = fineNow
        }
        let secondNow = now / 1_000_000_000
        if historyEpoch < 0 { historyEpoch = secondNow }
        if secondNow > historyEpoch {
            let steps = min(secondNow - historyEpoch, Int64(Self.historySeconds))
            for step in 1...steps {
                let i = Int((historyEpoch + step) % Int64(Self.historySeconds))
                history[i] = 0
                byteHistory[i] = 0
            }
            historyEpoch = secondNow
        }
        let (end, overflow) = (fineEpoch + 1).multipliedReportingOverflow(by: Self.fineBucketNanoseconds)
        fineBucketEnd = overflow ? .max : end
        fineSlot = Int(fineEpoch % Int64(Self.fineBucketCount))
        historySlot = Int(historyEpoch % Int64(Self.historySeconds))
    }

    /// Packets per second over the last 0.9 s of complete 100 ms buckets (the current, partial
    /// bucket is left out so a steady stream does not read low). Call ``advance(to:)`` first for an idle stream.
    public var packetsPerSecond: Double { Double(completeBuckets(finePackets).reduce(0) { $0 + UInt64($1) }) / windowSeconds }

    /// Bits per second (UDP payload bits), over the same window as ``packetsPerSecond``.
    public var bitsPerSecond: Double { Double(completeBuckets(fineBytes).reduce(0, &+)) * 8 / windowSeconds }

    private var windowSeconds: Double { Double(Self.fineBucketCount - 1) * Double(Self.fineBucketNanoseconds) / 1e9 }

    private func completeBuckets<T>(_ buckets: [T]) -> [T] {
        guard fineEpoch >= 0 else { return [] }
        let current = Int(fineEpoch % Int64(Self.fineBucketCount))
        return buckets.enumerated().filter { $0.offset != current }.map(\.element)
    }

    /// Packets in each of the last 60 seconds, oldest first; the last entry is the current, partial second.
    public var packetsPerSecondHistory: [UInt32] {
        guard historyEpoch >= 0 else { return [UInt32](repeating: 0, count: Self.historySeconds) }
        let start = Int((historyEpoch + 1) % Int64(Self.historySeconds))
        return Array(history[start...] + history[..<start])
    }

    /// Payload bytes in each of the last 60 seconds, oldest first, like ``packetsPerSecondHistory``.
    public var bytesPerSecondHistory: [UInt64] {
        guard historyEpoch >= 0 else { return [UInt64](repeating: 0, count: Self.historySeconds) }
        let start = Int((historyEpoch + 1) % Int64(Self.historySeconds))
        return Array(byteHistory[start...] + byteHistory[..<start])
    }
}
