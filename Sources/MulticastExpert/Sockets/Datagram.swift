/// A point in time as nanoseconds since the Unix epoch (UTC), as the kernel stamps packets.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    /// Makes a timestamp from nanoseconds since the Unix epoch.
    public init(nanosecondsSinceEpoch: Int64) { self.nanosecondsSinceEpoch = nanosecondsSinceEpoch }

    /// The current wall-clock time.
    public static var now: Timestamp { Timestamp(nanosecondsSinceEpoch: wallClockNanoseconds()) }

    /// Seconds since the epoch, as a floating-point number.
    public var secondsSinceEpoch: Double { Double(nanosecondsSinceEpoch) / 1e9 }

    /// Seconds and nine decimals, `-0.500000000` for half a second before the epoch.
    public var description: String {
        let magnitude = nanosecondsSinceEpoch.magnitude
        let digits = String(magnitude % 1_000_000_000)
        let sign = nanosecondsSinceEpoch < 0 ? "-" : ""
        return "\(sign)\(magnitude / 1_000_000_000).\(String(repeating: "0", count: 9 - digits.count))\(digits)"
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch }
}

/// One received multicast datagram and everything known about how it arrived.
///
/// Unlike the Python library, which cannot say which group or interface a packet came on,
/// every datagram carries both (from `IP_PKTINFO`/`IPV6_PKTINFO`), plus the kernel's receive time.
public struct Datagram: Sendable, Hashable {
    /// The UDP payload. Empty payloads are valid datagrams.
    public var payload: [UInt8]
    /// The sender's address and port.
    public var source: SocketAddress
    /// The group the datagram was sent to (its IP destination address).
    public var group: MulticastGroup
    /// The UDP port it was sent to.
    public var port: UInt16
    /// The index of the interface it arrived on.
    public var interfaceIndex: UInt32
    /// The name of the interface it arrived on.
    public var interfaceName: String
    /// When the kernel received it (`SO_TIMESTAMPNS`), or when it was read if the kernel gave no stamp.
    public var receivedAt: Timestamp
    /// True when the datagram was longer than the receive buffer and was cut short.
    public var isTruncated: Bool
    /// The kernel's running count of datagrams dropped on this datagram's OS socket because its
    /// receive buffer was full (`SO_RXQ_OVFL`); it only grows. 0 when none were dropped.
    public var socketDropCount: UInt32

    /// Makes a datagram; the library makes them from received packets, tests and tools may make their own.
    public init(payload: [UInt8], source: SocketAddress, group: MulticastGroup, port: UInt16, interfaceIndex: UInt32,
                interfaceName: String, receivedAt: Timestamp, isTruncated: Bool = false, socketDropCount: UInt32 = 0) {
        self.payload = payload
        self.source = source
        self.group = group
        self.port = port
        self.interfaceIndex = interfaceIndex
        self.interfaceName = interfaceName
        self.receivedAt = receivedAt
        self.isTruncated = isTruncated
        self.socketDropCount = socketDropCount
    }
}

/// A received datagram seen in place, in the receive buffer, without copying it — for loops
/// that handle hundreds of thousands of datagrams a second. Valid only inside the closure it is
/// passed to; ``datagram`` makes an owned copy.
public struct DatagramView {
    /// The payload, pointing into the receive buffer.
    public let payload: UnsafeRawBufferPointer
    public let source: SocketAddress
    public let group: MulticastGroup
    public let port: UInt16
    public let interfaceIndex: UInt32
    public let interfaceName: String
    public let receivedAt: Timestamp
    public let isTruncated: Bool
    public let socketDropCount: UInt32

    /// Describes a datagram in place; `payload` must stay valid while the view is used.
    public init(payload: UnsafeRawBufferPointer, source: SocketAddress, group: MulticastGroup, port: UInt16, interfaceIndex: UInt32,
                interfaceName: String, receivedAt: Timestamp, isTruncated: Bool = false, socketDropCount: UInt32 = 0) {
        self.payload = payload
        self.source = source
        self.group = group
        self.port = port
        self.interfaceIndex = interfaceIndex
        self.interfaceName = interfaceName
        self.receivedAt = receivedAt
        self.isTruncated = isTruncated
        self.socketDropCount = socketDropCount
    }

    /// An owned copy that may outlive the closure.
    public var datagram: Datagram {
        Datagram(payload: [UInt8](payload), source: source, group: group, port: port, interfaceIndex: interfaceIndex,
                 interfaceName: interfaceName, receivedAt: receivedAt, isTruncated: isTruncated, socketDropCount: socketDropCount)
    }
}

extension Datagram {
    /// Shows this datagram to `body` as a ``DatagramView`` over its own payload (no copy), so one
    /// in-place code path can serve owned datagrams too; the view must not escape `body`.
    public func withView<Result>(_ body: (DatagramView) throws -> Result) rethrows -> Result {
        try payload.withUnsafeBytes { payload in
            try body(DatagramView(payload: payload, source: source, group: group, port: port, interfaceIndex: interfaceIndex,
                                  interfaceName: interfaceName, receivedAt: receivedAt, isTruncated: isTruncated, socketDropCount: socketDropCount))
        }
    }
}
