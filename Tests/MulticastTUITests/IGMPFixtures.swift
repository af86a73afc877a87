import MulticastDoctor
@testable import MulticastExpert
@testable import MulticastTUI

/// Fabricated IGMP/MLD conversations for the IGMP/MLD screen's tests: messages recorded into an
/// ``IGMPState`` as the listener would, about the interfaces of ``LayoutTests/table``.
enum IGMPFixtures {
    /// The listen starts at 1000 s (monotonic) and the report is taken at 1012 s.
    static let start: Int64 = 1_000_000_000_000
    static func at(_ seconds: Double) -> Int64 { start + Int64(seconds * 1e9) }
    static let end = at(12)

    static let eth0 = 2, enp = 3
    static let generalV3 = IGMPQuery(maxResponseMilliseconds: 1000, robustness: 2, queryInterval: 2)

    /// This host: lo, eth0 (198.18.0.2/24, fe80::2) and enp0s31f6 (nine addresses), a route for
    /// eth0's subnet, strict rp_filter, and 239.1.2.3 joined on eth0.
    static func host(joined: [String] = ["239.1.2.3"]) -> IGMPHostFacts {
        var interfaces = LayoutTests.table.interfaces
        interfaces[1].ipv6Addresses = [InterfaceAddress(address: IPAddress("fe80::2")!, prefixLength: 64)]
        let route = Route(family: .ipv4, destination: IPAddress("198.18.0.0")!, prefixLength: 24, interfaceName: "eth0", gateway: nil, metric: 0, isReject: false)
        let memberships = joined.map { Membership(interfaceIndex: eth0, interfaceName: "eth0", group: IPAddress($0)!, users: 1, igmpVersion: 3) }
        return IGMPHostFacts(interfaces: interfaces, routes4: [route], memberships: memberships, sysctls: ["net/ipv4/conf/all/rp_filter": 1])
    }

    static func message(_ seconds: Double, on index: Int = eth0, from source: String, to destination: String = "224.0.0.22", _ version: IGMPVersion,
                        sent: Bool = false, _ body: IGMPMessageBody) -> IGMPMessage {
        IGMPMessage(interfaceIndex: index, heardAt: at(seconds), sentByThisHost: sent, source: IPAddress(source)!, destination: IPAddress(destination)!,
                    version: version, body: body)
    }

    /// A busy link: an IGMPv3 querier every 2 s and an MLDv2 querier on eth0, an IGMPv2 querier
    /// with a higher address beside them (not elected, older than the hosts), a querier on
    /// enp0s31f6 that rp_filter drops; this host's own report of 239.1.2.3 answering each query,
    /// a neighbour joining and leaving it, a host joining 232.1.1.1 from twenty sources, and
    /// `extraGroups` more groups reported by one host (for scrolling).
    static func busyState(extraGroups: Int = 0) -> IGMPState {
        var state = IGMPState(startedAt: start, host: host())
        var messages: [IGMPMessage] = []
        for t in stride(from: 0.0, through: 10, by: 2) {
            messages.append(message(t, from: "198.18.0.254", to: "224.0.0.1", .igmpV3, .query(generalV3)))
            messages.append(message(t + 0.2, from: "198.18.0.2", .igmpV3, sent: true, .records([IGMPGroupRecord(type: .isExclude, group: IPAddress("239.1.2.3")!)])))
            messages.append(message(t + 0.1, from: "fe80::1", to: "ff02::1", .mldV2, .query(IGMPQuery(maxResponseMilliseconds: 1000, robustness: 2, queryInterval: 2))))
        }
        messages.append(message(1, from: "198.18.0.100", to: "224.0.0.1", .igmpV2, .query(IGMPQuery(maxResponseMilliseconds: 10_000))))
        messages.append(message(11, from: "198.18.0.100", to: "224.0.0.1", .igmpV2, .query(IGMPQuery(maxResponseMilliseconds: 10_000))))
        messages.append(message(3, on: enp, from: "10.9.9.9", to: "224.0.0.1", .igmpV3, .query(generalV3)))
        messages.append(message(0.5, from: "198.18.0.2", .igmpV3, sent: true, .records([IGMPGroupRecord(type: .toExclude, group: IPAddress("239.1.2.3")!)])))
        messages.append(message(1.5, from: "198.18.0.9", to: "239.1.2.3", .igmpV2, .report(group: IPAddress("239.1.2.3")!)))
        messages.append(message(7.5, from: "198.18.0.9", to: "224.0.0.2", .igmpV2, .leave(group: IPAddress("239.1.2.3")!)))
        let sources = LayoutTests.manySources.map { IPAddress($0)! }
        messages.append(message(2.5, from: "198.18.0.7", .igmpV3, .records([IGMPGroupRecord(type: .isInclude, group: IPAddress("232.1.1.1")!, sources: sources)])))
        for i in 0..<extraGroups {
            messages.append(message(4 + Double(i) / 100, from: "198.18.0.50", .igmpV3,
                                    .records([IGMPGroupRecord(type: .isExclude, group: IPAddress("239.5.\(i / 250).\(i % 250 + 1)")!)])))
        }
        for message in messages.sorted(by: { $0.heardAt < $1.heardAt }) { state.record(message) }
        state.advance(to: end)
        return state
    }

    /// The busy link's report, with the long finding of ``LayoutTests`` among its warnings.
    static func busyReport(extraGroups: Int = 0) -> IGMPReport {
        let state = busyState(extraGroups: extraGroups)
        return IGMPReport(state: state, findings: (state.findings(at: end) + [LayoutTests.longFinding]).sortedWorstFirst())
    }

    /// A link on which nothing was heard for 12 s: the "no querier" warnings.
    static func quietReport() -> IGMPReport {
        var state = IGMPState(startedAt: start, host: host(joined: []))
        state.advance(to: end)
        return IGMPReport(state: state, findings: state.findings(at: end))
    }

    /// A state showing the IGMP/MLD screen with `report`, privileged, at `width` × `height`.
    static func state(_ report: IGMPReport?, width: Int = 80, height: Int = 24) -> AppState {
        var s = AppState(hostName: "testhost", privileged: true)
        _ = s.handle(.resize(width: width, height: height))
        _ = s.handle(.interfaces(LayoutTests.table, defaultGateways: [2]))
        if let report { _ = s.handle(.igmp(report)) }
        _ = s.handle(.key(.character("7")))
        return s
    }

    /// The index of the first item whose search text contains `text`.
    static func item(containing text: String, in s: AppState) -> Int? {
        let rows = s.igmpRows
        return (0..<rows.count).first { rows.searchText($0).contains(text) }
    }

    /// The index of `item` in the list.
    static func index(of item: IGMPRows.Item, in s: AppState) -> Int? {
        let rows = s.igmpRows
        return (0..<rows.count).first { rows.item($0) == item }
    }
}
