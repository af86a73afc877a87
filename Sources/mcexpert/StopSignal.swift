#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM end `listen` and `send` cleanly: the handler only sets a flag,
/// and the command's loop (which never waits longer than a fraction of a second) sees it and
/// prints its summary.
enum StopSignal {
    private static let requested = Atomic<Bool>(false)

    /// Installs the handlers (without SA_RESTART, so waits return early).
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in StopSignal.requested.store(true, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent may have started us with these signals blocked (the mask is inherited).
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Whether a stop was asked for.
    static var isRequested: Bool { requested.load(ordering: .relaxed) }
}
