#if canImport(Glibc)
import Glibc
#endif

/// An integer socket option for ``McastRxSocket/setOption(_:to:)``: the level and name
/// `setsockopt(2)` takes, named, so callers need not import the C headers for the common ones.
public struct SocketOption: Sendable, Hashable, CustomStringConvertible {
    /// The protocol level (`SOL_SOCKET`, `IPPROTO_IP`, ...).
    public let level: Int32
    /// The option at that level (`SO_PRIORITY`, ...).
    public let name: Int32

    /// Any option the kernel knows, by its C level and name.
    public init(level: Int32, name: Int32) {
        self.level = level
        self.name = name
    }

    /// `SO_PRIORITY`: the queueing priority of the socket's traffic (0–6 without CAP_NET_ADMIN).
    public static let priority = SocketOption(level: SOL_SOCKET, name: SO_PRIORITY)
    /// `SO_RCVBUF`: receive buffer request, bytes (capped at net.core.rmem_max, then doubled).
    public static let receiveBuffer = SocketOption(level: SOL_SOCKET, name: SO_RCVBUF)
    /// `SO_RCVBUFFORCE`: the same beyond rmem_max, with CAP_NET_ADMIN.
    public static let receiveBufferForce = SocketOption(level: SOL_SOCKET, name: SO_RCVBUFFORCE)
    /// `SO_MARK`: the firewall mark of the socket's packets (CAP_NET_ADMIN).
    public static let mark = SocketOption(level: SOL_SOCKET, name: SO_MARK)

    public var description: String {
        switch self {
        case .priority: "SO_PRIORITY"
        case .receiveBuffer: "SO_RCVBUF"
        case .receiveBufferForce: "SO_RCVBUFFORCE"
        case .mark: "SO_MARK"
        default: "level \(level) option \(name)"
        }
    }
}
