#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

extension McastRxSocket {
    /// The socket's datagrams as an `AsyncSequence`, for Swift concurrency.
    ///
    /// ```swift
    /// for try await datagram in rx.datagrams() { handle(datagram) }
    /// ```
    ///
    /// A dedicated thread waits on duplicates of the socket's descriptors (so waiting never
    /// occupies the cooperative thread pool) and stops when the consumer stops iterating or
    /// its task is cancelled. The stream keeps receiving after ``close()`` until then, and
    /// groups joined or left afterwards do not change it.
    ///
    /// - Parameter limit: how many datagrams to hold when the consumer is slower than the
    ///   network; the oldest are dropped beyond it (like a full kernel buffer would).
    public func datagrams(bufferingNewest limit: Int = 4096) throws(MulticastError) -> AsyncThrowingStream<Datagram, any Error> {
        let sockets = try duplicatedSockets()
        let wakeup: EventCounter
        do {
            wakeup = try EventCounter.make()
        } catch {
            for socket in sockets { socket.descriptor.close() }
            throw .from(error, operation: "eventfd")
        }
        let (stream, continuation) = AsyncThrowingStream<Datagram, any Error>.makeStream(bufferingPolicy: .bufferingNewest(limit))
        continuation.onTermination = { _ in wakeup.signal() }
        let worker = StreamWorker(sockets: sockets, wakeup: wakeup, continuation: continuation)
        worker.start()
        return stream
    }
}

/// The thread behind ``McastRxSocket/datagrams(bufferingNewest:)``: polls the duplicated
/// descriptors and an eventfd that says "stop", and owns (then closes) all of them.
private final class StreamWorker: @unchecked Sendable {
    // Only the worker thread touches these after start().
    let sockets: [GroupSocket]
    let wakeup: EventCounter
    let continuation: AsyncThrowingStream<Datagram, any Error>.Continuation

    init(sockets: [GroupSocket], wakeup: EventCounter, continuation: AsyncThrowingStream<Datagram, any Error>.Continuation) {
        self.sockets = sockets
        self.wakeup = wakeup
        self.continuation = continuation
    }

    func start() {
        do {
            try OSThread.start(detached: true) { self.run() }
        } catch {
            continuation.finish(throwing: MulticastError.system(operation: "pthread_create", errno: error))
            cleanUp()
        }
    }

    private func run() {
        defer { cleanUp() }
        let receiver = DatagramReceiver(batchCapacity: 32)
        var pollSet = sockets.map { pollfd(fd: $0.descriptor.rawValue, events: Int16(POLLIN), revents: 0) }
        pollSet.append(pollfd(fd: wakeup.rawValue, events: Int16(POLLIN), revents: 0))
        var batch: [Datagram] = []
        while true {
            do {
                guard try waitReadable(&pollSet, timeoutMilliseconds: -1) else { continue }
            } catch {
                continuation.finish(throwing: MulticastError.from(error, operation: "poll"))
                return
            }
            if pollSet[pollSet.count - 1].revents != 0 {
                continuation.finish()
                return
            }
            for (i, socket) in sockets.enumerated() where pollSet[i].revents != 0 {
                batch.removeAll(keepingCapacity: true)
                do {
                    _ = try receiver.receiveBatch(from: socket, limit: 32, into: &batch)
                } catch {
                    continuation.finish(throwing: MulticastError.from(error, operation: "receive on \(socket.group)"))
                    return
                }
                for datagram in batch {
                    if case .terminated = continuation.yield(datagram) { return }
                }
            }
        }
    }

    private func cleanUp() {
        for socket in sockets { socket.descriptor.close() }
        wakeup.close()
    }
}
