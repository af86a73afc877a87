import MulticastExpert

/// The reverse-path filter's verdict on a packet from `source` arriving on an interface.
public enum ReversePathVerdict: Sendable, Hashable {
    /// Filtering is off on that interface.
    case notFiltered
    /// The packet passes; the route back is given.
    case passes(Route)
    /// Dropped: there is no route back to the source at all.
    case droppedNoRoute
    /// Dropped by strict mode: the route back leaves by another interface.
    case droppedWrongInterface(Route)

    public var isDropped: Bool {
        switch self {
        case .droppedNoRoute, .droppedWrongInterface: true
        default: false
        }
    }
}

extension HostView {
    /// Would a packet from `source` arriving on `interface` pass reverse-path filtering?
    /// Strict (1): the route back to the source must leave by that interface. Loose (2): any
    /// route back must exist. 0: no check. (IPv4 only; Linux has no rp_filter for IPv6.)
    public func reversePathVerdict(source: IPAddress, arrivingOn interface: String) -> ReversePathVerdict {
        guard source.family == .ipv4 else { return .notFiltered }
        let mode = effectiveReversePathFilter(interface).value
        guard mode != 0 else { return .notFiltered }
        guard let route = RoutingTable.lookup(source, in: routes4) else { return .droppedNoRoute }
        if mode == 1 && route.interfaceName != interface { return .droppedWrongInterface(route) }
        return .passes(route)
    }
}
