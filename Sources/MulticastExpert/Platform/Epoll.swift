#if canImport(Glibc)
import Glibc
#endif
import CMulticastShims
import SystemPackage

/// An epoll instance: the set of descriptors a receive loop waits on, each ready descriptor
/// reported with the 64-bit token it was registered under. Linux only.
///
/// `struct epoll_event` is packed on x86_64 and does not import cleanly, so the calls go through
/// the C shim's `mcx_epoll_*`, which take and hand back only the token. The value does not own
/// the descriptor: whoever makes it calls ``close()`` once.
package struct Epoll: Sendable, Hashable {
    /// The epoll instance's file descriptor.
    package let rawValue: Int32

    /// Wraps a descriptor that is already an epoll instance.
    package init(rawValue: Int32) { self.rawValue = rawValue }

    /// Makes a close-on-exec epoll instance. The corresponding C call is `epoll_create1(EPOLL_CLOEXEC)`.
    package static func create() throws(Errno) -> Epoll {
        let fd = mcx_epoll_create()
        guard fd >= 0 else { throw lastErrno() }
        return Epoll(rawValue: fd)
    }

    /// Starts watching `descriptor` for input; its readiness is reported as `token`.
    /// The corresponding C call is `epoll_ctl(EPOLL_CTL_ADD)` with `EPOLLIN`.
    /// - Throws: `EEXIST` when the descriptor is already watched, `EBADF`/`EINVAL` when either
    ///   descriptor is not what it should be, `ENOSPC` past `fs.epoll.max_user_watches`.
    package func add(_ descriptor: Int32, token: UInt64) throws(Errno) {
        _ = try retryingOnInterrupt { mcx_epoll_add(rawValue, descriptor, token) }
    }

    /// Stops watching `descriptor`. The corresponding C call is `epoll_ctl(EPOLL_CTL_DEL)`.
    /// Closing a descriptor also stops the watch (when no duplicate keeps it open).
    package func remove(_ descriptor: Int32) throws(Errno) {
        _ = try retryingOnInterrupt { mcx_epoll_remove(rawValue, descriptor) }
    }

    /// Waits until a watched descriptor is ready, or `timeoutMilliseconds` pass (-1: forever,
    /// 0: do not wait), and writes the tokens of the ready ones to `tokens` (at most 256).
    /// The corresponding C call is `epoll_wait(2)`.
    ///
    /// A signal ends the wait early and counts as a timeout (returns 0) rather than being
    /// retried, so a caller with a deadline recomputes it instead of waiting the full time again.
    /// - Returns: how many tokens were written.
    package func wait(into tokens: UnsafeMutableBufferPointer<UInt64>, timeoutMilliseconds: Int32) throws(Errno) -> Int {
        guard let base = tokens.baseAddress, !tokens.isEmpty else { return 0 }
        let ready = mcx_epoll_wait(rawValue, base, Int32(clamping: tokens.count), timeoutMilliseconds)
        if ready >= 0 { return Int(ready) }
        let code = lastErrno()
        if code == .interrupted { return 0 }
        throw code
    }

    /// ``wait(into:timeoutMilliseconds:)`` into a fixed-size array the caller keeps on its stack,
    /// so a wait allocates nothing. Returns how many of its first elements were written.
    package func wait<let capacity: Int>(into tokens: inout InlineArray<capacity, UInt64>, timeoutMilliseconds: Int32) throws(Errno) -> Int {
        var span = tokens.mutableSpan
        let ready = span.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(Errno) in try wait(into: buffer, timeoutMilliseconds: timeoutMilliseconds) }
        }
        return try ready.get()
    }

    /// Closes the instance (its watches go with it). The corresponding C call is `close(2)`.
    package func close() {
        closeDescriptor(rawValue)
    }
}
