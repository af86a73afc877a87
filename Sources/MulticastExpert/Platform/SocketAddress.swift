#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address with a UDP port and, for IPv6, a scope id (interface index).
///
/// This is what datagrams come from and what sockets bind to; it converts to and from the
/// kernel's `sockaddr_in`/`sockaddr_in6`.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IP address.
    public var address: IPAddress
    /// The UDP port.
    public var port: UInt16
    /// The IPv6 scope id (interface index) for link-local addresses; 0 when none.
    public var scopeID: UInt32

    /// Makes an address; `scopeID` matters only for IPv6 link-local and interface-local addresses.
    public init(address: IPAddress, port: UInt16, scopeID: UInt32 = 0) {
        self.address = address
        self.port = port
        self.scopeID = scopeID
    }

    public var description: String {
        switch address {
        case .v4: "\(address):\(port)"
        case .v6: scopeID == 0 ? "[\(address)]:\(port)" : "[\(address)%\(scopeID)]:\(port)"
        }
    }

    /// Calls `body` with this address as a `sockaddr` and its length.
    func withSockAddr<R, E: Error>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(E) -> R) throws(E) -> R {
        switch address {
        case .v4(let a):
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr = a.inAddr
            return try withUnsafePointer(to: &sin) { (pointer) throws(E) -> R in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(E) -> R in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let a):
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            sin6.sin6_addr = a.in6Addr
            sin6.sin6_scope_id = scopeID
            return try withUnsafePointer(to: &sin6) { (pointer) throws(E) -> R in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(E) -> R in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// The address as a `sockaddr_storage`, for structures (group_req) that embed one.
    var storage: sockaddr_storage {
        var storage = sockaddr_storage()
        withSockAddr { pointer, length in
            withUnsafeMutableBytes(of: &storage) { dst in
                dst.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: Int(length)))
            }
        }
        return storage
    }

    /// Reads a kernel `sockaddr`; nil for families other than IPv4/IPv6.
    init?(_ raw: UnsafeRawPointer) {
        let family = raw.load(as: sa_family_t.self)
        switch Int32(family) {
        case AF_INET:
            let sin = raw.loadUnaligned(as: sockaddr_in.self)
            self.init(address: .v4(IPv4Address(UInt32(bigEndian: sin.sin_addr.s_addr))), port: UInt16(bigEndian: sin.sin_port))
        case AF_INET6:
            var sin6 = raw.loadUnaligned(as: sockaddr_in6.self)
            let address = withUnsafeBytes(of: &sin6.sin6_addr) { IPv6Address(bytes: $0) }
            self.init(address: .v6(address), port: UInt16(bigEndian: sin6.sin6_port), scopeID: sin6.sin6_scope_id)
        default:
            return nil
        }
    }
}
