import FuzzSupport
import MulticastDoctor
import MulticastExpert

// The IGMP/MLD decoder and the state it feeds, on network-layer packets as a packet socket gives them.
//
// Input layout: byte 0 picks the mode.
// - 0xFF: a sequence of frames, each: selector byte, interface byte, time step (2 bytes,
//   milliseconds), packet length (2 bytes), packet; all fed to one state with tiny caps.
// - anything else: one frame, byte 0 being its selector, byte 1 the interface index, bytes 2...9
//   the arrival time, the rest the packet, starting at the IP header.
// A selector picks the EtherType (0x0800 for even values below 0x80, 0x86DD for odd ones, then a
// few others) and, with bit 6, marks the frame as sent by this host.
//
// Checked on every frame: decoding twice gives the same result; a message's addresses are what
// the RFCs allow; and after every frame the state stays within its caps, counts every message and
// rejection once, and its findings are computed at several times without a trap.

/// A host with eth1 (index 2), strict rp_filter (and no route, so every querier's queries are
/// dropped) and two memberships, so the warnings about its answers, elections and rp_filter all run.
let facts: IGMPHostFacts = {
    let eth1 = NetworkInterface(name: "eth1", index: 2, flags: [.up, .running, .lowerUp, .broadcast, .multicast],
                                ipv4Addresses: [InterfaceAddress(address: IPAddress("198.18.0.1")!, prefixLength: 24)],
                                ipv6Addresses: [InterfaceAddress(address: IPAddress("fe80::1")!, prefixLength: 64)])
    return IGMPHostFacts(interfaces: [eth1],
                         memberships: [Membership(interfaceIndex: 2, interfaceName: "eth1", group: IPAddress("239.1.2.3")!, users: 1, igmpVersion: 3),
                                       Membership(interfaceIndex: 2, interfaceName: "eth1", group: IPAddress("ff02::1:ff00:1")!, users: 1)],
                         sysctls: ["net/ipv4/conf/all/rp_filter": 1])
}()

let limits = IGMPLimits(queriers: 3, groups: 4, reportersPerGroup: 3, reporters: 8, sourcesPerReporter: 3, sources: 10, intervalHistory: 3, openQueries: 4)

func etherType(_ selector: UInt8) -> Int {
    switch selector & 0xbf {
    case 0..<0x80: selector & 1 == 0 ? 0x0800 : 0x86DD
    case 0x80..<0xa0: [0x0806, 0x8100, 0x88CC, 0][Int(selector & 3)]
    default: Int(selector & 0x3f) << 10 | 0x0800  // anything else
    }
}

func check(_ condition: Bool, _ what: String) {
    if !condition { fatalError("invariant broken: \(what)") }
}

/// Decodes one frame, checks the message, and records it.
func feed(_ state: inout IGMPState, selector: UInt8, interface: Int, time: Int64, packet: [UInt8]) {
    let type = etherType(selector), sent = selector & 0x40 != 0
    let decoding = IGMPDecoder.decode(packet, etherType: type, interfaceIndex: interface, heardAt: time, sentByThisHost: sent)
    check(decoding == IGMPDecoder.decode(packet, etherType: type, interfaceIndex: interface, heardAt: time, sentByThisHost: sent), "deterministic")
    if case .message(let message) = decoding {
        check(!message.source.isMulticast, "a multicast source was believed")
        check(message.version.family == message.source.family, "family")
        for group in message.groups { check(group.isMulticast, "a group that is not multicast") }
        if let query = message.query { check(query.maxResponseMilliseconds >= 0 && (query.group != nil || query.sources.isEmpty), "query fields") }
        withExtendedLifetime(message.kind.description + message.source.description + message.destination.description) {}
    }
    let before = state.counts.totalMessages.addingReportingOverflow(state.counts.totalRejected).partialValue
    state.record(decoding)
    let after = state.counts.totalMessages.addingReportingOverflow(state.counts.totalRejected).partialValue
    if case .other = decoding { check(after == before, "other frames are not counted") } else { check(after == before + 1, "counted once") }
    check(state.queriers.count <= limits.queriers && state.groups.count <= limits.groups, "caps")
    check(state.groups.allSatisfy { $0.reporters.count <= limits.reportersPerGroup && $0.reporters.allSatisfy { $0.sources.count <= limits.sourcesPerReporter } }, "group caps")
    check(state.groups.reduce(0) { $0 + $1.reporters.count } <= limits.reporters, "reporter budget")
    check(state.groups.reduce(0) { $0 + $1.reporters.reduce(0) { $0 + $1.sources.count } } <= limits.sources, "source budget")
    check(state.queriers.allSatisfy { $0.intervals.count <= limits.intervalHistory && $0.intervals.allSatisfy { $0 >= 0 } }, "intervals")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte()
    var state = IGMPState(startedAt: 0, host: facts, limits: limits)
    var time: Int64 = 0
    if mode == 0xff {
        while !input.isEmpty {
            let selector = input.byte(), interface = Int(input.byte())
            time = time.addingReportingOverflow(Int64(input.uint16()) * 1_000_000).partialValue
            let packet = input.bytes(Int(input.uint16()))
            feed(&state, selector: selector, interface: interface, time: time, packet: packet)
        }
    } else {
        let interface = Int(input.byte())
        time = Int64(bitPattern: input.uint64())
        feed(&state, selector: mode, interface: interface, time: time, packet: input.rest())
    }
    // What a view and the warnings read, at the end, long after, and at the extremes of time.
    for now in [time, time.addingReportingOverflow(300_000_000_000).partialValue, .max, .min, 0] {
        let findings = state.findings(at: now)
        for finding in findings { withExtendedLifetime(finding.summary + finding.explanation + (finding.fix ?? "")) {} }
        for querier in state.queriers { withExtendedLifetime(state.role(of: querier, at: now)) {} }
    }
    return 0
}
