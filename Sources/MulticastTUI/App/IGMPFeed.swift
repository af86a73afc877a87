import MulticastDoctor
import MulticastExpert
import Synchronization

/// The IGMP/MLD listener behind the IGMP/MLD screen and the Interfaces screen's QUERIER column:
/// the same ``IGMPListener`` and ``IGMPState`` as `mcexpert igmp`, on a thread of its own for
/// as long as the app runs. What it heard goes into one slot that each report overwrites, so
/// however long the UI thread is busy, one state waits for it (the state itself is bounded by
/// ``IGMPLimits``).
final class IGMPFeed: Sendable {
    /// The latest report, taken by the UI thread.
    let latest = Mutex<IGMPReport?>(nil)
    let stop = Atomic<Bool>(false)
    /// Set by `r`: the thread starts a new state.
    let reset = Atomic<Bool>(false)

    /// How often the thread reports (its state advanced to then, and the findings then), nanoseconds.
    static let reportInterval: Int64 = 500_000_000
    /// How often it reads the host's addresses, routes, memberships and sysctls again, nanoseconds:
    /// a join shows as this host's own report, and a group joined since is expected in answers.
    static let factsInterval: Int64 = 1_000_000_000

    /// Opens the listener on every interface, asking the up non-loopback ones to pass up all
    /// multicast frames so other hosts' reports reach it on cards that filter multicast (as
    /// `mcexpert igmp` does); where that cannot be set, it listens without.
    static func open() throws(MulticastError) -> IGMPListener {
        let table = try? InterfaceTable.current()
        let allMulticast = Set((table?.interfaces ?? []).filter { !$0.isLoopback && $0.isUp }.map { Int($0.index) })
        do {
            return try IGMPListener(interfaces: nil, allMulticastOn: allMulticast)
        } catch {
            if case .permissionDenied = error { throw error }
            return try IGMPListener(interfaces: nil)
        }
    }

    /// Why the listener could not open, as the screen says it.
    static func reason(_ error: MulticastError) -> String {
        if case .permissionDenied = error { return "not listening: hearing IGMP/MLD needs CAP_NET_RAW (run as root)" }
        return "not listening: \(error)"
    }

    /// The thread's loop: records every message and rejection, reads the host's facts every
    /// second, reports twice a second, until ``stop`` is set; then closes the listener.
    func run(_ listener: IGMPListener) {
        let start = monotonicNanoseconds()
        var state = IGMPState(startedAt: start, host: (try? IGMPHostFacts.current()) ?? IGMPHostFacts())
        var nextFacts = start.addingSaturating(Self.factsInterval)
        var nextReport = start
        while !stop.load(ordering: .relaxed) {
            if reset.exchange(false, ordering: .relaxed) {
                let now = monotonicNanoseconds()
                state = IGMPState(startedAt: now, host: state.host)
                nextReport = now
            }
            // Waits at most 200 ms for a frame, so stop and reset are seen within that.
            listener.receive(until: nextReport) { state.record($0) }
            let now = monotonicNanoseconds()
            if now >= nextFacts {
                if let facts = try? IGMPHostFacts.current() { state.host = facts }
                nextFacts = now.addingSaturating(Self.factsInterval)
            }
            if now >= nextReport {
                state.advance(to: now)
                let report = IGMPReport(state: state, findings: state.findings(at: now))
                latest.withLock { $0 = report }
                nextReport = now.addingSaturating(Self.reportInterval)
            }
        }
        listener.close()
    }

    /// The report waiting for the UI thread, if any (taking it empties the slot).
    func take() -> IGMPReport? { latest.withLock { report in defer { report = nil }; return report } }
}

/// Hands the listener to its thread.
final class ListenerBox: @unchecked Sendable {
    let listener: IGMPListener
    init(_ listener: IGMPListener) { self.listener = listener }
}
