import FuzzSupport
import MulticastDoctor
import MulticastExpert

// The /proc parsers: routes (IPv4, IPv6, defaults, and the longest-prefix lookup the doctor does
// on what was parsed), the membership listings igmp, igmp6, mcfilter, mcfilter6, and the UDP
// receive-buffer counters in snmp and snmp6.
//
// Input layout: byte 0 picks the parser (or all of them); the rest is the file's text, bytes
// that are not UTF-8 included (decoded as the tools decode /proc: invalid bytes become U+FFFD).
// For the counters, a NUL byte separates the snmp text from the snmp6 text.

private let probes: [IPAddress] = [
    IPAddress("239.1.2.3")!, IPAddress("10.0.0.1")!, IPAddress("0.0.0.0")!, IPAddress("255.255.255.255")!,
    IPAddress("ff15::1")!, IPAddress("fe80::1")!, IPAddress("::")!, IPAddress("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")!,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte() % 10
    let bytes = input.rest()
    let text = String(decoding: bytes, as: UTF8.self)
    switch selector {
    case 0: routes(RoutingTable.routesIPv4(procNetRoute: text))
    case 1: routes(RoutingTable.routesIPv6(procNetIPv6Route: text))
    case 2: defaults(RoutingTable.defaultRoutesIPv4(procNetRoute: text))
    case 3: defaults(RoutingTable.defaultRoutesIPv6(procNetIPv6Route: text))
    case 4: memberships(MembershipFiles.parseIGMP(text))
    case 5: memberships(MembershipFiles.parseIGMP6(text))
    case 6: memberships(MembershipFiles.parseMcfilter(text))
    case 7: memberships(MembershipFiles.parseMcfilter6(text))
    case 8: counters(bytes)
    default:
        routes(RoutingTable.routesIPv4(procNetRoute: text) + RoutingTable.routesIPv6(procNetIPv6Route: text))
        defaults(RoutingTable.defaultRoutesIPv4(procNetRoute: text))  // each family is ordered on its own
        defaults(RoutingTable.defaultRoutesIPv6(procNetIPv6Route: text))
        memberships(MembershipFiles.parseIGMP(text) + MembershipFiles.parseIGMP6(text)
            + MembershipFiles.parseMcfilter(text) + MembershipFiles.parseMcfilter6(text))
    }
    return 0
}

/// What the doctor does with parsed routes: prints them and looks groups and sources up in them.
private func routes(_ routes: [Route]) {
    for route in routes {
        consume(route.description)
        consume(route.contains(route.destination))
    }
    for address in probes + routes.map(\.destination) + routes.compactMap(\.gateway) {
        consume(RoutingTable.lookup(address, in: routes))
    }
}

private func defaults(_ routes: [DefaultRoute]) {
    for route in routes { consume((route.interfaceName, route.gateway?.description, route.metric)) }
    if routes.count > 1 { precondition(zip(routes, routes.dropFirst()).allSatisfy { $0.metric <= $1.metric }, "lowest metric first") }
}

private func counters(_ bytes: [UInt8]) {
    let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let snmp = parts.first.map { String(decoding: $0, as: UTF8.self) }
    let snmp6 = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : nil
    if let errors = UDPCounters.receiveBufferErrors(snmp: snmp, snmp6: snmp6) { precondition(errors >= 0, "a count of drops is not negative") }
    consume(UDPCounters.receiveBufferErrors(snmp: snmp6, snmp6: snmp))
}

private func memberships(_ memberships: [Membership]) {
    for membership in memberships {
        consume((membership.interfaceIndex, membership.interfaceName, membership.group.description, membership.users, membership.igmpVersion))
        for filter in membership.sources { consume((filter.source.description, filter.includeCount, filter.excludeCount)) }
    }
}

@inline(never)
private func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
