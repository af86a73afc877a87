import MulticastExpert

/// What identifies a stream: the group, the UDP port and the interface it arrives on.
public struct StreamKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var group: MulticastGroup
    public var port: UInt16
    public var interfaceIndex: UInt32
    public var interfaceName: String

    public init(group: MulticastGroup, port: UInt16, interfaceIndex: UInt32, interfaceName: String) {
        self.group = group
        self.port = port
        self.interfaceIndex = interfaceIndex
        self.interfaceName = interfaceName
    }

    public var description: String {
        group.family == .ipv4 ? "\(group):\(port)@\(interfaceName)" : "[\(group)]:\(port)@\(interfaceName)"
    }

    /// Identity is (group, port, interface index); the name only labels it (and hashing a
    /// string per datagram would cost more than the rest of the key).
    public static func == (a: StreamKey, b: StreamKey) -> Bool {
        a.interfaceIndex == b.interfaceIndex && a.port == b.port && a.group == b.group
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(group)
        hasher.combine(port)
        hasher.combine(interfaceIndex)
    }

    public static func < (a: StreamKey, b: StreamKey) -> Bool {
        (a.group, a.port, a.interfaceIndex) < (b.group, b.port, b.interfaceIndex)
    }
}
