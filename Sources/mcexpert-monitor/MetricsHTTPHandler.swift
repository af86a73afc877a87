import MulticastMetrics
import NIOCore
import NIOHTTP1

/// Answers one HTTP/1 request at a time: `GET /metrics` (the exposition), `GET /healthz`
/// (200 while the receive loop is alive), `405` for other methods, `404` for other paths.
/// Request bodies are ignored (their size is bounded by ``RequestGuard``).
///
/// At most one response is in flight per connection: a request that arrives while the previous
/// response is not yet handed to the kernel, or while the channel is not writable (its outbound
/// buffer is past the high water mark), closes the connection. NIO's pipelining handler moves on
/// to the next request as soon as a response's end is written, not sent, so without this a
/// client that pipelines hundreds of requests and never reads would make the monitor queue their
/// responses without bound.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The content type of the Prometheus text format this exporter writes.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    private let exporter: StreamExporter
    private let isHealthy: @Sendable () -> Bool
    private var head: HTTPRequestHead?
    /// Whether a response's end has been written and its write has not completed yet.
    private var responding = false

    init(exporter: StreamExporter, isHealthy: @escaping @Sendable () -> Bool) {
        self.exporter = exporter
        self.isHealthy = isHealthy
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body:
            break
        case .end:
            guard let request = head else { return }
            head = nil
            guard !responding, context.channel.isWritable else {
                // A client that does not read what it asked for gets no more answers.
                context.close(promise: nil)
                return
            }
            respond(to: request, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let isHead = request.method == .HEAD
        guard request.method == .GET || isHead else {
            send(.methodNotAllowed, body: Array("only GET and HEAD are served\n".utf8), extraHeaders: [("Allow", "GET, HEAD")],
                 omitBody: false, request: request, context: context)
            return
        }
        switch path {
        case "/metrics":
            send(.ok, body: exporter.exposition(), contentType: Self.metricsContentType, omitBody: isHead, request: request, context: context)
        case "/healthz":
            if isHealthy() {
                send(.ok, body: Array("ok\n".utf8), omitBody: isHead, request: request, context: context)
            } else {
                send(.serviceUnavailable, body: Array("the receive loop has stalled\n".utf8), omitBody: isHead, request: request, context: context)
            }
        case "/":
            send(.ok, body: Array("mcexpert-monitor: metrics at /metrics, liveness at /healthz\n".utf8), omitBody: isHead, request: request,
                 context: context)
        default:
            send(.notFound, body: Array("not found; metrics are at /metrics\n".utf8), omitBody: isHead, request: request, context: context)
        }
    }

    private func send(_ status: HTTPResponseStatus, body: [UInt8], contentType: String = "text/plain; charset=utf-8",
                      extraHeaders: [(String, String)] = [], omitBody: Bool, request: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = request.isKeepAlive
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count))] + extraHeaders)
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if !omitBody {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        responding = true
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { [self] result in
            responding = false
            guard case .success = result else { return }
            if keepAlive {
                // Tells RequestGuard the response is out: the next request's count and clock start now.
                context.triggerUserOutboundEvent(RequestGuard.ResponseSent(), promise: nil)
            } else {
                context.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
