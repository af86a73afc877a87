#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGHUP asks for a reload of the stream list; SIGINT and SIGTERM for a clean stop. The
/// handlers only set flags; the main loop, which never waits longer than 200 ms, acts on them.
enum MonitorSignals {
    private static let reload = Atomic<Bool>(false)
    private static let stop = Atomic<Bool>(false)

    /// Installs the handlers (without SA_RESTART, so waits return early) and unblocks the signals
    /// a parent may have blocked.
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            if signal == SIGHUP {
                MonitorSignals.reload.store(true, ordering: .relaxed)
            } else {
                MonitorSignals.stop.store(true, ordering: .relaxed)
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        for signal in [SIGHUP, SIGINT, SIGTERM] { sigaction(signal, &action, nil) }
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGHUP, SIGINT, SIGTERM] { sigaddset(&unblock, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Whether a reload was asked for since the last call (taking it clears it).
    static func takeReload() -> Bool { reload.exchange(false, ordering: .relaxed) }

    /// Whether a stop was asked for.
    static var isStopRequested: Bool { stop.load(ordering: .relaxed) }
}
