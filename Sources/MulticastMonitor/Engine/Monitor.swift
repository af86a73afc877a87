import MulticastExpert
import SystemPackage
import Synchronization

/// The traffic engine: receives many groups at once on one thread (epoll + recvmmsg), keeps
/// per-stream and per-source statistics, and hands out consistent snapshots.
///
/// Use it inline — call ``poll(timeout:observe:)`` in your own loop (the CLI does) — or start
/// its own thread with ``start()`` (the TUI does). Subscriptions can be added and removed from
/// any thread while it runs. Under dense traffic it collects datagrams in batches rather than one
/// wakeup per arrival (see ``BatchWindow``). Memory is bounded: streams, sources per stream and captured
/// datagrams are capped (see ``StatisticsLimits``), and what overflows is counted.
///
/// It is two parts: this readiness loop (sockets, epoll, batch window, thread, receiving) and a
/// ``StatisticsBook`` that does the counting. They have separate locks: a round receives into
/// the sockets' buffers holding only the receive lock, and takes the book's lock just long
/// enough to record each datagram, so ``snapshot()`` never waits for a receive round.
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

    /// The descriptors a round waits on: every subscribed socket, and the wakeup counter (token 0).
    let readiness: Epoll
    private let wakeup: EventCounter
    /// The sockets and the batch window: held for a whole receive round, so no socket is closed
    /// while it is read. Taken before ``ledger`` whenever both are needed.
    private let receiving: Mutex<ReceiveState>
    /// What ``snapshot()`` reads: held only to record one datagram or to copy the figures.
    private let ledger: Mutex<Ledger>
    private let running = Atomic<Bool>(false)
    private let thread = Mutex<JoinableThread?>(nil)

    private struct ReceiveState: ~Copyable {
        var sockets: [SubscriptionID: ReceivingSocket] = [:]
        var nextID: UInt64 = 1
        var window: BatchWindow
        var lastRoundEnd: Int64 = 0
    }

    private struct Ledger: ~Copyable {
        var book: StatisticsBook
        var subscriptions: [SubscriptionID: Subscription] = [:]
        var grantedBuffers: [SubscriptionID: Int] = [:]
        var receiveRounds: UInt64 = 0
        var batchWindow: Duration
        var lastError: String?
    }

    /// Makes an idle monitor; add subscriptions with ``subscribe(_:interfaceTable:)``.
    ///
    /// - Parameter batchWindow: the longest a datagram may wait in the kernel before the engine
    ///   collects it, when traffic is dense (default 2 ms; `.zero` wakes for every arrival).
    ///   Latency and jitter are measured on the kernel's arrival timestamps either way.
    /// - Throws: ``MulticastError/system(operation:errno:)`` when the kernel refuses an epoll
    ///   instance or an eventfd (out of descriptors or memory).
    public init(limits: StatisticsLimits = StatisticsLimits(), maxStreams: Int = 1024, receiveBufferBytes: Int? = nil,
                batchWindow: Duration = .milliseconds(2)) throws(MulticastError) {
        self.limits = limits
        self.maxStreams = maxStreams
        self.receiveBufferBytes = receiveBufferBytes
        self.batchWindow = batchWindow
        do {
            readiness = try Epoll.create()
        } catch {
            throw .system(operation: "epoll_create1", errno: error)
        }
        do {
            wakeup = try EventCounter.make()
        } catch {
            readiness.close()
            throw .system(operation: "eventfd", errno: error)
        }
        do {
            try readiness.add(wakeup.rawValue, token: Self.wakeupToken)
        } catch {
            readiness.close()
            wakeup.close()
            throw .system(operation: "epoll_ctl", errno: error)
        }
        let window = BatchWindow(maximum: batchWindow)
        receiving = Mutex(ReceiveState(window: window))
        ledger = Mutex(Ledger(book: StatisticsBook(limits: limits, maxStreams: maxStreams), batchWindow: window.current))
    }

    deinit {
        stop()
        receiving.withLock { state in
            for receiver in state.sockets.values { receiver.socket.close() }
        }
        readiness.close()
        wakeup.close()
    }

    /// Joins what `subscription` asks for and starts receiving it.
    ///
    /// Either the subscription is fully watched or it does not exist: when the kernel refuses to
    /// watch one of its sockets (`epoll_ctl`), the ones already watched are unwatched, the
    /// receiver is closed (leaving its groups) and the error is thrown.
    ///
    /// - Parameter interfaceTable: resolve interfaces in this table (default: a fresh snapshot of
    ///   the calling thread's namespace).
    /// - Throws: the ``MulticastError`` of opening the receiver (bad interface, join refused, ...)
    ///   or of watching it (``MulticastError/system(operation:errno:)`` for `epoll_ctl`).
    @discardableResult
    public func subscribe(_ subscription: Subscription, interfaceTable: InterfaceTable? = nil) throws(MulticastError) -> SubscriptionID {
        let socket = try McastRxSocket(groups: subscription.groups, port: subscription.port, interfaces: subscription.interfaces,
                                       sources: subscription.sources, mode: .nonBlocking, batchCapacity: 64, interfaceTable: interfaceTable)
        do {
            if let receiveBufferBytes { _ = try socket.requestReceiveBufferSize(receiveBufferBytes, beyondSystemLimit: true) }
            let receiver = ReceivingSocket(socket, bufferBytes: try socket.receiveBufferSize())
            return try receiving.withLock { state throws(MulticastError) -> SubscriptionID in
                let id = SubscriptionID(rawValue: state.nextID)
                try watch(receiver, as: id)
                state.nextID += 1
                state.sockets[id] = receiver
                ledger.withLock { ledger in
                    ledger.subscriptions[id] = subscription
                    ledger.grantedBuffers[id] = receiver.bufferBytes
                    for group in subscription.groups {
                        ledger.book.setPayloadOptions(subscription.payload, group: group, port: subscription.port)
                    }
                }
                return id
            }
        } catch {
            socket.close()
            throw error
        }
    }

    /// Registers every descriptor of `receiver` with the epoll instance, or none of them.
    private func watch(_ receiver: ReceivingSocket, as id: SubscriptionID) throws(MulticastError) {
        let descriptors = receiver.socket.fileDescriptors.map(\.rawValue)
        for (position, descriptor) in descriptors.enumerated() {
            do {
                try readiness.add(descriptor, token: Self.token(id, descriptor))
            } catch {
                for added in descriptors.prefix(position) { try? readiness.remove(added) }
                throw .system(operation: "epoll_ctl", errno: error)
            }
        }
    }

    /// Leaves a subscription's groups and closes its sockets; its streams' statistics stay.
    /// Waits for a receive round in progress to end.
    public func unsubscribe(_ id: SubscriptionID) {
        receiving.withLock { state in
            guard let receiver = state.sockets.removeValue(forKey: id) else { return }
            // Closing would unwatch them too; removing first keeps a stale event out of the next wait.
            for descriptor in receiver.socket.fileDescriptors { try? readiness.remove(descriptor.rawValue) }
            receiver.socket.close()
            ledger.withLock { ledger in
                ledger.subscriptions[id] = nil
                ledger.grantedBuffers[id] = nil
            }
        }
    }

    /// The smallest receive buffer the kernel granted any subscribed socket, in the bytes
    /// `SO_RCVBUF` reports (twice the payload it holds, as Linux counts its bookkeeping);
    /// nil before the first subscription.
    public var smallestReceiveBufferGranted: Int? {
        ledger.withLock { $0.grantedBuffers.values.min() }
    }

    /// Forgets every stream's statistics (subscriptions stay).
    public func resetStatistics() {
        ledger.withLock { $0.book.reset() }
    }

    /// Waits up to `timeout` (nil: until something arrives or ``wake()``) for datagrams, receives
    /// what is waiting, accounts for it, then passes each datagram to `observe` (outside every lock).
    ///
    /// When the previous call found traffic dense, this one first pauses for the batch window
    /// (at most 2 ms by default, never with a zero `timeout`), so the kernel queues a batch.
    ///
    /// - Returns: how many datagrams were received.
    @discardableResult
    public func poll(timeout: Duration?, observe: ((Datagram) -> Void)? = nil) throws(MulticastError) -> Int {
        var received: [Datagram] = []
        let keepCopies = observe != nil
        let count = try poll(timeout: timeout) { (view: DatagramView) in
            if keepCopies { received.append(view.datagram) }
        }
        if let observe { for datagram in received { observe(datagram) } }
        return count
    }

    /// Like ``poll(timeout:observe:)``, but shows each datagram in place, without copying it:
    /// for a caller that handles every datagram at full rate (the CLI's printer). `visit` runs
    /// inside the receive round — the receive lock held, not the statistics' — so it must not
    /// call back into the monitor (``subscribe(_:interfaceTable:)``, ``unsubscribe(_:)``, ``stop()``).
    @discardableResult
    public func poll(timeout: Duration?, visit: (DatagramView) -> Void) throws(MulticastError) -> Int {
        if timeout != .zero {
            let pause = receiving.withLock { $0.window.pauseNanoseconds }
            if pause > 0 { sleepUntil(monotonicNanoseconds: monotonicNanoseconds().addingSaturating(pause)) }
        }
        let milliseconds: Int32 = timeout.map { ReceiveMode.timeout($0).pollMilliseconds } ?? -1
        var tokens = InlineArray<64, UInt64>(repeating: 0)  // on the stack: no allocation per wakeup
        let waitStart = monotonicNanoseconds()
        let ready: Int
        do {
            ready = try readiness.wait(into: &tokens, timeoutMilliseconds: milliseconds)
        } catch {
            throw .system(operation: "epoll_wait", errno: error)
        }
        let now = monotonicNanoseconds()
        return receiving.withLock { state in
            receiveRound(tokens.span.extracting(first: ready), state: &state, waitStart: waitStart, now: now, visit: visit)
        }
    }

    /// Takes what the ready descriptors hold (each at most ``perSocketRound``), records every
    /// datagram in the book, shows it to `visit`, and lets the batch window judge the round.
    private func receiveRound(_ tokens: Span<UInt64>, state: inout ReceiveState, waitStart: Int64, now: Int64,
                              visit: (DatagramView) -> Void) -> Int {
        var count = 0
        var fillLimit: Int64?
        var leftWaiting = false
        var sawDrop = false
        let interval = now - state.lastRoundEnd
        for position in tokens.indices {
            let token = tokens[position]
            if token == Self.wakeupToken {
                wakeup.drain()
                continue
            }
            guard let receiver = state.sockets[SubscriptionID(rawValue: token >> 32)] else { continue }
            let descriptor = FileDescriptor(rawValue: Int32(truncatingIfNeeded: token))
            do {
                var bytes = 0
                var drops: UInt32 = 0
                // recvmmsg fills the receiver's buffers with the book unlocked; each datagram is
                // then recorded under the book's lock, which is all a snapshot ever waits for.
                let got = try receiver.socket.receiveBatch(fromDescriptor: descriptor, maxCount: Self.perSocketRound) { view in
                    bytes += view.payload.count
                    drops = max(drops, view.socketDropCount)
                    ledger.withLock { $0.book.record(view, now: now) }
                    visit(view)
                }
                count += got
                if drops > receiver.dropCounts[descriptor.rawValue, default: 0] {
                    sawDrop = true
                    receiver.dropCounts[descriptor.rawValue] = drops
                }
                if got == Self.perSocketRound { leftWaiting = true }
                if got > 0 {
                    let limit = BatchWindow.fillLimit(bufferBytes: receiver.bufferBytes, bytes: bytes, datagrams: got, intervalNanoseconds: interval)
                    fillLimit = min(fillLimit ?? .max, limit)
                }
            } catch {
                let text = "\(error)"
                ledger.withLock { $0.lastError = text }
            }
        }
        state.window.roundEnded(waitedNanoseconds: now - waitStart, received: count, fillLimitNanoseconds: fillLimit,
                                sawDrop: sawDrop, leftWaiting: leftWaiting, now: now)
        state.lastRoundEnd = now
        let window = state.window.current
        ledger.withLock { ledger in
            if count > 0 { ledger.receiveRounds += 1 }
            ledger.batchWindow = window
        }
        return count
    }

    /// The most datagrams one round takes from one socket, so a flooded group cannot starve the others.
    private static let perSocketRound = 256

    /// The token of the wakeup counter; subscriptions are numbered from 1, so no socket has it.
    private static let wakeupToken: UInt64 = 0

    /// An epoll token: the subscription in the high 32 bits, the descriptor in the low 32.
    private static func token(_ id: SubscriptionID, _ descriptor: Int32) -> UInt64 {
        id.rawValue << 32 | UInt64(UInt32(bitPattern: descriptor))
    }

    /// Interrupts a ``poll(timeout:observe:)`` that is waiting, from any thread.
    public func wake() {
        wakeup.signal()
    }

    /// A consistent copy of all statistics, with rate windows moved to now. Never waits for a
    /// receive round: at most for one datagram to be recorded.
    public func snapshot() -> MonitorSnapshot {
        let now = monotonicNanoseconds()
        return ledger.withLock { ledger in
            var snapshot = ledger.book.snapshot(at: now)
            snapshot.subscriptions = ledger.subscriptions
            snapshot.lastError = ledger.lastError
            snapshot.receiveRounds = ledger.receiveRounds
            snapshot.batchWindow = ledger.batchWindow
            return snapshot
        }
    }

    /// Runs the receive loop on a thread of its own until ``stop()``. When no thread can be
    /// made, the monitor stays idle and says why in ``MonitorSnapshot/lastError``.
    public func start() {
        thread.withLock { slot in
            guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
            do {
                slot = try JoinableThread.start { [self] in
                    while running.load(ordering: .acquiring) {
                        do {
                            try poll(timeout: .milliseconds(250))
                        } catch {
                            let text = "\(error)"
                            ledger.withLock { $0.lastError = text }
                            sleepUntil(monotonicNanoseconds: monotonicNanoseconds().addingSaturating(100_000_000))
                        }
                    }
                }
            } catch {
                running.store(false, ordering: .releasing)
                let text = "pthread_create failed: could not start the receive thread (\(error))"
                ledger.withLock { $0.lastError = text }
            }
        }
    }

    /// Stops the thread started by ``start()`` and waits for it.
    public func stop() {
        let stopped = thread.withLock { slot -> JoinableThread? in
            guard running.exchange(false, ordering: .acquiringAndReleasing) else { return nil }
            defer { slot = nil }
            return slot
        }
        guard let stopped else { return }
        wake()
        if !stopped.isCurrent { stopped.join() }
    }
}
