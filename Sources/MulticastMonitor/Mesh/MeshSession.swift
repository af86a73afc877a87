import MulticastExpert
import Synchronization
import SystemPackage

/// What a mesh session joins, sends and calls itself.
public struct MeshSessionOptions: Sendable, Hashable {
    /// The group every participant sends to and listens on (IPv4 or IPv6, any-source).
    public var group: MulticastGroup
    /// The UDP port.
    public var port: UInt16
    /// The interface to join and send on, by name, index or address.
    public var interface: InterfaceSpecifier
    /// This participant's name in everyone's matrix (UTF-8, cut to 32 bytes). Default: the host name.
    public var name: String?
    /// Beacons per second. Default 5: a lost beacon shows within a fifth of a second, a peer
    /// that stops is gone after a second, and 50 participants cost 250 small datagrams a second.
    public var beaconsPerSecond: Double
    /// TTL / hop limit of the beacons. Default 1: they stay on the link; crossing a router needs more.
    public var ttl: Int
    /// Join the group (default true). False makes a send-only participant: it is heard but
    /// hears nobody, and a snooping switch stops forwarding the group to its port.
    public var join: Bool
    /// This run's id; default random (a restart is then a new run).
    public var runID: UInt64?
    /// Send this many beacons (attempts, whether the kernel took them or not), then only listen;
    /// nil (the default) sends until ``MeshSession/stop()``. `mesh --count` uses it so the count
    /// is of beacons, not of time.
    public var beaconLimit: UInt64?

    /// Makes options; see each property for its default.
    public init(group: MulticastGroup, port: UInt16, interface: InterfaceSpecifier, name: String? = nil, beaconsPerSecond: Double = 5,
                ttl: Int = 1, join: Bool = true, runID: UInt64? = nil, beaconLimit: UInt64? = nil) {
        self.group = group
        self.port = port
        self.interface = interface
        self.name = name
        self.beaconsPerSecond = beaconsPerSecond
        self.ttl = ttl
        self.join = join
        self.runID = runID
        self.beaconLimit = beaconLimit
    }
}

/// A running participant of an all-pairs multicast test: one socket joined to the group on one
/// interface, a thread that sends a beacon every interval and takes in every datagram that
/// arrives, and a ``MeshState`` behind a lock, so the CLI or the TUI can ask for the matrix
/// from any thread at any time.
///
/// ```swift
/// let session = try MeshSession(MeshSessionOptions(group: group, port: 5000, interface: "eth0"))
/// session.start()
/// let matrix = session.matrix()   // any thread, any time
/// session.stop()
/// ```
///
/// The socket's own beacons come back to it (multicast loopback on): they are not a peer, but
/// the matrix shows "this host hears itself" on its diagonal, which says the socket is joined
/// and delivering.
public final class MeshSession: Sendable {
    /// Who this participant is in everyone's matrix.
    public let configuration: MeshConfiguration
    /// The options it was opened with.
    public let options: MeshSessionOptions
    /// The interface joined and sent on.
    public let interface: NetworkInterface
    /// The address beacons leave from.
    public let sourceAddress: IPAddress?

    private let state: Mutex<MeshState>
    private let socket: SocketBox
    private let stopRequested = Atomic<Bool>(false)
    private let runner = Mutex<Runner>(.notStarted)
    private let problems = Mutex<SessionProblems>(SessionProblems())
    private let attempts = Atomic<UInt64>(0)

    /// Opens and joins (in the calling thread's network namespace); nothing is sent before ``start()``.
    /// - Throws: ``MulticastError`` for a bad interface, a TTL out of 0...255, or the kernel's refusal.
    public init(_ options: MeshSessionOptions) throws(MulticastError) {
        let socket = try McastPeerSocket(group: options.group, port: options.port, interface: options.interface, ttl: options.ttl, join: options.join)
        let rate = options.beaconsPerSecond.isFinite && options.beaconsPerSecond > 0 ? options.beaconsPerSecond : 5
        var runID = options.runID ?? UInt64.random(in: 1...UInt64.max)
        if runID == 0 { runID = 1 }
        configuration = MeshConfiguration(runID: runID, name: Array((options.name ?? HostName.current()).utf8),
                                          intervalNanoseconds: Int64(saturating: 1e9 / rate), isSendOnly: !options.join)
        self.options = options
        interface = socket.interface
        sourceAddress = socket.sourceAddress
        self.socket = SocketBox(socket)
        state = Mutex(MeshState(configuration: configuration))
    }

    deinit {
        stop()
    }

    /// Starts sending and receiving on a thread of its own. Calling it again does nothing. The
    /// thread keeps the session alive until ``stop()``: call it when done.
    /// - Throws: ``MulticastError`` when no thread could be made.
    public func start() throws(MulticastError) {
        let result = runner.withLock { state -> Result<Void, MulticastError> in
            guard case .notStarted = state, !stopRequested.load(ordering: .relaxed) else { return .success(()) }
            do throws(Errno) {
                state = .running(try JoinableThread.start { [self] in
                    run()
                    socket.close()  // the thread that used the socket closes it, after its last use
                })
                return .success(())
            } catch {
                return .failure(.system(operation: "start the mesh thread", errno: error))
            }
        }
        try result.get()
    }

    /// Stops the thread and closes the socket (leaving the group). Calling it again, from any
    /// thread, does nothing (the first call waits for the thread); the matrix stays readable.
    ///
    /// The socket is closed by the run thread as it ends, or here when no thread was started,
    /// never while the thread may still be in a send or receive (where a closed, reused
    /// descriptor would be someone else's).
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        let previous = runner.withLock { state -> Runner in
            defer { state = .stopped }
            return state
        }
        switch previous {
        case .notStarted: socket.close()
        case .running(let thread): if !thread.isCurrent { thread.join() }
        case .stopped: break
        }
    }

    /// Who hears whom, now. Safe from any thread.
    public func matrix() -> MeshMatrix {
        let now = monotonicNanoseconds()
        return state.withLock { $0.matrix(now: now) }
    }

    /// How many beacons the run thread tried to send so far (sent or failed).
    public var beaconsAttempted: UInt64 { attempts.load(ordering: .acquiring) }

    /// Whether ``MeshSessionOptions/beaconLimit`` beacons were tried (never, without a limit).
    public var hasSentAllBeacons: Bool {
        guard let limit = options.beaconLimit else { return false }
        return beaconsAttempted >= limit
    }

    /// The latest send or receive failure (e.g. no route for the group), and how many there were.
    public var failures: (count: UInt64, latest: MulticastError?) {
        problems.withLock { ($0.count, $0.latest) }
    }

    // MARK: - The loop

    private func run() {
        let interval = configuration.intervalNanoseconds
        var nextSend = monotonicNanoseconds()
        while !stopRequested.load(ordering: .relaxed) {
            var now = monotonicNanoseconds()
            if now >= nextSend && !hasSentAllBeacons {
                sendBeacon(now: now)
                nextSend = nextSend.addingSaturating(interval)
                if nextSend <= now { nextSend = now.addingSaturating(interval) }  // fell behind: do not burst
            }
            now = monotonicNanoseconds()
            let wait = hasSentAllBeacons ? 100 : Int32(clamping: max(1, min((nextSend - now) / 1_000_000, 100)))
            receiveWaiting(timeoutMilliseconds: wait)
        }
    }

    private func sendBeacon(now: Int64) {
        let beacon = state.withLock { $0.makeBeacon(sendTime: .now, now: now) }
        var sent = true
        do {
            try socket.send(beacon.encoded())
        } catch {
            sent = false
            note(error)
        }
        state.withLock { $0.noteBeaconSent(sent) }
        attempts.add(1, ordering: .releasing)
    }

    /// Takes in what arrived, waiting up to `timeoutMilliseconds` for the first; at most 256 per
    /// call, so a flood cannot starve the beacons.
    private func receiveWaiting(timeoutMilliseconds: Int32) {
        var timeout = timeoutMilliseconds
        for _ in 0..<256 {
            let datagram: PeerDatagram?
            do {
                datagram = try socket.receive(timeoutMilliseconds: timeout)
            } catch {
                note(error)
                return
            }
            guard let datagram else { return }
            timeout = 0
            let now = monotonicNanoseconds()
            state.withLock {
                $0.receive(payload: datagram.payload, from: datagram.source.address, hopLimit: datagram.hopLimit, receivedAt: datagram.receivedAt, now: now)
            }
        }
    }

    private func note(_ error: MulticastError) {
        problems.withLock {
            $0.count &+= 1
            $0.latest = error
        }
    }
}

/// Where a session's run thread is.
private enum Runner {
    case notStarted
    case running(JoinableThread)
    case stopped
}

/// Failures counted by a session.
private struct SessionProblems {
    var count: UInt64 = 0
    var latest: MulticastError?
}

/// The session's socket: used by its one thread while it runs, closed after that thread ended.
private final class SocketBox: @unchecked Sendable {
    private let socket: McastPeerSocket
    private let closed = Mutex<Bool>(false)

    init(_ socket: McastPeerSocket) { self.socket = socket }

    var interface: NetworkInterface { socket.interface }
    var sourceAddress: IPAddress? { socket.sourceAddress }

    func send(_ bytes: [UInt8]) throws(MulticastError) { try socket.send(bytes) }

    func receive(timeoutMilliseconds: Int32) throws(MulticastError) -> PeerDatagram? {
        try socket.receive(timeoutMilliseconds: timeoutMilliseconds)
    }

    func close() {
        closed.withLock { isClosed in
            guard !isClosed else { return }
            isClosed = true
            socket.close()
        }
    }
}
