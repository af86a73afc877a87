#if canImport(Glibc)
import Glibc
#endif
import CNcurses

/// Leaves curses mode when the process dies of a fatal signal, as htop's crash handler does, so
/// even a bug nobody found never leaves the user with a terminal that echoes nothing.
///
/// The handler restores the terminal (`endwin`), writes a short report to stderr, puts back the
/// handler that was there before (Swift's backtracer, or the default) and re-raises the signal,
/// so the crash is still reported, with its backtrace, on a terminal that works again.
enum FatalSignalGuard {
    /// The signals a bug ends a process with.
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS]

    /// Installs the handlers; the actions they replace are kept to be restored.
    static func install() {
        guard previousActions == nil else { return }
        let saved = UnsafeMutablePointer<sigaction>.allocate(capacity: signals.count)
        saved.initialize(repeating: sigaction(), count: signals.count)
        for (i, signal) in signals.enumerated() {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = fatalSignalHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(bitPattern: UInt32(SA_RESETHAND) | UInt32(SA_NODEFER))
            sigaction(signal, &action, saved + i)
        }
        previousActions = saved
    }

    /// Puts the earlier handlers back (the TUI has left curses mode by itself).
    static func uninstall() {
        guard let saved = previousActions else { return }
        for (i, signal) in signals.enumerated() { sigaction(signal, saved + i, nil) }
        previousActions = nil
        saved.deallocate()
    }

    /// The handlers in place before ours, in the order of ``signals``; written only before the
    /// handlers are installed and after they are removed, read by the handler.
    nonisolated(unsafe) static var previousActions: UnsafeMutablePointer<sigaction>?
}

/// Restores the terminal, reports, and hands the signal on. Only async-signal-tolerant calls:
/// `endwin` (what htop does too), `write`, `sigaction`, `raise`. Should the earlier handler
/// return (Swift's backtracer does for a signal sent with kill), the default action ends the process.
private func fatalSignalHandler(_ signal: Int32) {
    endwin()
    let message: StaticString = "\nmcexpert: the terminal UI crashed (fatal signal); the terminal has been restored.\nPlease report this with the lines below and what you were doing to the mcexpert developers.\n"
    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
    if let saved = FatalSignalGuard.previousActions, let i = FatalSignalGuard.signals.firstIndex(of: signal) {
        sigaction(signal, saved + i, nil)
        raise(signal)  // the earlier handler (Swift's backtracer) reports the crash
    }
    // Whatever the earlier handler did, the process must not carry on: die of the signal.
    var fallback = sigaction()
    fallback.__sigaction_handler.sa_handler = SIG_DFL
    sigaction(signal, &fallback, nil)
    raise(signal)
}
