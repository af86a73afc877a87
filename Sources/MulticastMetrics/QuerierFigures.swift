import MulticastDoctor
import MulticastExpert

/// Whether a querier keeps the memberships of one interface alive, for one address family: what
/// the `mcexpert_interface_*` series show. Without a querier, snooping switches forget this
/// host's joins after about 260 s — the "works for four minutes" failure.
public struct QuerierFigures: Sendable, Hashable {
    /// The interface, the `interface` label.
    public var interfaceName: String
    /// IPv4 (IGMP) or IPv6 (MLD), the `family` label.
    public var family: AddressFamily
    /// An IGMP (IPv4) or MLD (IPv6) querier was heard querying recently enough to still count.
    public var isQuerierSeen: Bool
    /// Seconds since the latest query of any querier; nil when none was ever heard.
    public var lastQueryAgeSeconds: Double?

    /// Figures as they are (``measure(_:interfaces:now:)`` is what reads them from a listener's state).
    public init(interfaceName: String, family: AddressFamily, isQuerierSeen: Bool, lastQueryAgeSeconds: Double?) {
        self.interfaceName = interfaceName
        self.family = family
        self.isQuerierSeen = isQuerierSeen
        self.lastQueryAgeSeconds = lastQueryAgeSeconds
    }

    /// The figures of each interface in `interfaces` (index and name), for both families, from
    /// what the listener heard; `now` is the monotonic clock the listener stamps frames with.
    public static func measure(_ state: IGMPState, interfaces: [(index: UInt32, name: String)], now: Int64) -> [QuerierFigures] {
        var figures: [QuerierFigures] = []
        for interface in interfaces {
            for family in [AddressFamily.ipv4, .ipv6] {
                let heard = state.queriers(interfaceIndex: Int(interface.index), family: family)
                let latest = heard.map(\.lastHeardAt).max()
                figures.append(QuerierFigures(
                    interfaceName: interface.name, family: family,
                    isQuerierSeen: state.electedQuerier(interfaceIndex: Int(interface.index), family: family, at: now) != nil,
                    lastQueryAgeSeconds: latest.map { max(Double(now.subtractingSaturating($0)) / 1e9, 0) }))
            }
        }
        return figures
    }
}
