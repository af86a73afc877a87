#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMulticastShims
import SystemPackage

// The TTL (IPv4) or hop limit (IPv6) a datagram arrived with: asked for with IP_RECVTTL /
// IPV6_RECVHOPLIMIT, delivered as an IP_TTL / IPV6_HOPLIMIT control message holding an int.

enum ReceivedHopLimit {
    /// `IP_RECVTTL` (linux/in.h).
    static let ipv4Request: Int32 = 12
    /// `IP_TTL`: the control message type that carries the TTL.
    static let ipv4Message: Int32 = 2
    /// `IPV6_RECVHOPLIMIT` (linux/in6.h).
    static let ipv6Request: Int32 = 51
    /// `IPV6_HOPLIMIT`: the control message type that carries the hop limit.
    static let ipv6Message: Int32 = 52

    /// Whether a control message of `level`/`type` carries the arrival TTL or hop limit.
    static func isHopLimit(level: Int32, type: Int32) -> Bool {
        (level == Int32(IPPROTO_IP) && type == ipv4Message) || (level == Int32(IPPROTO_IPV6) && type == ipv6Message)
    }
}

extension UDPSocketDescriptor {
    /// Asks for every datagram's arrival TTL / hop limit as a control message
    /// (`IP_RECVTTL` / `IPV6_RECVHOPLIMIT`).
    func enableReceiveHopLimit(family: AddressFamily) throws(Errno) {
        try setOption(level: family.ipLevel, name: family == .ipv4 ? ReceivedHopLimit.ipv4Request : ReceivedHopLimit.ipv6Request, 1)
    }
}
