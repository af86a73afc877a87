import MulticastDoctor
import MulticastExpert
import MulticastMonitor
import MulticastStreamList
import Synchronization

/// Starts the thread a background job runs on; throws when no thread could be made.
typealias ThreadStarter = @Sendable (_ body: @escaping @Sendable () -> Void) throws -> Void

/// The TUI's controller: owns the engine and the terminal, turns keys, timer ticks and
/// background reports into events, and hands each to ``dispatch(_:)``, which lets ``AppState``
/// change and carries out every effect it returns. The controller never changes the state
/// itself. Slow work (the doctor, the sender, the IGMP/MLD listener) runs on threads of its
/// own and reports back through an inbox, so drawing never waits for the network.
public final class TUIApp {
    private(set) var state: AppState
    private let monitor: Monitor
    private let options: TUIOptions
    private let shared = SharedState()
    private let startThread: ThreadStarter

    public convenience init(options: TUIOptions) throws(MulticastError) {
        try self.init(options: options, startThread: { body in try OSThread.start(detached: true, body) })
    }

    /// An app whose background jobs start their threads with `startThread` (tests pass one that fails).
    init(options: TUIOptions, startThread: @escaping ThreadStarter) throws(MulticastError) {
        self.options = options
        self.startThread = startThread
        // 1400 bytes keep a whole RTP-TS datagram (12 + 7 × 188), so the inspector decodes every
        // TS packet in it; 32 of them per stream keep 1024 such streams under 50 MB.
        monitor = try Monitor(limits: StatisticsLimits(maxSourcesPerStream: 64, capturedDatagramsPerStream: 32, captureLength: 1400),
                              receiveBufferBytes: Monitor.defaultReceiveBufferBytes)
        state = AppState(hostName: Self.hostName(), privileged: PacketSocket.isPermitted())
    }

    /// Runs until the user quits. Returns when the terminal has been restored.
    public func run() throws(TUIError) {
        let terminal = try TerminalScreen(mouse: options.mouse)
        defer { terminal.close() }
        let size = terminal.size
        dispatch(.resize(width: size.width, height: size.height))
        dispatch(.launched(options))
        if let granted = monitor.smallestReceiveBufferGranted {
            dispatch(.receiveBufferGranted(ReceiveBufferGrant(requested: Monitor.defaultReceiveBufferBytes, reported: granted)))
        }
        monitor.start()
        defer {
            shared.senderStop.store(true, ordering: .relaxed)
            shared.igmp.stop.store(true, ordering: .relaxed)
            shared.mesh.stop.store(true, ordering: .relaxed)
            monitor.stop()
        }
        var nextTick = Int64(0)
        var nextInterfaces = monotonicNanoseconds() + 5_000_000_000
        var lastError: String?
        terminal.draw(Renderer.render(state, glyphs: terminal.glyphs, now: .now))
        while !state.quitRequested {
            var dirty = false
            if let input = terminal.read(timeoutMilliseconds: 100) {
                switch input {
                case .key(let key): dispatch(.key(key))
                case .mouse(let mouse): dispatch(.mouse(mouse))
                case .resize(let width, let height): dispatch(.resize(width: width, height: height))
                }
                dirty = true
            }
            if let size = terminal.catchUpWithSize() {
                dispatch(.resize(width: size.width, height: size.height))
                dirty = true
            }
            let now = monotonicNanoseconds()
            if now >= nextTick {
                let snapshot = monitor.snapshot()
                dispatch(.snapshot(snapshot))
                if let error = snapshot.lastError, error != lastError {
                    lastError = error
                    dispatch(.failed("receive: \(error)"))
                }
                nextTick = now + 500_000_000
                dirty = true
            }
            if now >= nextInterfaces {
                dispatch(.interfacesStale)
                nextInterfaces = now + 5_000_000_000
            }
            for event in shared.inbox.withLock({ events -> [Event] in defer { events = [] }; return events }) {
                dispatch(event)
                dirty = true
            }
            if let report = shared.igmp.take() {
                dispatch(.igmp(report))
                dirty = true
            }
            if let snapshot = shared.mesh.take() {
                dispatch(.mesh(snapshot))
                dirty = true
            }
            if dirty { terminal.draw(Renderer.render(state, glyphs: terminal.glyphs, now: .now)) }
        }
    }

    /// Applies an event, then carries out the effects it returned and applies the events those
    /// produce, in order, until none remain. The only place the app changes its state.
    func dispatch(_ event: Event) {
        var events = [event]
        while !events.isEmpty {
            let next = events.removeFirst()
            for effect in state.handle(next) { events += perform(effect) }
        }
    }

    /// Carries out one effect; returns the events that report how it went.
    private func perform(_ effect: Effect) -> [Event] {
        switch effect {
        case .join(let subscription):
            do {
                return [.joined(try monitor.subscribe(subscription), subscription)]
            } catch {
                return [.failed("join failed: \(error)")]
            }
        case .leave(let id):
            monitor.unsubscribe(id)
            return []
        case .runDoctor(let interfaces, let groups, let receiving):
            let request = DoctorRequest(interfaces: interfaces.map { InterfaceSpecifier($0) }, groups: groups,
                                        querierWait: state.privileged ? .seconds(3) : .zero)
            return runInBackground(.doctor) { [shared] in
                do { shared.post(.doctorFinished(try Doctor.examine(request, receiving: receiving))) } catch { shared.post(.doctorFailed("\(error)")) }
            }
        case .refreshMemberships:
            return [.memberships(MembershipFiles.current())]
        case .startIGMPListener:
            return startIGMPListener()
        case .resetIGMP:
            shared.igmp.reset.store(true, ordering: .relaxed)
            return []
        case .refreshInterfaces:
            guard let table = try? InterfaceTable.current() else { return [] }
            var gateways: Set<UInt32> = []
            for family in AddressFamily.allCases { if let gw = try? table.defaultGatewayInterface(for: family) { gateways.insert(gw.index) } }
            return [.interfaces(table, defaultGateways: gateways)]
        case .startSender(let request):
            return startSender(request)
        case .stopSender:
            shared.senderStop.store(true, ordering: .relaxed)
            return []
        case .startMesh(let request):
            return startMesh(request)
        case .stopMesh:
            shared.mesh.stop.store(true, ordering: .relaxed)
            return []
        case .saveStreams(let path, let list, let overwrite):
            do {
                let written = try StreamListFile.save(list, path: path, overwrite: overwrite)
                return [written ? .streamsSaved(path: path, count: list.streams.count) : .streamsFileExists(path: path)]
            } catch {
                return [.failed(error.description)]
            }
        case .quit:
            return []
        }
    }

    /// Opens the sender's socket and starts its thread; the events say whether it runs.
    private func startSender(_ request: SendRequest) -> [Event] {
        guard !shared.senderRunning.load(ordering: .acquiring) else {
            return [.failed("a sender is already running; stop it first")]
        }
        let socket: McastTxSocket
        do {
            socket = try McastTxSocket(groups: [request.group], interface: request.interface)
        } catch {
            return [.sender(SenderStatus(request: request, sent: 0, running: false, error: error.description))]
        }
        shared.senderStop.store(false, ordering: .relaxed)
        shared.senderRunning.store(true, ordering: .releasing)
        let box = SocketBox(socket)
        let failure = runInBackground(.sender(request)) { [shared] in
            let sender = PacedSender(socket: box.socket, group: request.group, port: request.port, rate: .perSecond(request.rate), payload: .probe, size: 64)
            var lastReport = Int64(0)
            var total: UInt64 = 0
            var failure: String?
            do {
                _ = try sender.run(shouldStop: { shared.senderStop.load(ordering: .relaxed) }, progress: { sent in
                    total = sent
                    let now = monotonicNanoseconds()
                    if now - lastReport > 250_000_000 {
                        lastReport = now
                        shared.post(.sender(SenderStatus(request: request, sent: sent, running: true)))
                    }
                })
            } catch {
                failure = "\(error)"
            }
            shared.senderRunning.store(false, ordering: .releasing)
            shared.post(.sender(SenderStatus(request: request, sent: total, running: false, error: failure)))
        }
        guard failure.isEmpty else {
            shared.senderRunning.store(false, ordering: .releasing)
            return failure
        }
        // Dispatched before the inbox is next read, so this comes before any report from the thread.
        return [.sender(SenderStatus(request: request, sent: 0, running: true))]
    }

    /// Opens the mesh's session and starts the feed's thread; the events say whether it runs.
    private func startMesh(_ request: MeshRequest) -> [Event] {
        let session: MeshSession
        do {
            session = try shared.mesh.open(request)
        } catch {
            return [.meshFailed(error.description)]
        }
        let failure = runInBackground(.mesh(request)) { [shared] in shared.mesh.run(session, request: request) }
        guard failure.isEmpty else {
            shared.mesh.abandon(session)
            return failure
        }
        // Dispatched before the inbox is next read, so the screen shows the mesh at once.
        return [.mesh(MeshFeed.snapshot(session, request: request, running: true, since: monotonicNanoseconds()))]
    }

    /// Opens the IGMP/MLD listener and starts its thread; the events say why it does not run.
    private func startIGMPListener() -> [Event] {
        let listener: IGMPListener
        do {
            listener = try IGMPFeed.open()
        } catch {
            return [.igmpUnavailable(IGMPFeed.reason(error))]
        }
        let box = ListenerBox(listener)
        let failure = runInBackground(.igmpListener) { [shared] in shared.igmp.run(box.listener) }
        if !failure.isEmpty { listener.close() }
        return failure
    }

    /// Runs a job on a thread of its own; returns the event reporting that no thread could be
    /// started (the job then never runs), or nothing.
    private func runInBackground(_ job: BackgroundJob, _ body: @escaping @Sendable () -> Void) -> [Event] {
        do {
            try startThread(body)
            return []
        } catch {
            return [.threadFailed(job, reason: "\(error)")]
        }
    }

    /// This host's name, for the header.
    private static func hostName() -> String { HostName.current() }
}

/// What the UI thread shares with the background threads.
private final class SharedState: Sendable {
    let inbox = Mutex<[Event]>([])
    let senderStop = Atomic<Bool>(false)
    let senderRunning = Atomic<Bool>(false)
    let igmp = IGMPFeed()
    let mesh = MeshFeed()

    func post(_ event: Event) { inbox.withLock { $0.append(event) } }
}

/// Hands a sender socket to its thread.
private final class SocketBox: @unchecked Sendable {
    let socket: McastTxSocket
    init(_ socket: McastTxSocket) { self.socket = socket }
}
