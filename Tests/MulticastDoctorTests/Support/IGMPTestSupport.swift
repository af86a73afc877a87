@testable import MulticastDoctor
@testable import MulticastExpert
import NetnsLab

extension IGMPDecoding {
    /// The message, when the frame was one.
    var message: IGMPMessage? {
        if case .message(let message) = self { return message }
        return nil
    }

    /// Why it was rejected, when it was.
    var rejection: IGMPRejectionReason? {
        if case .rejected(let rejection) = self { return rejection.reason }
        return nil
    }
}

extension IGMPState {
    /// Decodes `packet` as heard on interface `index` at `seconds` and records it.
    mutating func hear(_ packet: [UInt8], at seconds: Double, on index: Int = 2, sent: Bool = false) {
        let etherType = packet.first.map { $0 >> 4 == 6 ? 0x86DD : 0x0800 } ?? 0x0800
        record(IGMPDecoder.decode(packet, etherType: etherType, interfaceIndex: index, heardAt: Int64(seconds * 1e9), sentByThisHost: sent))
    }
}

/// Seconds as the state's monotonic nanoseconds.
func at(_ seconds: Double) -> Int64 { Int64(seconds * 1e9) }

/// Facts about a host with `eth1` (index 2) at 198.18.0.1/24 and fe80::1, a route for its subnet,
/// and the given memberships on eth1.
func hostFacts(joined: [String] = [], sources: [String: [String]] = [:], sysctls: [String: Int] = [:], name: String = "eth1") -> IGMPHostFacts {
    let eth1 = NetworkInterface(name: name, index: 2, flags: [.up, .running, .lowerUp, .broadcast, .multicast],
                                ipv4Addresses: [InterfaceAddress(address: IPAddress("198.18.0.1")!, prefixLength: 24)],
                                ipv6Addresses: [InterfaceAddress(address: IPAddress("fe80::1")!, prefixLength: 64)])
    let route = Route(family: .ipv4, destination: IPAddress("198.18.0.0")!, prefixLength: 24, interfaceName: name, gateway: nil, metric: 0, isReject: false)
    let memberships = joined.map { group in
        Membership(interfaceIndex: 2, interfaceName: name, group: IPAddress(group)!, users: 1, igmpVersion: group.contains(":") ? nil : 3,
                   sources: (sources[group] ?? []).map { .init(source: IPAddress($0)!, includeCount: 1, excludeCount: 0) })
    }
    return IGMPHostFacts(interfaces: [FabricatedHost.loopback, eth1], routes4: [route], memberships: memberships, sysctls: sysctls)
}
