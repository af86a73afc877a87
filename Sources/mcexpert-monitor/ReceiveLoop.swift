import MulticastExpert
import MulticastMonitor
import Synchronization

/// The engine's receive loop on a thread of its own, with a heartbeat `/healthz` reads: the
/// loop wakes at least every 250 ms, so a heartbeat older than ``stallNanoseconds`` means it is
/// stuck. Only a poll that succeeded beats: a loop that goes round failing every poll is not
/// receiving, and `/healthz` must not say it is; each failure is handed to `onFailure`.
final class ReceiveLoop: Sendable {
    /// How old the heartbeat may be before the loop counts as stalled.
    static let stallNanoseconds: Int64 = 5_000_000_000

    private let monitor: Monitor
    private let heartbeat = Atomic<Int64>(0)
    private let running = Atomic<Bool>(false)
    private let thread = Mutex<JoinableThread?>(nil)
    private let onFailure: @Sendable (any Error) -> Void

    /// A loop over `monitor`; `onFailure` is told of every poll that failed (on the loop's thread).
    init(monitor: Monitor, onFailure: @escaping @Sendable (any Error) -> Void) {
        self.monitor = monitor
        self.onFailure = onFailure
    }

    /// Starts the thread.
    /// - Throws: when no thread can be made.
    func start() throws {
        heartbeat.store(monotonicNanoseconds(), ordering: .relaxed)
        running.store(true, ordering: .relaxed)
        let started = try JoinableThread.start { [self] in
            while running.load(ordering: .relaxed) {
                do {
                    try monitor.poll(timeout: .milliseconds(250))
                    heartbeat.store(monotonicNanoseconds(), ordering: .relaxed)
                } catch {
                    onFailure(error)
                    sleepUntil(monotonicNanoseconds: monotonicNanoseconds().addingSaturating(100_000_000))
                }
            }
        }
        thread.withLock { $0 = started }
    }

    /// Whether the loop went round recently.
    var isAlive: Bool {
        running.load(ordering: .relaxed)
            && monotonicNanoseconds().subtractingSaturating(heartbeat.load(ordering: .relaxed)) < Self.stallNanoseconds
    }

    /// Stops the thread and waits for it.
    func stop() {
        running.store(false, ordering: .relaxed)
        monitor.wake()
        let joined = thread.withLock { slot in defer { slot = nil }; return slot }
        joined?.join()
    }
}
