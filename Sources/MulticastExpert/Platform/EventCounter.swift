#if canImport(Glibc)
import Glibc
#endif
import CMulticastShims
import SystemPackage

/// A kernel event counter (eventfd): a descriptor that becomes readable once anyone signals it,
/// which is how one thread wakes another that is blocked in `epoll_wait` or `poll`. Linux only.
///
/// Non-blocking and close-on-exec. The value does not own the descriptor: whoever makes it calls
/// ``close()`` once.
package struct EventCounter: Sendable, Hashable {
    /// The eventfd's file descriptor (register it with an ``Epoll`` to be woken by it).
    package let rawValue: Int32

    /// Makes a counter at zero. The corresponding C call is `eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)`.
    package static func make() throws(Errno) -> EventCounter {
        let fd = mcx_eventfd()
        guard fd >= 0 else { throw lastErrno() }
        return EventCounter(rawValue: fd)
    }

    /// Adds one, making the descriptor readable. Safe from any thread; never blocks (a counter
    /// near its 2^64-2 ceiling is readable already, so a refused add loses nothing).
    /// The corresponding C call is `write(2)` of 8 bytes.
    package func signal() {
        var one: UInt64 = 1
        _ = try? retryingOnInterrupt { write(rawValue, &one, MemoryLayout<UInt64>.size) }
    }

    /// Resets the counter to zero so the descriptor stops being readable; returns how many signals
    /// it had collected (0 when none). The corresponding C call is `read(2)` of 8 bytes.
    @discardableResult
    package func drain() -> UInt64 {
        var value: UInt64 = 0
        guard (try? retryingOnInterrupt { read(rawValue, &value, MemoryLayout<UInt64>.size) }) != nil else { return 0 }
        return value
    }

    /// The corresponding C call is `close(2)`.
    package func close() {
        closeDescriptor(rawValue)
    }
}
