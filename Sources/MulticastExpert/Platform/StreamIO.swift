#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes on the descriptors a command-line tool talks through (stdin, stdout,
/// stderr): one call each, with EINTR handed back to the caller instead of retried, because a
/// tool that is asked to stop (Ctrl-C) must be able to give up a read or write that waits.
package enum StreamIO {
    /// What one `read` or `write` did.
    package enum Outcome: Equatable {
        /// This many bytes moved (a read of 0 bytes is the end of input).
        case transferred(Int)
        /// A signal arrived first; nothing moved.
        case interrupted
        /// The call failed with this errno; the descriptor is no use any more.
        case failed(Int32)
    }

    /// Reads what is there, up to the buffer's size; blocks until something is.
    /// The corresponding C call is `read(2)`.
    package static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Outcome {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .transferred(0) }
        let count = Glibc.read(descriptor, base, buffer.count)
        if count >= 0 { return .transferred(count) }
        return errno == EINTR ? .interrupted : .failed(errno)
    }

    /// Writes what the descriptor takes of `buffer` (all of it, for a blocking descriptor, unless
    /// a signal interrupts). The corresponding C call is `write(2)`.
    package static func write(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Outcome {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .transferred(0) }
        let count = Glibc.write(descriptor, base, buffer.count)
        if count >= 0 { return .transferred(count) }
        return errno == EINTR ? .interrupted : .failed(errno)
    }

    /// Waits up to `timeoutMilliseconds` for `descriptor` to take a write without blocking
    /// (a pipe with room for PIPE_BUF bytes); false on timeout, error or a signal.
    /// The corresponding C call is `poll(2)`.
    package static func waitWritable(_ descriptor: Int32, timeoutMilliseconds: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        return poll(&entry, 1, timeoutMilliseconds) > 0 && entry.revents & Int16(POLLOUT) != 0
    }
}
