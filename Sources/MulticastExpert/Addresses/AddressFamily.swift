#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IPv4 or IPv6: a multicast socket is always one or the other.
public enum AddressFamily: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ipv4
    case ipv6

    public var description: String { self == .ipv4 ? "IPv4" : "IPv6" }

    /// The `AF_INET`/`AF_INET6` constant for socket calls.
    public var socketDomain: Int32 { self == .ipv4 ? AF_INET : AF_INET6 }

    /// The largest UDP payload one datagram of this family can carry (without jumbograms).
    public var maximumPayload: Int { self == .ipv4 ? 65_507 : 65_527 }
}
