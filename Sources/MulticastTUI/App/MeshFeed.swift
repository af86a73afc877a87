import MulticastExpert
import MulticastMonitor
import Synchronization

/// The mesh behind the Mesh screen: a ``MeshSession`` (which sends and receives on a thread of
/// its own) watched by a thread of the feed's, which takes its matrix a few times a second into
/// one slot that each snapshot overwrites, as ``IGMPFeed`` does for the IGMP/MLD listener. The
/// UI thread only takes what is in the slot, so it never waits for the session's lock, and
/// stopping (which joins the session's thread) happens on the feed's thread, not the UI's.
final class MeshFeed: Sendable {
    /// The latest snapshot, taken by the UI thread.
    let latest = Mutex<MeshSnapshot?>(nil)
    /// Set by Enter on the running mesh (and at quit): the thread stops the session.
    let stop = Atomic<Bool>(false)
    /// Whether a session is open, from its opening until its thread has stopped it; a new mesh
    /// cannot start before.
    let running = Atomic<Bool>(false)

    /// How often the thread takes the matrix, nanoseconds.
    static let snapshotInterval: Int64 = 250_000_000
    /// How often it looks at ``stop`` between two snapshots, nanoseconds.
    static let stopCheckInterval: Int64 = 50_000_000

    /// Opens the session a request describes (in the calling thread's network namespace) and
    /// marks the feed running; nothing is sent before ``run(_:request:)``.
    /// - Throws: ``MeshStartError``: the session's ``MulticastError`` (a bad interface, the
    ///   kernel's refusal), or that the last mesh still runs or is stopping.
    func open(_ request: MeshRequest) throws(MeshStartError) -> MeshSession {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { throw .stillRunning }
        do {
            let session = try MeshSession(request.sessionOptions)
            stop.store(false, ordering: .relaxed)
            latest.withLock { $0 = nil }
            return session
        } catch {
            running.store(false, ordering: .releasing)
            throw .session(error)
        }
    }

    /// Undoes ``open(_:)`` when the feed's thread could not be started.
    func abandon(_ session: MeshSession) {
        session.stop()
        running.store(false, ordering: .releasing)
    }

    /// The thread's loop: starts the session, takes its matrix every ``snapshotInterval`` until
    /// ``stop`` is set, then stops the session and leaves its last matrix, marked stopped.
    func run(_ session: MeshSession, request: MeshRequest) {
        let start = monotonicNanoseconds()
        var startFailure: MulticastError?
        do { try session.start() } catch { startFailure = error }
        var next = start
        while startFailure == nil && !stop.load(ordering: .relaxed) {
            let now = monotonicNanoseconds()
            if now >= next {
                publish(Self.snapshot(session, request: request, running: true, since: start))
                next = now.addingSaturating(Self.snapshotInterval)
            }
            sleepUntil(monotonicNanoseconds: min(next, now.addingSaturating(Self.stopCheckInterval)))
        }
        session.stop()
        var last = Self.snapshot(session, request: request, running: false, since: start)
        if let startFailure {
            last.failures &+= 1
            last.latestFailure = "could not start: \(startFailure)"
        }
        publish(last)
        running.store(false, ordering: .releasing)
    }

    /// The snapshot waiting for the UI thread, if any (taking it empties the slot).
    func take() -> MeshSnapshot? { latest.withLock { snapshot in defer { snapshot = nil }; return snapshot } }

    private func publish(_ snapshot: MeshSnapshot) { latest.withLock { $0 = snapshot } }

    /// The session as a snapshot now.
    static func snapshot(_ session: MeshSession, request: MeshRequest, running: Bool, since start: Int64) -> MeshSnapshot {
        let failures = session.failures
        return MeshSnapshot(request: request, matrix: session.matrix(), running: running, interfaceName: session.interface.name,
                            sourceAddress: session.sourceAddress, elapsedNanoseconds: max(monotonicNanoseconds().subtractingSaturating(start), 0),
                            intervalNanoseconds: session.configuration.intervalNanoseconds, failures: failures.count,
                            latestFailure: failures.latest.map { "\($0)" })
    }
}

/// Why a mesh did not start.
enum MeshStartError: Error, CustomStringConvertible {
    /// The last mesh is still running or stopping.
    case stillRunning
    /// Its socket could not be opened or joined.
    case session(MulticastError)

    var description: String {
        switch self {
        case .stillRunning: "the last mesh is still stopping; try again in a moment"
        case .session(let error): "\(error)"
        }
    }
}
