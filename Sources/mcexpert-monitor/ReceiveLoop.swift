import MulticastExpert
import MulticastMonitor
import Synchronization

/// The engine's receive loop on a thread of its own, with a heartbeat `/healthz` reads: the
/// loop wakes at least every 250 ms, so a heartbeat older than ``stallNanoseconds`` means it is stuck.
final class ReceiveLoop: Sendable {
    /// How old the heartbeat may be before the loop counts as stalled.
    static let stallNanoseconds: Int64 = 5_000_000_000

    private let monitor: Monitor
    private let heartbeat = Atomic<Int64>(0)
    private let running = Atomic<Bool>(false)
    private let thread = Mutex<JoinableThread?>(nil)

    init(monitor: Monitor) { self.monitor = monitor }

    /// Starts the thread.
    /// - Throws: when no thread can be made.
    func start() throws {
        heartbeat.store(monotonicNanoseconds(), ordering: .relaxed)
        running.store(true, ordering: .relaxed)
        let started = try JoinableThread.start { [self] in
            while running.load(ordering: .relaxed) {
                heartbeat.store(monotonicNanoseconds(), ordering: .relaxed)
                do {
                    try monitor.poll(timeout: .milliseconds(250))
                } catch {
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
