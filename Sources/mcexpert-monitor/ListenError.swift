#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Why `--metrics-listen` could not be bound, in the C library's words with a hint for the
/// usual causes, instead of NIO's error text (which names its internal function).
struct ListenError: Error, CustomStringConvertible {
    /// The address asked for, as the user wrote it.
    let address: String
    /// What went wrong, ready to print.
    let reason: String

    /// `error` as thrown by NIO's bind, for `address`.
    init(address: String, error: any Error) {
        self.address = address
        if let error = error as? IOError {
            reason = Self.reason(errno: error.errnoCode)
        } else {
            reason = "\(error)"
        }
    }

    /// The strerror text of `code`, and what usually causes it when binding a listener.
    static func reason(errno code: Int32) -> String {
        let text = String(cString: strerror(code))
        switch code {
        case EADDRNOTAVAIL: return "\(text) (no interface has this address)"
        case EADDRINUSE: return "\(text) (another program listens there)"
        case EACCES: return "\(text) (ports below 1024 need root or CAP_NET_BIND_SERVICE)"
        default: return text
        }
    }

    var description: String { "cannot listen on \(address): \(reason)" }
}
