#if canImport(Glibc)
import Glibc
#endif
import CMulticastShims
import MulticastExpert
import Synchronization

/// The traffic engine: receives many groups at once on one thread (epoll + recvmmsg), keeps
/// per-stream and per-source statistics, and hands out consistent snapshots.
///
/// Use it inline — call ``poll(timeout:observe:)`` in your own loop (the CLI does) — or start
/// its own thread with ``start()`` (the TUI does). Subscriptions can be added and removed from
/// any thread while it runs. Under dense traffic it collects datagrams in batches rather than one
/// wakeup per arrival (see ``BatchWindow``). Memory is bounded: streams, sources per stream and captured
/// datagrams are capped (see ``StatisticsLimits``), and what overflows is counted.
public final class Monitor: Sendable {
    /// Streams itemised at most; datagrams of further streams are counted in ``MonitorSnapshot/untrackedStreamPackets``.
    public let maxStreams: Int
    /// Per-stream limits.
    public let limits: StatisticsLimits
    /// The receive buffer a monitor asks for unless told otherwise: 8 MiB holds about a tenth of
    /// a second of 1400-byte datagrams at a gigabit, or some 10,000 small ones, so a burst is not
    /// lost while the engine sleeps. A tool that measures loss must not cause it.
    public static let defaultReceiveBufferBytes = 8 << 20

    /// Receive buffer requested for every socket, bytes; nil keeps the kernel default. With
    /// `CAP_NET_ADMIN` the request is not capped by `net.core.rmem_max` (a monitor should be the
    /// last thing to drop); without it, it is.
    public let receiveBufferBytes: Int?
    /// The longest the engine lets datagrams queue before collecting them (``BatchWindow``).
    public let batchWindow: Duration

    private let epoll: Int32
    private let wakeup: Int32
    private let state: Mutex<State>
    private let running = Atomic<Bool>(false)

    private struct State: ~Copyable {
        var sockets: [SubscriptionID: LockedSocket] = [:]
        var subscriptions: [SubscriptionID: Subscription] = [:]
        var streams: [StreamKey: StreamStatistics] = [:]
        var nextID: UInt64 = 1
        var totalPackets: UInt64 = 0
        var totalRate = RateMeter()
        var untrackedStreamPackets: UInt64 = 0
        var window: BatchWindow
        var lastRoundEnd: Int64 = 0
        var receiveRounds: UInt64 = 0
        var lastError: String?
        var thread: pthread_t?
    }

    /// Makes an idle monitor; add subscriptions with ``subscribe(_:interfaceTable:)``.
    ///
    /// - Parameter batchWindow: the longest a datagram may wait in the kernel before the engine
    ///   collects it, when traffic is dense (default 2 ms; `.zero` wakes for every arrival).
    ///   Latency and jitter are measured on the kernel's arrival timestamps either way.
    public init(limits: StatisticsLimits = StatisticsLimits(), maxStreams: Int = 1024, receiveBufferBytes: Int? = nil,
                batchWindow: Duration = .milliseconds(2)) throws(MulticastError) {
        self.limits = limits
        self.maxStreams = maxStreams
        self.receiveBufferBytes = receiveBufferBytes
        self.batchWindow = batchWindow
        epoll = mcx_epoll_create()
        guard epoll >= 0 else { throw .system(operation: "epoll_create1", errno: .init(rawValue: errno)) }
        wakeup = mcx_eventfd()
        guard wakeup >= 0 else {
            close(epoll)
            throw .system(operation: "eventfd", errno: .init(rawValue: errno))
        }
        _ = mcx_epoll_add(epoll, wakeup, 0)
        state = Mutex(State(window: BatchWindow(maximum: batchWindow)))
    }

    deinit {
        stop()
        state.withLock { state in
            for locked in state.sockets.values { locked.socket.close() }
        }
        close(epoll)
        close(wakeup)
    }

    /// Joins what `subscription` asks for and starts receiving it.
    ///
    /// - Parameter interfaceTable: resolve interfaces in this table (default: a fresh snapshot of
    ///   the calling thread's namespace).
    /// - Throws: the ``MulticastError`` of opening the receiver (bad interface, join refused, ...).
    @discardableResult
    public func subscribe(_ subscription: Subscription, interfaceTable: InterfaceTable? = nil) throws(MulticastError) -> SubscriptionID {
        let socket = try McastRxSocket(groups: subscription.groups, port: subscription.port, interfaces: subscription.interfaces,
                                       sources: subscription.sources, mode: .nonBlocking, batchCapacity: 64, interfaceTable: interfaceTable)
        if let receiveBufferBytes { _ = try socket.requestReceiveBufferSize(receiveBufferBytes, beyondSystemLimit: true) }
        let locked = LockedSocket(socket, bufferBytes: try socket.receiveBufferSize())
        return state.withLock { state in
            let id = SubscriptionID(rawValue: state.nextID)
            state.nextID += 1
            for fd in locked.socket.fileDescriptors { _ = mcx_epoll_add(epoll, fd, Self.token(id, fd)) }
            state.sockets[id] = locked
            state.subscriptions[id] = subscription
            return id
        }
    }

    /// Leaves a subscription's groups and closes its sockets; its streams' statistics stay.
    public func unsubscribe(_ id: SubscriptionID) {
        state.withLock { state in
            guard let socket = state.sockets.removeValue(forKey: id)?.socket else { return }
            for fd in socket.fileDescriptors { _ = mcx_epoll_remove(epoll, fd) }
            socket.close()
            state.subscriptions[id] = nil
        }
    }

    /// The smallest receive buffer the kernel granted any subscribed socket, in the bytes
    /// `SO_RCVBUF` reports (twice the payload it holds, as Linux counts its bookkeeping);
    /// nil before the first subscription.
    public var smallestReceiveBufferGranted: Int? {
        state.withLock { state in state.sockets.values.map(\.bufferBytes).min() }
    }

    /// Forgets every stream's statistics (subscriptions stay).
    public func resetStatistics() {
        state.withLock { state in
            state.streams = [:]
            state.totalPackets = 0
            state.untrackedStreamPackets = 0
        }
    }

    /// Waits up to `timeout` (nil: until something arrives or ``wake()``) for datagrams, receives
    /// what is waiting, accounts for it, then passes each datagram to `observe` (outside the lock).
    ///
    /// When the previous call found traffic dense, this one first pauses for the batch window
    /// (at most 2 ms by default, never with a zero `timeout`), so the kernel queues a batch.
    ///
    /// - Returns: how many datagrams were received.
    @discardableResult
    public func poll(timeout: Duration?, observe: ((Datagram) -> Void)? = nil) throws(MulticastError) -> Int {
        if timeout != .zero {
            let pause = state.withLock { $0.window.pauseNanoseconds }
            if pause > 0 { sleepUntil(monotonicNanoseconds: monotonicNanoseconds() + pause) }
        }
        let milliseconds: Int32 = timeout.map { ReceiveMode.timeout($0).pollMilliseconds } ?? -1
        var tokens = InlineArray<64, UInt64>(repeating: 0)  // on the stack: no allocation per wakeup
        let capacity = tokens.count
        let waitStart = monotonicNanoseconds()
        let ready = withUnsafeMutableBytes(of: &tokens) { mcx_epoll_wait(epoll, $0.baseAddress?.assumingMemoryBound(to: UInt64.self), Int32(capacity), milliseconds) }
        if ready < 0 {
            if errno == EINTR { return 0 }
            throw .system(operation: "epoll_wait", errno: .init(rawValue: errno))
        }
        var received: [Datagram] = []
        var count = 0
        let now = monotonicNanoseconds()
        let keepCopies = observe != nil
        withUnsafeBytes(of: tokens) { raw in
            let tokens = raw.bindMemory(to: UInt64.self).prefix(Int(ready))
            state.withLock { state in
                var fillLimit: Int64?
                var leftWaiting = false
                var sawDrop = false
                var cursor = StreamCursor()
                let interval = now - state.lastRoundEnd
                for token in tokens {
                    if token == 0 {
                        var value: UInt64 = 0
                        _ = read(wakeup, &value, 8)
                        continue
                    }
                    guard let locked = state.sockets[SubscriptionID(rawValue: token >> 24)] else { continue }
                    let descriptor = Int32(token & 0xff_ffff)
                    do {
                        var bytes = 0
                        var drops: UInt32 = 0
                        let got = try locked.socket.receiveBatch(fromDescriptor: descriptor, maxCount: Self.perSocketRound) { view in
                            bytes += view.payload.count
                            drops = max(drops, view.socketDropCount)
                            Self.account(view, now: now, state: &state, cursor: &cursor, limits: limits, maxStreams: maxStreams)
                            if keepCopies { received.append(view.datagram) }
                        }
                        count += got
                        if drops > locked.dropCounts[descriptor, default: 0] {
                            sawDrop = true
                            locked.dropCounts[descriptor] = drops
                        }
                        if got == Self.perSocketRound { leftWaiting = true }
                        if got > 0 {
                            let limit = BatchWindow.fillLimit(bufferBytes: locked.bufferBytes, bytes: bytes, datagrams: got, intervalNanoseconds: interval)
                            fillLimit = min(fillLimit ?? .max, limit)
                        }
                    } catch {
                        state.lastError = "\(error)"
                    }
                }
                if count > 0 { state.receiveRounds += 1 }
                state.window.roundEnded(waitedNanoseconds: now - waitStart, received: count, fillLimitNanoseconds: fillLimit,
                                        sawDrop: sawDrop, leftWaiting: leftWaiting, now: now)
                state.lastRoundEnd = now
            }
        }
        if let observe { for datagram in received { observe(datagram) } }
        return count
    }

    /// The most datagrams one round takes from one socket, so a flooded group cannot starve the others.
    private static let perSocketRound = 256

    /// An epoll token: the subscription in the high bits, the descriptor in the low 24.
    private static func token(_ id: SubscriptionID, _ fd: Int32) -> UInt64 { id.rawValue << 24 | UInt64(fd) & 0xff_ffff }

    /// The stream the previous datagram of a round went to. Consecutive datagrams from one socket
    /// nearly always share a stream, so comparing three fields beats building and hashing a key;
    /// valid for one round only (an insertion may move the dictionary's storage).
    private struct StreamCursor {
        var group: MulticastGroup?
        var port: UInt16 = 0
        var interfaceIndex: UInt32 = 0
        var index: Dictionary<StreamKey, StreamStatistics>.Index?

        func matches(_ view: DatagramView) -> Bool {
            index != nil && view.interfaceIndex == interfaceIndex && view.port == port && view.group == group
        }
    }

    private static func account(_ view: DatagramView, now: Int64, state: inout State, cursor: inout StreamCursor, limits: StatisticsLimits, maxStreams: Int) {
        state.totalPackets += 1
        state.totalRate.record(bytes: view.payload.count, now: now)
        if cursor.matches(view), let index = cursor.index {
            state.streams.values[index].record(view, now: now)
            return
        }
        let key = StreamKey(group: view.group, port: view.port, interfaceIndex: view.interfaceIndex, interfaceName: view.interfaceName)
        if let index = state.streams.index(forKey: key) {
            state.streams.values[index].record(view, now: now)
            cursor = StreamCursor(group: view.group, port: view.port, interfaceIndex: view.interfaceIndex, index: index)
        } else if state.streams.count < maxStreams {
            var statistics = StreamStatistics(key: key, limits: limits)
            statistics.record(view, now: now)
            state.streams[key] = statistics
            cursor = StreamCursor()
        } else {
            state.untrackedStreamPackets += 1
        }
    }

    /// Interrupts a ``poll(timeout:observe:)`` that is waiting, from any thread.
    public func wake() {
        var one: UInt64 = 1
        _ = write(wakeup, &one, 8)
    }

    /// A consistent copy of all statistics, with rate windows moved to now.
    public func snapshot() -> MonitorSnapshot {
        let now = monotonicNanoseconds()
        return state.withLock { state in
            state.totalRate.advance(to: now)
            var streams: [StreamStatistics] = []
            streams.reserveCapacity(state.streams.count)
            for key in state.streams.keys {
                state.streams[key]!.advance(to: now)
                streams.append(state.streams[key]!)
            }
            streams.sort { $0.key < $1.key }
            return MonitorSnapshot(streams: streams, subscriptions: state.subscriptions, totalPackets: state.totalPackets,
                                   totalPacketsPerSecond: state.totalRate.packetsPerSecond,
                                   untrackedStreamPackets: state.untrackedStreamPackets, lastError: state.lastError,
                                   receiveRounds: state.receiveRounds, batchWindow: state.window.current)
        }
    }

    /// Runs the receive loop on a thread of its own until ``stop()``.
    public func start() {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        do {
            let thread = try OSThread.start(detached: false) { [self] in
                while running.load(ordering: .acquiring) {
                    do {
                        try poll(timeout: .milliseconds(250))
                    } catch {
                        let text = "\(error)"
                        state.withLock { $0.lastError = text }
                        usleep(100_000)
                    }
                }
            }
            state.withLock { $0.thread = thread }
        } catch {
            running.store(false, ordering: .releasing)
        }
    }

    /// Stops the thread started by ``start()`` and waits for it.
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        wake()
        if let thread = state.withLock({ state -> pthread_t? in
            defer { state.thread = nil }
            return state.thread
        }) {
            if !pthread_equal(thread, pthread_self()).isTrue { pthread_join(thread, nil) }
        }
    }
}

/// A receiver owned by the monitor's state and only touched under its lock.
private final class LockedSocket: @unchecked Sendable {
    let socket: McastRxSocket
    /// The smallest receive buffer among its OS sockets, bytes (what caps the batch window).
    let bufferBytes: Int
    /// The kernel's drop count last seen per descriptor: a rise means the batch window must close.
    var dropCounts: [Int32: UInt32] = [:]
    init(_ socket: McastRxSocket, bufferBytes: Int) {
        self.socket = socket
        self.bufferBytes = bufferBytes
    }
}

private extension Int32 {
    var isTrue: Bool { self != 0 }
}
