import MulticastMetrics
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The HTTP/1 listener of `/metrics` and `/healthz`, on one event-loop thread of its own, so the
/// receive loop never waits for a client. Bounded: at most ``maximumConnections`` at once, and at
/// most ``maximumConnectionsPerAddress`` from one client address, so one client holding idle
/// connections cannot lock Prometheus out (more are closed as they arrive); each connection's
/// requests are bounded by ``RequestGuard``.
final class MetricsServer {
    /// Connections served at once: a few Prometheus servers and people with curl.
    static let maximumConnections = 64
    /// Connections served at once from one client address: a Prometheus server keeps one or two.
    static let maximumConnectionsPerAddress = 8

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// Where it listens (with the port the kernel chose when asked for 0).
    let boundAddress: String

    /// Binds `address` and starts serving.
    /// - Throws: ``ListenError`` when the address cannot be bound (in use, not on this host).
    init(address: MetricsListenAddress, exporter: StreamExporter, isHealthy: @escaping @Sendable () -> Bool) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let connections = Connections()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 128)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            // Past 8 MiB queued the channel is not writable and a new request closes it (MetricsHTTPHandler).
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 1 << 20, high: 8 << 20))
            .childChannelInitializer { channel in
                let client = channel.remoteAddress?.ipAddress ?? ""
                guard connections.open(from: client) else {
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in connections.close(from: client) }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(RequestGuard())
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(MetricsHTTPHandler(exporter: exporter, isHealthy: isHealthy))
                }
            }
        do {
            channel = try bootstrap.bind(host: address.address.description, port: Int(address.port)).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw ListenError(address: "\(address)", error: error)
        }
        self.group = group
        let port = channel.localAddress?.port ?? Int(address.port)
        boundAddress = address.address.family == .ipv4 ? "\(address.address):\(port)" : "[\(address.address)]:\(port)"
    }

    /// Stops listening and closes every connection.
    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Counts open connections against ``maximumConnections`` and, per client address, against
    /// ``maximumConnectionsPerAddress``.
    private final class Connections: Sendable {
        private let counts = Mutex<(total: Int, byAddress: [String: Int])>((0, [:]))

        /// Takes a slot for a connection from `address`; false when all are taken, or all of that address's.
        func open(from address: String) -> Bool {
            counts.withLock { counts in
                let fromAddress = counts.byAddress[address, default: 0]
                guard counts.total < MetricsServer.maximumConnections, fromAddress < MetricsServer.maximumConnectionsPerAddress else { return false }
                counts.total += 1
                counts.byAddress[address] = fromAddress + 1
                return true
            }
        }

        /// Gives back the slot of a connection from `address`.
        func close(from address: String) {
            counts.withLock { counts in
                counts.total -= 1
                let left = counts.byAddress[address, default: 1] - 1
                counts.byAddress[address] = left > 0 ? left : nil
            }
        }
    }
}
