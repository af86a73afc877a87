/// How a receive call waits when no datagram is waiting — the seed's `settimeout()` semantics.
public enum ReceiveMode: Sendable, Hashable {
    /// Wait until a datagram arrives.
    case blocking
    /// Wait at most this long, then return nil ("no data").
    case timeout(Duration)
    /// Return at once, with nil when nothing is waiting.
    case nonBlocking

    /// The `poll(2)`/`epoll_wait(2)` timeout in milliseconds: -1 forever, 0 at once, otherwise rounded up.
    package var pollMilliseconds: Int32 {
        switch self {
        case .blocking: return -1
        case .nonBlocking: return 0
        case .timeout(let duration):
            let (seconds, attoseconds) = duration.components
            if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
            let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
            return Int32(clamping: milliseconds)
        }
    }
}
