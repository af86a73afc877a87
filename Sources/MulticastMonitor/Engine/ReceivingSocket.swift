import MulticastExpert

/// A subscription's receiver as the engine holds it: the socket, the buffer the kernel granted
/// it, and the drop counts last seen on its descriptors. Touched only under the engine's receive
/// lock, so it is never closed while a round reads it.
final class ReceivingSocket: @unchecked Sendable {
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
