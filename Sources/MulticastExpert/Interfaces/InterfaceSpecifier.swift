/// How a caller names an interface: by name, by index or by one of its addresses.
///
/// `InterfaceSpecifier("eth0")`, `InterfaceSpecifier("3")` and `InterfaceSpecifier("192.168.1.10")`
/// classify text the way a user means it; string and integer literals work too.
public enum InterfaceSpecifier: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// The kernel's name, e.g. `eth0`.
    case name(String)
    /// The kernel's interface index.
    case index(UInt32)
    /// Any address assigned to the interface (IPv4 or IPv6).
    case address(IPAddress)

    /// Classifies text: an IP address, else a decimal index, else a name.
    public init(_ text: String) {
        if let address = IPAddress(text) {
            self = .address(address)
        } else if let index = UInt32(text) {
            self = .index(index)
        } else {
            self = .name(text)
        }
    }

    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: UInt32) { self = .index(value) }

    public var description: String {
        switch self {
        case .name(let name): name
        case .index(let index): String(index)
        case .address(let address): address.description
        }
    }
}
