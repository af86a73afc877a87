#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// An OS thread that someone waits for when it is done: the monitor's receive loop, which
/// ``join()`` reclaims when the monitor stops. Made with ``OSThread``.
package struct JoinableThread: @unchecked Sendable {
    // pthread_t is a plain integer on Linux and a pointer on Darwin; either way the handle itself
    // may be passed between threads, which is all this type does with it.
    private let handle: pthread_t

    /// Runs `body` on a new thread. The corresponding C call is `pthread_create(3)`.
    /// - Throws: the errno of `pthread_create(3)` when no thread could be made.
    package static func start(_ body: @escaping @Sendable () -> Void) throws(Errno) -> JoinableThread {
        guard let handle = try OSThread.start(detached: false, body) else { throw Errno.invalidArgument }
        return JoinableThread(handle: handle)
    }

    /// Whether the calling thread is this one (which must not join itself).
    /// The corresponding C call is `pthread_equal(pthread_self())`.
    package var isCurrent: Bool {
        pthread_equal(handle, pthread_self()) != 0
    }

    /// Waits for the thread to end and releases it. Call once. The corresponding C call is `pthread_join(3)`.
    package func join() {
        _ = pthread_join(handle, nil)
    }
}
