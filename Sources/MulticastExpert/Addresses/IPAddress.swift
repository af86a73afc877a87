#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 address, stored in host byte order.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address as a 32-bit number in host byte order (`127.0.0.1` is `0x7f00_0001`).
    public var value: UInt32

    /// Makes an address from its 32-bit value in host byte order.
    public init(_ value: UInt32) { self.value = value }

    /// Makes an address from its four octets, most significant first.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text (`239.1.2.3`); nil when it is not exactly that.
    public init?(_ text: String) {
        var raw = in_addr()
        guard inet_pton(AF_INET, text, &raw) == 1 else { return nil }
        value = UInt32(bigEndian: raw.s_addr)
    }

    /// The four octets, most significant first.
    public var octets: [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }

    /// The address as the kernel wants it in `struct in_addr`.
    public var inAddr: in_addr { in_addr(s_addr: value.bigEndian) }

    public var description: String {
        let o = octets
        return "\(o[0]).\(o[1]).\(o[2]).\(o[3])"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}

/// An IPv6 address (without a zone; scope ids travel separately, see ``SocketAddress``).
public struct IPv6Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The high 64 bits (first eight bytes on the wire), host byte order.
    public var high: UInt64
    /// The low 64 bits, host byte order.
    public var low: UInt64

    /// Makes an address from its two 64-bit halves in host byte order.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Makes an address from its 16 bytes in network order.
    public init<Bytes: Collection<UInt8>>(bytes: Bytes) {
        precondition(bytes.count == 16, "an IPv6 address has 16 bytes")
        var h: UInt64 = 0, l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        high = h
        low = l
    }

    /// Parses RFC 4291 text (`ff15::1`, `fe80::1`); nil otherwise. A `%zone` suffix is not accepted here.
    public init?(_ text: String) {
        var raw = in6_addr()
        guard inet_pton(AF_INET6, text, &raw) == 1 else { return nil }
        self = withUnsafeBytes(of: &raw) { IPv6Address(bytes: $0) }
    }

    /// The 16 bytes in network order.
    public var bytes: [UInt8] {
        var result = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            let shift = UInt64(56 - 8 * i)
            result[i] = UInt8(truncatingIfNeeded: high >> shift)
            result[i + 8] = UInt8(truncatingIfNeeded: low >> shift)
        }
        return result
    }

    /// The address as the kernel wants it in `struct in6_addr`.
    public var in6Addr: in6_addr {
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { dst in
            for (i, b) in bytes.enumerated() { dst[i] = b }
        }
        return raw
    }

    /// Whether this is a link-local unicast address (fe80::/10), which needs a scope id to be used.
    public var isLinkLocalUnicast: Bool { high >> 54 == 0x3fa }

    public var description: String {
        var raw = in6Addr
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}

/// An IPv4 or IPv6 address: what users type, what interfaces carry and what datagrams come from.
public enum IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible, LosslessStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Parses either family; nil when the text is neither (use ``parse(_:)`` for a typed error).
    public init?(_ text: String) {
        if let v4 = IPv4Address(text) {
            self = .v4(v4)
        } else if let v6 = IPv6Address(text) {
            self = .v6(v6)
        } else {
            return nil
        }
    }

    /// Parses either family, throwing ``MulticastError/malformedAddress(_:)`` with the text when it is neither.
    public static func parse(_ text: String) throws(MulticastError) -> IPAddress {
        guard let address = IPAddress(text) else { throw .malformedAddress(text) }
        return address
    }

    /// The family this address belongs to.
    public var family: AddressFamily {
        switch self {
        case .v4: .ipv4
        case .v6: .ipv6
        }
    }

    /// Whether the address is in 224.0.0.0/4 or ff00::/8.
    public var isMulticast: Bool {
        switch self {
        case .v4(let a): a.value >> 28 == 0xe
        case .v6(let a): a.high >> 56 == 0xff
        }
    }

    /// Whether the address is 127.0.0.0/8 or ::1.
    public var isLoopback: Bool {
        switch self {
        case .v4(let a): a.value >> 24 == 127
        case .v6(let a): a.high == 0 && a.low == 1
        }
    }

    public var description: String {
        switch self {
        case .v4(let a): a.description
        case .v6(let a): a.description
        }
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): a < b
        case (.v6(let a), .v6(let b)): a < b
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}
