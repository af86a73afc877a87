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
/// any thread while it runs. Memory is bounded: streams, sources per stream and captured
/// datagrams are capped (see ``StatisticsLimits``), and what overflows is counted.
public final class Monitor: Sendable {
    /// Streams itemised at most; datagrams of further streams are counted in ``MonitorSnapshot/untrackedStreamPackets``.
    public let maxStreams: Int
    /// Per-stream limits.
    public let limits: StatisticsLimits
    /// Receive buffer requested for every socket, bytes; nil keeps the kernel default.
    public let receiveBufferBytes: Int?

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
        var lastError: String?
        var thread: pthread_t?
    }

    /// Makes an idle monitor; add subscriptions with ``subscribe(_:interfaceTable:)``.
    public init(limits: StatisticsLimits = StatisticsLimits(), maxStreams: Int = 1024, receiveBufferBytes: Int? = nil) throws(MulticastError) {
        self.limits = limits
        self.maxStreams = maxStreams
        self.receiveBufferBytes = receiveBufferBytes
        epoll = mcx_epoll_create()
        guard epoll >= 0 else { throw .system(operation: "epoll_create1", errno: .init(rawValue: errno)) }
        wakeup = mcx_eventfd()
        guard wakeup >= 0 else {
            close(epoll)
            throw .system(operation: "eventfd", errno: .init(rawValue: errno))
        }
        _ = mcx_epoll_add(epoll, wakeup, 0)
        state = Mutex(State())
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
        if let receiveBufferBytes { _ = try socket.requestReceiveBufferSize(receiveBufferBytes) }
        let locked = LockedSocket(socket)
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
    /// - Returns: how many datagrams were received.
    @discardableResult
    public func poll(timeout: Duration?, observe: ((Datagram) -> Void)? = nil) throws(MulticastError) -> Int {
        var tokens = [UInt64](repeating: 0, count: 64)
        let milliseconds: Int32 = timeout.map { ReceiveMode.timeout($0).pollMilliseconds } ?? -1
        let ready = tokens.withUnsafeMutableBufferPointer { mcx_epoll_wait(epoll, $0.baseAddress, Int32($0.count), milliseconds) }
        if ready < 0 {
            if errno == EINTR { return 0 }
            throw .system(operation: "epoll_wait", errno: .init(rawValue: errno))
        }
        var received: [Datagram] = []
        var count = 0
        let now = monotonicNanoseconds()
        let keepCopies = observe != nil
        state.withLock { state in
            for token in tokens.prefix(Int(ready)) {
                if token == 0 {
                    var value: UInt64 = 0
                    _ = read(wakeup, &value, 8)
                    continue
                }
                guard let socket = state.sockets[SubscriptionID(rawValue: token >> 24)]?.socket else { continue }
                do {
                    count += try socket.receiveBatch(fromDescriptor: Int32(token & 0xff_ffff), maxCount: 256) { view in
                        Self.account(view, now: now, state: &state, limits: limits, maxStreams: maxStreams)
                        if keepCopies { received.append(view.datagram) }
                    }
                } catch {
                    state.lastError = "\(error)"
                }
            }
        }
        if let observe { for datagram in received { observe(datagram) } }
        return count
    }

    /// An epoll token: the subscription in the high bits, the descriptor in the low 24.
    private static func token(_ id: SubscriptionID, _ fd: Int32) -> UInt64 { id.rawValue << 24 | UInt64(fd) & 0xff_ffff }

    private static func account(_ view: DatagramView, now: Int64, state: inout State, limits: StatisticsLimits, maxStreams: Int) {
        state.totalPackets += 1
        state.totalRate.record(bytes: view.payload.count, now: now)
        let key = StreamKey(group: view.group, port: view.port, interfaceIndex: view.interfaceIndex, interfaceName: view.interfaceName)
        if let index = state.streams.index(forKey: key) {
            state.streams.values[index].record(view, now: now)
        } else if state.streams.count < maxStreams {
            var statistics = StreamStatistics(key: key, limits: limits)
            statistics.record(view, now: now)
            state.streams[key] = statistics
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
                                   untrackedStreamPackets: state.untrackedStreamPackets, lastError: state.lastError)
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
    init(_ socket: McastRxSocket) { self.socket = socket }
}

private extension Int32 {
    var isTrue: Bool { self != 0 }
}
