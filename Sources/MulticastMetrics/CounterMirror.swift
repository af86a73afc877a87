/// Follows one of the engine's running totals and says how much to add to a Prometheus counter,
/// which may only grow.
///
/// The engine's totals can legitimately go down: sequence loss is expected minus received, so a
/// late datagram that fills a gap lowers it; a decoder replaced when a sender's payload kind
/// changes starts its figures at 0; and the totals are sums over the senders tracked now. None of
/// that is a restart of what the counter counts, so the mirror is a high-water mark: it adds only
/// what a total rises above the highest value seen, and a fall adds nothing (a gap that is filled
/// leaves the counter where it was; it is not counted twice when the total climbs back).
public struct CounterMirror: Sendable, Hashable {
    /// The highest total seen so far: what the counter already holds.
    public private(set) var highest: UInt64 = 0

    /// A mirror that has seen a total of 0.
    public init() {}

    /// The amount to add to the counter now that the engine's total is `total`: how far it rose
    /// above ``highest``, else 0.
    public mutating func delta(to total: UInt64) -> UInt64 {
        guard total > highest else { return 0 }
        defer { highest = total }
        return total - highest
    }

    /// ``delta(to:)`` as the `Int64` the Prometheus counter takes, clamped (a total past
    /// `Int64.max` is not a count anything can reach).
    public mutating func increment(to total: UInt64) -> Int64 {
        Int64(clamping: delta(to: total))
    }
}
