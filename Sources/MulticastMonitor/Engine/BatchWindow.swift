import MulticastExpert

/// How long the engine lets the kernel queue datagrams before it collects them.
///
/// Every wakeup costs the same few microseconds of system calls and scheduling whether it brings
/// one datagram or sixty; at tens of thousands of datagrams a second that fixed cost is most of
/// what a receiver spends. So when datagrams arrive closer together than the window, the engine
/// pauses for the window before waiting again, and the next wakeup collects a batch.
///
/// What it costs: a datagram is *seen* up to one window later. It is not *measured* later — the
/// timestamps that latency and jitter use are the kernel's, taken on arrival. What it must never
/// cost is a datagram: the pause is capped so no socket fills more than half of its receive
/// buffer at the rate just observed, and the window collapses to nothing the moment the kernel
/// reports a drop, then grows back (doubling once a second) while none follow.
public struct BatchWindow: Sendable, Equatable {
    /// The longest pause, nanoseconds; 0 turns batching off (one wakeup per arrival, like a plain loop).
    public let maximumNanoseconds: Int64
    /// The window in force now, nanoseconds (smaller than the maximum after a drop).
    public private(set) var currentNanoseconds: Int64
    /// How long to pause before the next wait, nanoseconds; decided by the last round.
    public private(set) var pauseNanoseconds: Int64 = 0
    private var nextGrowth: Int64 = 0

    /// The smallest window worth pausing for: below it the pause costs as much as it saves.
    static let smallest: Int64 = 50_000
    /// How long the window stays down after a drop before it starts growing back.
    static let recovery: Int64 = 1_000_000_000
    /// What a queued datagram costs its socket's receive buffer beyond its payload (the kernel
    /// charges the whole buffer: sk_buff, shared info, slab rounding — measured 770–900 bytes).
    public static let queueOverheadBytes = 1024

    /// A window of at most `maximum`. The default, 2 ms, is invisible on a screen that redraws
    /// every 100 ms and turns 100k datagrams/s from ~30k wakeups a second into ~500; measured
    /// on 16 groups, 2 ms cost a fifth less CPU per datagram than 1 ms (Benchmarks/results.md).
    public init(maximum: Duration = .milliseconds(2)) {
        maximumNanoseconds = max(0, maximum.saturatingNanoseconds)
        currentNanoseconds = maximumNanoseconds
    }

    /// The current window as a duration.
    public var current: Duration { .nanoseconds(currentNanoseconds) }

    /// Decides the next pause from the round that just ended.
    ///
    /// - Parameters:
    ///   - waitedNanoseconds: how long the round blocked in the kernel before something was ready.
    ///   - received: datagrams the round collected.
    ///   - fillLimitNanoseconds: how long the busiest socket can keep queueing at the rate just
    ///     seen before it is half full (nil: no socket had traffic to judge by).
    ///   - sawDrop: whether the kernel reported a drop on any socket during the round.
    ///   - leftWaiting: whether a socket still had datagrams queued when the round stopped
    ///     taking them (it takes a bounded number per socket): the engine is behind, so no pause.
    ///   - now: the monotonic clock, nanoseconds.
    public mutating func roundEnded(waitedNanoseconds: Int64, received: Int, fillLimitNanoseconds: Int64?, sawDrop: Bool,
                                    leftWaiting: Bool = false, now: Int64) {
        if sawDrop {
            currentNanoseconds = 0
            nextGrowth = now + Self.recovery
        } else if currentNanoseconds < maximumNanoseconds, now >= nextGrowth {
            currentNanoseconds = min(maximumNanoseconds, max(Self.smallest, currentNanoseconds * 2))
            nextGrowth = now + Self.recovery
        }
        // Sparse traffic (the wait alone was longer than the window) gains nothing from pausing.
        guard received > 0, waitedNanoseconds < currentNanoseconds, !leftWaiting else {
            pauseNanoseconds = 0
            return
        }
        let pause = min(currentNanoseconds, fillLimitNanoseconds ?? currentNanoseconds)
        pauseNanoseconds = pause >= Self.smallest ? pause : 0
    }

    /// How long a socket with `bufferBytes` of receive buffer can keep queueing before it is half
    /// full, if `bytes` (payload) in `datagrams` arrived over `intervalNanoseconds`.
    public static func fillLimit(bufferBytes: Int, bytes: Int, datagrams: Int, intervalNanoseconds: Int64) -> Int64 {
        let charged = Double(bytes) + Double(datagrams) * Double(queueOverheadBytes)
        guard charged > 0, intervalNanoseconds > 0 else { return .max }
        return Int64(saturating: Double(bufferBytes) / 2 * Double(intervalNanoseconds) / charged)
    }
}
