import MulticastExpert

/// A probe stream the TUI should send.
public struct SendRequest: Sendable, Hashable {
    public var group: MulticastGroup
    public var port: UInt16
    public var interface: InterfaceSpecifier
    public var rate: Double
}
