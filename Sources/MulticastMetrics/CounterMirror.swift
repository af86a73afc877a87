/// Follows one of the engine's running totals and says how much to add to a Prometheus counter,
/// which may only grow.
///
/// The engine's totals are sums over what it tracks now: when a source's payload kind changes,
/// a decoder is replaced and one of its figures can fall back (an RTP loss count restarts at 0).
/// A fall is read as a restart, as Prometheus reads a counter reset: what the total shows after
/// it is new and is added; nothing is ever subtracted.
public struct CounterMirror: Sendable, Hashable {
    /// The engine's total at the last update.
    public private(set) var lastSeen: UInt64 = 0

    /// A mirror that has seen a total of 0.
    public init() {}

    /// The amount to add to the counter now that the engine's total is `total`.
    public mutating func delta(to total: UInt64) -> UInt64 {
        defer { lastSeen = total }
        return total >= lastSeen ? total - lastSeen : total
    }

    /// ``delta(to:)`` as the `Int64` the Prometheus counter takes, clamped (a total past
    /// `Int64.max` is not a count anything can reach).
    public mutating func increment(to total: UInt64) -> Int64 {
        Int64(clamping: delta(to: total))
    }
}
