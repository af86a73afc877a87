#if canImport(Glibc)
import Glibc
#endif
import CMulticastShims
import MulticastDoctor
import MulticastExpert
import MulticastMonitor
import Synchronization

/// How the TUI starts.
public struct TUIOptions: Sendable {
    /// Groups to join at start.
    public var subscriptions: [Subscription]
    /// Start a loopback probe sender and receiver so there is live data at once.
    public var demo: Bool

    public init(subscriptions: [Subscription] = [], demo: Bool = false) {
        self.subscriptions = subscriptions
        self.demo = demo
    }

    /// The demo stream: probes to 239.255.77.1:47000 over lo.
    public static let demoGroup = try! MulticastGroup(parsing: "239.255.77.1")
    public static let demoPort: UInt16 = 47_000
}

/// The TUI's controller: owns the engine and the terminal, turns keys and timer ticks into
/// events for ``AppState``, carries out the effects it returns, and redraws. Slow work (the
/// doctor, the sender) runs on threads of its own and reports back through an inbox, so
/// drawing never waits for the network.
public final class TUIApp {
    private var state: AppState
    private let monitor: Monitor
    private let options: TUIOptions
    private let shared = SharedState()

    public init(options: TUIOptions) throws(MulticastError) {
        self.options = options
        monitor = try Monitor(limits: StatisticsLimits(maxSourcesPerStream: 64, capturedDatagramsPerStream: 64, captureLength: 256),
                              receiveBufferBytes: Monitor.defaultReceiveBufferBytes)
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, 255)
        let hostName = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let probe = mcx_packet_socket()
        if probe >= 0 { close(probe) }
        state = AppState(hostName: hostName, privileged: probe >= 0)
    }

    /// Runs until the user quits. Returns when the terminal has been restored.
    public func run() throws(TUIError) {
        let terminal = try TerminalScreen()
        defer { terminal.close() }
        let size = terminal.size
        _ = state.handle(.resize(width: size.width, height: size.height))
        perform([.refreshInterfaces])
        for subscription in options.subscriptions { perform([.join(subscription)]) }
        if options.demo { startDemo() }
        reportShortReceiveBuffer()
        monitor.start()
        defer {
            shared.senderStop.store(true, ordering: .relaxed)
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
                case .key(let key): perform(state.handle(.key(key)))
                case .resize(let width, let height): _ = state.handle(.resize(width: width, height: height))
                }
                dirty = true
            }
            if let size = terminal.catchUpWithSize() {
                _ = state.handle(.resize(width: size.width, height: size.height))
                dirty = true
            }
            let now = monotonicNanoseconds()
            if now >= nextTick {
                let snapshot = monitor.snapshot()
                _ = state.handle(.snapshot(snapshot))
                if let error = snapshot.lastError, error != lastError {
                    lastError = error
                    _ = state.handle(.failed("receive: \(error)"))
                }
                nextTick = now + 500_000_000
                dirty = true
            }
            if now >= nextInterfaces {
                perform([.refreshInterfaces])
                nextInterfaces = now + 5_000_000_000
            }
            for event in shared.inbox.withLock({ events -> [Event] in defer { events = [] }; return events }) {
                perform(state.handle(event))
                dirty = true
            }
            if dirty { terminal.draw(Renderer.render(state, glyphs: terminal.glyphs, now: .now)) }
        }
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .join(let subscription):
                do {
                    let id = try monitor.subscribe(subscription)
                    _ = state.handle(.joined(id, subscription))
                } catch {
                    _ = state.handle(.failed("join failed: \(error)"))
                }
            case .leave(let id):
                monitor.unsubscribe(id)
            case .runDoctor(let interfaces, let groups):
                let request = DoctorRequest(interfaces: interfaces.map { InterfaceSpecifier($0) }, groups: groups,
                                            querierWait: state.privileged ? .seconds(3) : .zero)
                state.doctorRunning = true
                runInBackground { [shared] in
                    do { shared.post(.doctorFinished(try Doctor.examine(request))) } catch { shared.post(.failed("doctor: \(error)")) }
                }
            case .refreshMemberships:
                _ = state.handle(.memberships(MembershipFiles.current()))
            case .refreshInterfaces:
                if let table = try? InterfaceTable.current() {
                    var gateways: Set<UInt32> = []
                    for family in AddressFamily.allCases { if let gw = try? table.defaultGatewayInterface(for: family) { gateways.insert(gw.index) } }
                    _ = state.handle(.interfaces(table, defaultGateways: gateways))
                }
            case .startSender(let request):
                startSender(request)
            case .stopSender:
                shared.senderStop.store(true, ordering: .relaxed)
            case .quit:
                break
            }
        }
    }

    /// Says once, on the status line, when the kernel granted less receive buffer than asked for
    /// (no CAP_NET_ADMIN and a small net.core.rmem_max), since that is where kernel drops come from.
    private func reportShortReceiveBuffer() {
        guard let granted = monitor.smallestReceiveBufferGranted, granted / 2 < Monitor.defaultReceiveBufferBytes else { return }
        state.status = StatusMessage(text: "receive buffer capped at \(granted / 2 >> 10) KiB per socket by net.core.rmem_max; run as root or raise it for \(Monitor.defaultReceiveBufferBytes >> 20) MiB",
                                     style: .warn)
    }

    private func startDemo() {
        let subscription = Subscription(groups: [TUIOptions.demoGroup], port: TUIOptions.demoPort, interfaces: ["lo"])
        perform([.join(subscription)])
        let request = SendRequest(group: TUIOptions.demoGroup, port: TUIOptions.demoPort, interface: "lo", rate: 20)
        state.sendForm.fields[0].text = GroupSpec.text(request.group, port: request.port)
        state.sendForm.fields[1].text = "lo"
        state.sendForm.fields[2].text = "20"
        startSender(request)
        state.status = StatusMessage(text: "demo: sending probes to 239.255.77.1:47000 on lo and receiving them (press x to see the packets)", style: .ok)
    }

    private func startSender(_ request: SendRequest) {
        guard !shared.senderRunning.load(ordering: .acquiring) else {
            _ = state.handle(.failed("a sender is already running; stop it first"))
            return
        }
        let socket: McastTxSocket
        do {
            socket = try McastTxSocket(groups: [request.group], interface: request.interface)
        } catch {
            _ = state.handle(.sender(SenderStatus(request: request, sent: 0, running: false, error: error.description)))
            return
        }
        shared.senderStop.store(false, ordering: .relaxed)
        shared.senderRunning.store(true, ordering: .releasing)
        _ = state.handle(.sender(SenderStatus(request: request, sent: 0, running: true)))
        let box = SocketBox(socket)
        runInBackground { [shared] in
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
    }
}

/// What the UI thread shares with the background threads.
private final class SharedState: Sendable {
    let inbox = Mutex<[Event]>([])
    let senderStop = Atomic<Bool>(false)
    let senderRunning = Atomic<Bool>(false)

    func post(_ event: Event) { inbox.withLock { $0.append(event) } }
}

/// Hands a sender socket to its thread.
private final class SocketBox: @unchecked Sendable {
    let socket: McastTxSocket
    init(_ socket: McastTxSocket) { self.socket = socket }
}

/// Runs a closure on a detached thread of its own (a background job that waits on the network).
private func runInBackground(_ body: @escaping @Sendable () -> Void) {
    _ = try? OSThread.start(detached: true, body)
}
