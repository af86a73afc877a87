@testable import MulticastDoctor
import MulticastExpert
import Testing

/// Builds IGMP and MLD queries as Linux queriers send them, with correct checksums, so each test
/// can break exactly one thing.
enum CraftedQuery {
    static func checksum(_ bytes: [UInt8]) -> [UInt8] {
        let sum = InternetChecksum.sum(bytes[...])
        let value = ~sum
        return [UInt8(value >> 8), UInt8(value & 0xff)]
    }

    /// An IPv4 packet carrying `igmp` (its checksum filled in), with Router Alert unless told otherwise.
    static func igmp(_ igmp: [UInt8], ttl: UInt8 = 1, source: [UInt8] = [198, 18, 0, 254], destination: [UInt8] = [224, 0, 0, 1],
                     routerAlert: Bool = true) -> [UInt8] {
        var message = igmp
        message[2] = 0; message[3] = 0
        let sum = checksum(message)
        message[2] = sum[0]; message[3] = sum[1]
        let options: [UInt8] = routerAlert ? [148, 4, 0, 0] : []
        let headerLength = 20 + options.count
        let total = headerLength + message.count
        var header: [UInt8] = [UInt8(0x40 | headerLength / 4), 0xc0, UInt8(total >> 8), UInt8(total & 0xff), 0, 0, 0, 0, ttl, 2, 0, 0]
        header += source + destination + options
        let headerSum = checksum(header)
        header[10] = headerSum[0]; header[11] = headerSum[1]
        return header + message
    }

    static let v1: [UInt8] = [0x11, 0, 0, 0, 0, 0, 0, 0]
    static let v2: [UInt8] = [0x11, 100, 0, 0, 0, 0, 0, 0]
    static let v3: [UInt8] = [0x11, 100, 0, 0, 0, 0, 0, 0, 0x02, 125, 0, 0]

    static let linkLocal = IPv6Address("fe80::1")!.bytes
    static let allNodes = IPv6Address("ff02::1")!.bytes

    /// An IPv6 packet: hop-by-hop header (Router Alert, MLD) then an MLD query, checksum over the pseudo-header.
    static func mld(_ body: [UInt8], hopLimit: UInt8 = 1, source: [UInt8] = linkLocal, destination: [UInt8] = allNodes,
                    extensions: [UInt8]? = nil, firstNext: UInt8 = 0) -> [UInt8] {
        var icmp = body
        let length = icmp.count
        let pseudo = source + destination + [UInt8(length >> 24 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), 0, 0, 0, 58]
        let sum = checksum(pseudo + icmp)
        icmp[2] = sum[0]; icmp[3] = sum[1]
        let hopByHop = extensions ?? [58, 0, 5, 2, 0, 0, 1, 0]
        let payload = hopByHop + icmp
        return [0x60, 0, 0, 0, UInt8(payload.count >> 8), UInt8(payload.count & 0xff), firstNext, hopLimit] + source + destination + payload
    }

    static let mldv1: [UInt8] = [130, 0, 0, 0, 0x27, 0x10, 0, 0] + [UInt8](repeating: 0, count: 16)
    static let mldv2: [UInt8] = mldv1 + [0x02, 125, 0, 0]
}

@Suite("IGMP/MLD query validation")
struct QueryFrameTests {
    func parse4(_ packet: [UInt8]) -> HeardQuery? { QuerierListener.parse(packet, etherType: 0x0800, interfaceIndex: 4, heardAt: 7) }
    func parse6(_ packet: [UInt8]) -> HeardQuery? { QuerierListener.parse(packet, etherType: 0x86DD, interfaceIndex: 4, heardAt: 7) }

    @Test("well-formed IGMPv1, v2 and v3 general queries are accepted and versioned by RFC 3376 7.1", arguments: [
        (CraftedQuery.v1, "IGMPv1"), (CraftedQuery.v2, "IGMPv2"), (CraftedQuery.v3, "IGMPv3"),
    ])
    func igmpAccepted(igmp: [UInt8], version: String) throws {
        let query = try #require(parse4(CraftedQuery.igmp(igmp)))
        #expect(query.version == version)
        #expect(query.source.description == "198.18.0.254")
        #expect(query.interfaceIndex == 4 && query.heardAt == 7 && query.routerAlert)
        if version == "IGMPv3" { #expect(query.advertisedInterval == 125) }
    }

    @Test("Ethernet padding after the IP length is ignored; a bridge querier's 0.0.0.0 source is accepted")
    func paddingAndUnspecifiedSource() throws {
        #expect(parse4(CraftedQuery.igmp(CraftedQuery.v3) + [UInt8](repeating: 0, count: 14)) != nil)
        #expect(try #require(parse4(CraftedQuery.igmp(CraftedQuery.v3, source: [0, 0, 0, 0]))).source.description == "0.0.0.0")
    }

    @Test("a group-specific query is accepted to the group, rejected to another group")
    func groupSpecific() {
        var v2 = CraftedQuery.v2
        v2[4...7] = [239, 1, 2, 3]
        #expect(parse4(CraftedQuery.igmp(v2, destination: [239, 1, 2, 3]))?.version == "IGMPv2")
        #expect(parse4(CraftedQuery.igmp(v2, destination: [239, 9, 9, 9])) == nil)
    }

    @Test("Router Alert: IGMPv3 without it is rejected, IGMPv1/v2 without it accepted and marked")
    func routerAlert() throws {
        #expect(parse4(CraftedQuery.igmp(CraftedQuery.v3, routerAlert: false)) == nil)
        let v2 = try #require(parse4(CraftedQuery.igmp(CraftedQuery.v2, routerAlert: false)))
        #expect(!v2.routerAlert)
    }

    @Test("IGMP rejected: bad IGMP checksum, bad header checksum, TTL 2, wrong destination, multicast source, a report, a fragment")
    func igmpRejected() {
        var badChecksum = CraftedQuery.igmp(CraftedQuery.v3)
        badChecksum[24 + 2] ^= 0x01
        #expect(parse4(badChecksum) == nil)
        var badHeader = CraftedQuery.igmp(CraftedQuery.v2)
        badHeader[10] ^= 0x40
        #expect(parse4(badHeader) == nil)
        #expect(parse4(CraftedQuery.igmp(CraftedQuery.v2, ttl: 2)) == nil)
        #expect(parse4(CraftedQuery.igmp(CraftedQuery.v2, destination: [224, 0, 0, 2])) == nil)
        #expect(parse4(CraftedQuery.igmp(CraftedQuery.v2, destination: [198, 18, 0, 2])) == nil)
        #expect(parse4(CraftedQuery.igmp(CraftedQuery.v2, source: [239, 1, 1, 1])) == nil)
        var report = CraftedQuery.v3
        report[0] = 0x22
        #expect(parse4(CraftedQuery.igmp(report)) == nil)
        var fragment = CraftedQuery.igmp(CraftedQuery.v2)
        fragment[6] = 0x20  // more fragments (which also breaks the header checksum; either way rejected)
        #expect(parse4(fragment) == nil)
        var tooManySources = CraftedQuery.v3
        tooManySources[10...11] = [0xff, 0xff]
        #expect(parse4(CraftedQuery.igmp(tooManySources)) == nil)
        #expect(QuerierListener.parse(CraftedQuery.igmp(CraftedQuery.v2), etherType: 0x86DD, interfaceIndex: 1, heardAt: 0) == nil)
    }

    @Test("truncated IGMP frames are rejected at every length, and never trap")
    func igmpTruncated() {
        let full = CraftedQuery.igmp(CraftedQuery.v3)
        for length in 0..<full.count { #expect(parse4(Array(full.prefix(length))) == nil, "length \(length)") }
    }

    @Test("well-formed MLDv1 and MLDv2 queries are accepted", arguments: [(CraftedQuery.mldv1, "MLDv1"), (CraftedQuery.mldv2, "MLDv2")])
    func mldAccepted(body: [UInt8], version: String) throws {
        let query = try #require(parse6(CraftedQuery.mld(body)))
        #expect(query.version == version)
        #expect(query.source.description == "fe80::1")
        if version == "MLDv2" { #expect(query.advertisedInterval == 125) }
    }

    @Test("MLD rejected: global source, hop limit 2, bad checksum, wrong destination, no router alert, no hop-by-hop header")
    func mldRejected() {
        #expect(parse6(CraftedQuery.mld(CraftedQuery.mldv2, source: IPv6Address("2001:db8::1")!.bytes)) == nil)
        #expect(parse6(CraftedQuery.mld(CraftedQuery.mldv2, source: IPv6Address("::")!.bytes)) == nil)
        #expect(parse6(CraftedQuery.mld(CraftedQuery.mldv2, hopLimit: 2)) == nil)
        var bad = CraftedQuery.mld(CraftedQuery.mldv2)
        bad[bad.count - 1] ^= 0x10
        #expect(parse6(bad) == nil)
        #expect(parse6(CraftedQuery.mld(CraftedQuery.mldv2, destination: IPv6Address("ff02::2")!.bytes)) == nil)
        #expect(parse6(CraftedQuery.mld(CraftedQuery.mldv2, extensions: [58, 0, 1, 4, 0, 0, 0, 0])) == nil, "PadN only, no router alert")
        var noHopByHop = CraftedQuery.mld(CraftedQuery.mldv2, extensions: [])
        noHopByHop[6] = 58
        #expect(parse6(noHopByHop) == nil)
    }

    @Test("extension-header chains that loop, run past the end or nest too deep are rejected without trapping")
    func extensionHeaderLoops() {
        // Destination-options headers each naming another destination-options header: a chain
        // that never reaches ICMPv6 within the packet.
        let loop = [58, 0, 5, 2, 0, 0, 1, 0] as [UInt8] + [UInt8](repeating: 0, count: 0)
        var chain: [UInt8] = [60, 0, 5, 2, 0, 0, 1, 0]
        for _ in 0..<20 { chain += [60, 0, 1, 4, 0, 0, 0, 0] }
        #expect(parse6(CraftedQuery.mld(CraftedQuery.mldv2, extensions: chain)) == nil)
        // A header whose length runs past the packet.
        #expect(parse6(CraftedQuery.mld(CraftedQuery.mldv2, extensions: [58, 0xff, 5, 2, 0, 0, 1, 0])) == nil)
        // An option whose length runs past its header.
        #expect(parse6(CraftedQuery.mld(CraftedQuery.mldv2, extensions: [58, 0, 5, 200, 0, 0, 1, 0])) == nil)
        _ = loop
        let full = CraftedQuery.mld(CraftedQuery.mldv2)
        for length in 0..<full.count { #expect(parse6(Array(full.prefix(length))) == nil, "length \(length)") }
        // A payload length larger than the frame.
        var long = full
        long[4] = 0xff
        #expect(parse6(long) == nil)
    }

    @Test("random bytes never trap and are almost never a query")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20_000 {
            let length = Int.random(in: 0...120, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round % 2 == 0, bytes.count > 0 { bytes[0] = 0x45 } else if bytes.count > 0 { bytes[0] = 0x60 }
            _ = parse4(bytes)
            _ = parse6(bytes)
        }
    }

    @Test("the querier log keeps one entry per interface, source and version, and is capped")
    func boundedLog() {
        var log = QuerierLog(capacity: 4)
        for i in 0..<3 { log.record(HeardQuery(interfaceIndex: 2, source: IPAddress("198.18.0.1")!, version: "IGMPv3", advertisedInterval: 125, heardAt: Int64(i))) }
        #expect(log.entries.count == 1 && log.entries[0].count == 3)
        #expect(log.entries[0].firstHeardAt == 0 && log.entries[0].lastHeardAt == 2)
        for i in 0..<1_000 { log.record(HeardQuery(interfaceIndex: 2, source: .v4(IPv4Address(UInt32(i + 10))), version: "IGMPv2", advertisedInterval: nil, heardAt: 0)) }
        #expect(log.entries.count == 4)
        #expect(log.overflow == 997)
    }
}
