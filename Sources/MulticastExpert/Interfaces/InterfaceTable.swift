import SystemPackage

/// A snapshot of the host's interfaces, and the lookups every socket needs.
///
/// Take one with ``current()``, then resolve what the user typed with ``interface(matching:)``.
/// Snapshots do not update: take a new one after interfaces change.
public struct InterfaceTable: Sendable {
    /// Every interface, ordered by index.
    public let interfaces: [NetworkInterface]

    /// Wraps a list of interfaces (tests and tools can build a table from saved data).
    public init(interfaces: [NetworkInterface]) {
        self.interfaces = interfaces
    }

    /// Reads the interfaces of the calling thread's network namespace.
    public static func current() throws(MulticastError) -> InterfaceTable {
        do {
            return InterfaceTable(interfaces: try listInterfaces())
        } catch {
            throw .system(operation: "getifaddrs", errno: error)
        }
    }

    /// The interface a specifier names.
    ///
    /// - Throws: ``MulticastError/interfaceNotFound(_:available:)`` listing the names that exist;
    ///   ``MulticastError/ambiguousInterface(_:matches:)`` when an address is on two interfaces.
    public func interface(matching specifier: InterfaceSpecifier) throws(MulticastError) -> NetworkInterface {
        let matches: [NetworkInterface]
        switch specifier {
        case .name(let name):
            matches = interfaces.filter { $0.name == name }
        case .index(let index):
            let byIndex = interfaces.filter { $0.index == index }
            matches = byIndex.isEmpty ? interfaces.filter { $0.name == String(index) } : byIndex
        case .address(let address):
            matches = interfaces.filter { interface in
                interface.addresses(address.family).contains { $0.address == address }
            }
        }
        guard let first = matches.first else {
            throw .interfaceNotFound(specifier.description, available: interfaces.map(\.name))
        }
        guard matches.count == 1 else {
            throw .ambiguousInterface(specifier.description, matches: matches.map(\.name))
        }
        return first
    }

    /// The interface with this index, if it exists.
    public func interface(index: UInt32) -> NetworkInterface? {
        interfaces.first { $0.index == index }
    }

    /// Interfaces that a receiver with no interfaces named listens on: up, multicast-capable,
    /// not loopback, with an address of `family`.
    public func listenable(for family: AddressFamily) -> [NetworkInterface] {
        interfaces.filter { $0.isListenable(for: family) }
    }

    /// The interface of the lowest-metric default route for `family` — what the host uses to
    /// reach the internet, and the seed's guess when a Tx socket names no interface.
    ///
    /// Reads the calling thread's routing table (`/proc/net/route`, `/proc/net/ipv6_route`).
    /// - Throws: ``MulticastError/noDefaultGateway(_:)`` when there is no usable default route.
    public func defaultGatewayInterface(for family: AddressFamily) throws(MulticastError) -> NetworkInterface {
        for route in RoutingTable.currentDefaultRoutes(family) {
            if let interface = interfaces.first(where: { $0.name == route.interfaceName }) {
                return interface
            }
        }
        throw .noDefaultGateway(family)
    }
}
