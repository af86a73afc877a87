import NIOCore

/// The first handler of every connection: bounds what one client can cost. A request (line,
/// headers and any body) larger than ``maximumRequestBytes``, or not answered within
/// ``requestDeadline`` of its first byte (a client trickling headers), closes the connection.
/// A response sent (its end handed to the kernel, ``ResponseSent``) starts the count and the
/// clock again, so a scraper's keep-alive connection is served for as long as it behaves; a
/// response merely written does not, so a client that never reads cannot renew either.
final class RequestGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A scrape request is a few hundred bytes; 16 KiB leaves room for any real client's headers.
    static let maximumRequestBytes = 16 * 1024
    /// Time from a request's first byte to its response.
    static let requestDeadline = TimeAmount.seconds(10)
    /// Time an accepted connection may stay silent before its first request.
    static let idleDeadline = TimeAmount.seconds(30)

    private var bytes = 0
    private var deadline: Scheduled<Void>?

    func channelActive(context: ChannelHandlerContext) {
        arm(context, after: Self.idleDeadline)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if bytes == 0 { arm(context, after: Self.requestDeadline) }
        bytes += buffer.readableBytes
        guard bytes <= Self.maximumRequestBytes else {
            deadline?.cancel()
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
    }

    /// The outbound event ``MetricsHTTPHandler`` sends when a response's end has been written to
    /// the socket.
    struct ResponseSent {}

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is ResponseSent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        bytes = 0
        arm(context, after: Self.idleDeadline)
        promise?.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    /// Closes the connection after `delay` unless re-armed first.
    private func arm(_ context: ChannelHandlerContext, after delay: TimeAmount) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: delay) { channel.close(promise: nil) }
    }
}
