/// Losses and stream errors in each of the last 60 seconds, for a timeline under the rate
/// graph: where a stream broke up, not just how much.
///
/// It is fed running totals (lost datagrams plus MPEG-TS errors) when the stream's windows move,
/// and keeps what each second added; time is passed in, so it is exact under test.
public struct ImpairmentHistory: Sendable, Hashable {
    private var counts = [UInt32](repeating: 0, count: RateMeter.historySeconds)
    private var epoch: Int64 = -1
    private var lastTotal: UInt64 = 0

    public init() {}

    /// Moves to monotonic time `now`, crediting what `total` grew past its highest so far to the
    /// current second.
    public mutating func advance(to now: Int64, total: UInt64) {
        let second = max(now, 0) / 1_000_000_000
        if epoch < 0 { epoch = second }
        if second > epoch {
            let steps = min(second - epoch, Int64(counts.count))
            for step in 1...steps { counts[Int((epoch + step) % Int64(counts.count))] = 0 }
            epoch = second
        }
        // Only new highs count: loss can fall back (a late datagram arrives), and counting its
        // return to the old level again would show reordering as loss.
        let added = total > lastTotal ? total - lastTotal : 0
        lastTotal = max(lastTotal, total)
        let slot = Int(epoch % Int64(counts.count))
        counts[slot] = counts[slot].addingSaturating(UInt32(clamping: added))
    }

    /// Impairments in each of the last 60 seconds, oldest first; the last is the current second.
    public var perSecond: [UInt32] {
        guard epoch >= 0 else { return [UInt32](repeating: 0, count: counts.count) }
        let start = Int((epoch + 1) % Int64(counts.count))
        return Array(counts[start...] + counts[..<start])
    }
}
