#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// Starts plain OS threads for work that waits in system calls (poll, epoll, sleep) and so must
/// not occupy Swift concurrency's cooperative pool. Shared by the async datagram stream, the
/// monitor's receive loop and the TUI's background jobs.
package enum OSThread {
    /// Runs `body` on a new thread. Returns the thread to join, or nil for a detached one.
    /// - Throws: the errno of `pthread_create(3)` when no thread could be made.
    @discardableResult
    package static func start(detached: Bool, _ body: @escaping @Sendable () -> Void) throws(Errno) -> pthread_t? {
        final class Job: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let job = Unmanaged.passRetained(Job(body))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            job.body()
            return nil
        }, job.toOpaque())
        guard result == 0 else {
            job.release()
            throw Errno(rawValue: result)
        }
        if detached {
            pthread_detach(thread)
            return nil
        }
        return thread
    }
}
