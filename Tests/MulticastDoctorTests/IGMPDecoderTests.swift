@testable import MulticastDoctor
import MulticastExpert
import NetnsLab
import Testing

/// The IGMP/MLD decoder on crafted packets: every message type and version, and every reason a
/// frame is not believed.
@Suite("IGMP/MLD decoder")
struct IGMPDecoderTests {
    typealias F = CraftedFrame

    func decode4(_ packet: [UInt8], sent: Bool = false) -> IGMPDecoding {
        IGMPDecoder.decode(packet, etherType: 0x0800, interfaceIndex: 4, heardAt: 7, sentByThisHost: sent)
    }
    func decode6(_ packet: [UInt8]) -> IGMPDecoding { IGMPDecoder.decode(packet, etherType: 0x86DD, interfaceIndex: 4, heardAt: 7) }

    // MARK: Queries

    @Test("IGMPv1, v2 and v3 general queries are versioned by RFC 3376 7.1 and carry their timers", arguments: [
        (F.igmpQuery(v3: false, maxResponse: 0), IGMPVersion.igmpV1, 10_000),
        (F.igmpQuery(v3: false, maxResponse: 100), .igmpV2, 10_000),
        (F.igmpQuery(v3: false, maxResponse: 10), .igmpV2, 1_000),
        (F.igmpQuery(v3: true, maxResponse: 100), .igmpV3, 10_000),
    ])
    func igmpGeneralQueries(body: [UInt8], version: IGMPVersion, maxResponse: Int) throws {
        let message = try #require(decode4(F.ipv4(body)).message)
        #expect(message.version == version && message.type == .query && message.wireType == 0x11)
        #expect(message.source.description == "198.18.0.254" && message.destination.description == "224.0.0.1")
        #expect(message.interfaceIndex == 4 && message.heardAt == 7 && message.routerAlert && !message.sentByThisHost)
        let query = try #require(message.query)
        #expect(query.kind == .general && query.group == nil && query.maxResponseMilliseconds == maxResponse)
        if version == .igmpV3 {
            #expect(query.robustness == 2 && query.queryInterval == 125 && !query.suppressRouterProcessing)
        } else {
            #expect(query.robustness == nil && query.queryInterval == nil)
        }
    }

    @Test("IGMPv3 codes of 128 and above are floating point (RFC 3376 4.1.1): max response and QQIC; QRV 0 and S flag")
    func floatingPointCodes() throws {
        // 0x8C: mantissa 12, exponent 0 -> (12 | 16) << 3 = 224; max response in tenths of a second.
        let query = try #require(decode4(F.ipv4(F.igmpQuery(maxResponse: 0x8c, flags: 0x08, qqic: 0xff))).message?.query)
        #expect(query.maxResponseMilliseconds == 22_400)
        #expect(query.queryInterval == (0x1f << 10))
        #expect(query.robustness == nil, "QRV 0 means more than 7: unknown")
        #expect(query.suppressRouterProcessing)
        #expect(IGMPDecoder.decodeCode(32768 + 0x7fff) == (0x1fff << 10), "MLDv2's 16-bit code: (0xfff | 0x1000) << (7 + 3)")
        #expect(IGMPDecoder.decodeCode(1000) == 1000)
    }

    @Test("group-specific and group-and-source-specific queries, to the group or to all-systems")
    func specificQueries() throws {
        let specific = try #require(decode4(F.ipv4(F.igmpQuery(group: "239.1.2.3"), destination: "239.1.2.3")).message?.query)
        #expect(specific.kind == .groupSpecific && specific.group?.description == "239.1.2.3")
        let withSources = try #require(decode4(F.ipv4(F.igmpQuery(group: "232.1.1.1", sources: ["198.18.0.9", "198.18.0.10"]),
                                                      destination: "224.0.0.1")).message?.query)
        #expect(withSources.kind == .groupAndSourceSpecific)
        #expect(withSources.sources.map(\.description) == ["198.18.0.9", "198.18.0.10"])
        let v2 = try #require(decode4(F.ipv4(F.igmpQuery(v3: false, group: "239.1.2.3"), destination: "239.1.2.3")).message)
        #expect(v2.version == .igmpV2 && v2.query?.kind == .groupSpecific)
        #expect(decode4(F.ipv4(F.igmpQuery(group: "239.1.2.3"), destination: "239.9.9.9")).rejection == .badDestination)
        #expect(decode4(F.ipv4(F.igmpQuery(group: "10.1.2.3"), destination: "224.0.0.1")).rejection == .badGroup)
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false, maxResponse: 0, group: "239.1.2.3"), destination: "239.1.2.3")).rejection == .badGroup,
                "IGMPv1 has no group-specific query")
        #expect(decode4(F.ipv4(F.igmpQuery(sources: ["198.18.0.9"]))).rejection == .badGroup, "sources without a group")
    }

    @Test("a bridge querier's 0.0.0.0 source is accepted; Ethernet padding after the IP length is ignored")
    func unspecifiedSourceAndPadding() throws {
        #expect(decode4(F.ipv4(F.igmpQuery(), source: "0.0.0.0")).message?.source.description == "0.0.0.0")
        #expect(decode4(F.ipv4(F.igmpQuery()) + [UInt8](repeating: 0, count: 14)).message != nil)
    }

    // MARK: Reports and leaves

    @Test("IGMPv1 and v2 reports to their group, and a v2 leave to all-routers or the group")
    func igmpReportsAndLeaves() throws {
        let v1 = try #require(decode4(F.ipv4(F.igmpMembership(0x12, group: "239.1.2.3"), source: "198.18.0.2", destination: "239.1.2.3", routerAlert: false)).message)
        #expect(v1.version == .igmpV1 && v1.body == .report(group: IPAddress("239.1.2.3")!) && !v1.routerAlert && v1.wireType == 0x12)
        let v2 = try #require(decode4(F.reportV2("239.1.2.3"), sent: true).message)
        #expect(v2.version == .igmpV2 && v2.type == .report && v2.sentByThisHost && v2.wireType == 0x16)
        let leave = try #require(decode4(F.leaveV2("239.1.2.3")).message)
        #expect(leave.body == .leave(group: IPAddress("239.1.2.3")!) && leave.kind.description == "IGMPv2 leave" && leave.wireType == 0x17)
        #expect(decode4(F.ipv4(F.igmpMembership(0x17, group: "239.1.2.3"), destination: "239.1.2.3")).message != nil)
        #expect(decode4(F.ipv4(F.igmpMembership(0x16, group: "239.1.2.3"), destination: "239.9.9.9")).rejection == .badDestination)
        #expect(decode4(F.ipv4(F.igmpMembership(0x16, group: "198.18.0.1"), destination: "198.18.0.1")).rejection == .badGroup)
        #expect(decode4(F.ipv4(F.igmpMembership(0x17, group: "239.1.2.3"), destination: "224.0.0.1")).rejection == .badDestination)
        #expect(decode4(F.ipv4(F.igmpMembership(0x16, group: "239.1.2.3"), source: "0.0.0.0", destination: "239.1.2.3")).message != nil,
                "a host without an address yet reports from 0.0.0.0")
    }

    @Test("an IGMPv3 report with every record type 1-6, sources and auxiliary data, and a record of unknown type kept as it came")
    func igmpV3Report() throws {
        let records: [(type: UInt8, group: String, sources: [String])] = [
            (1, "232.1.1.1", ["198.18.0.9"]), (2, "239.1.1.2", []), (3, "239.1.1.3", ["198.18.0.9", "198.18.0.10"]),
            (4, "239.1.1.4", []), (5, "232.1.1.5", ["198.18.0.11"]), (6, "232.1.1.6", ["198.18.0.12"]), (9, "239.1.1.9", []),
        ]
        for aux: UInt8 in [0, 2] {
            let packet = F.ipv4(F.igmpV3Report(records, aux: aux), source: "198.18.0.3", destination: "224.0.0.22")
            let message = try #require(decode4(packet).message, "aux \(aux)")
            guard case .records(let decoded) = message.body else { Issue.record("not records: \(message.body)"); continue }
            #expect(message.version == .igmpV3 && message.wireType == 0x22)
            #expect(decoded.map(\.type.description) == ["IS_IN", "IS_EX", "TO_IN", "TO_EX", "ALLOW", "BLOCK", "type 9"])
            #expect(decoded.map(\.group.description) == records.map(\.group))
            #expect(decoded.map { $0.sources.map(\.description) } == records.map(\.sources))
            #expect(message.groups.count == 7)
        }
        #expect(decode4(F.ipv4(F.igmpV3Report([(4, "239.1.1.4", [])]), destination: "224.0.0.22", routerAlert: false)).rejection == .noRouterAlert)
        #expect(decode4(F.ipv4(F.igmpV3Report([(4, "239.1.1.4", [])]), destination: "224.0.0.2")).rejection == .badDestination)
        #expect(decode4(F.ipv4(F.igmpV3Report([(4, "10.1.1.4", [])]), destination: "224.0.0.22")).rejection == .badGroup)
        var overlong = F.igmpV3Report([(1, "232.1.1.1", ["198.18.0.9"])])
        overlong[11] = 2  // two sources claimed, one present
        #expect(decode4(F.ipv4(overlong, destination: "224.0.0.22")).rejection == .badLength)
        var manyRecords = F.igmpV3Report([(4, "239.1.1.4", [])])
        manyRecords[6...7] = [0xff, 0xff]
        #expect(decode4(F.ipv4(manyRecords, destination: "224.0.0.22")).rejection == .badLength)
        #expect(decode4(F.ipv4(F.igmpV3Report([]), destination: "224.0.0.22")).message?.groups == [], "no records is well formed")
    }

    // MARK: MLD

    @Test("MLDv1 and MLDv2 general queries, a group-and-source-specific MLDv2 query, and MLDv2's exponential max response")
    func mldQueries() throws {
        let v1 = try #require(decode6(F.ipv6(F.mldQuery(v2: false, maxResponse: 10_000))).message)
        #expect(v1.version == .mldV1 && v1.wireType == 130 && v1.query?.maxResponseMilliseconds == 10_000 && v1.query?.kind == .general)
        let v2 = try #require(decode6(F.ipv6(F.mldQuery(maxResponse: 1000))).message)
        #expect(v2.version == .mldV2 && v2.query?.robustness == 2 && v2.query?.queryInterval == 125 && v2.query?.maxResponseMilliseconds == 1000)
        #expect(v2.source.description == "fe80::1")
        let ssm = try #require(decode6(F.ipv6(F.mldQuery(group: "ff3e::8000:1", sources: ["2001:db8::9"]), destination: "ff3e::8000:1")).message?.query)
        #expect(ssm.kind == .groupAndSourceSpecific && ssm.sources.map(\.description) == ["2001:db8::9"])
        #expect(try #require(decode6(F.ipv6(F.mldQuery(maxResponse: 0x8000 | 0x1234))).message?.query).maxResponseMilliseconds == (0x1234 | 0x1000) << 4)
        #expect(decode6(F.ipv6(F.mldQuery(v2: false) + [0, 0])).rejection == .badLength, "26 bytes is no MLD version")
    }

    @Test("MLDv1 report and done, and an MLDv2 report with all record types, also from :: before a link-local address exists")
    func mldReports() throws {
        let report = try #require(decode6(F.ipv6(F.mldMembership(131, group: "ff15::1"), destination: "ff15::1")).message)
        #expect(report.version == .mldV1 && report.body == .report(group: IPAddress("ff15::1")!) && report.wireType == 131)
        let done = try #require(decode6(F.ipv6(F.mldMembership(132, group: "ff15::1"), destination: "ff02::2")).message)
        #expect(done.body == .leave(group: IPAddress("ff15::1")!) && done.kind.description == "MLDv1 done" && done.wireType == 132)
        let records: [(type: UInt8, group: String, sources: [String])] = (1...6).map { (UInt8($0), "ff3e::8000:\($0)", $0 % 2 == 1 ? ["2001:db8::\($0)"] : []) }
        let v2 = try #require(decode6(F.ipv6(F.mldV2Report(records), destination: "ff02::16")).message)
        guard case .records(let decoded) = v2.body else { Issue.record("not records"); return }
        #expect(v2.version == .mldV2 && v2.wireType == 143)
        #expect(decoded.map(\.type.rawValue) == [1, 2, 3, 4, 5, 6])
        #expect(decoded.map { $0.sources.map(\.description) } == records.map(\.sources))
        #expect(decode6(F.ipv6(F.mldV2Report(records), source: "::", destination: "ff02::16")).message != nil)
        #expect(decode6(F.ipv6(F.mldMembership(131, group: "ff15::1"), source: "::", destination: "ff15::1")).rejection == .badSource)
        #expect(decode6(F.ipv6(F.mldV2Report(records), destination: "ff02::1")).rejection == .badDestination)
        #expect(decode6(F.ipv6(F.mldMembership(131, group: "ff15::1"), destination: "ff15::2")).rejection == .badDestination)
        #expect(decode6(F.ipv6(F.mldMembership(131, group: "2001:db8::1"), destination: "2001:db8::1")).rejection == .badGroup)
    }

    // MARK: Rejections

    @Test("IGMP rejected, each for its reason: checksums, TTL, source, fragment, options, length, type")
    func igmpRejected() {
        var badChecksum = F.ipv4(F.igmpQuery())
        badChecksum[24 + 2] ^= 0x01
        #expect(decode4(badChecksum).rejection == .checksum)
        var badHeader = F.ipv4(F.igmpQuery(v3: false))
        badHeader[10] ^= 0x40
        #expect(decode4(badHeader).rejection == .ipHeaderChecksum)
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false), ttl: 2)).rejection == .notLinkLocal)
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false), ttl: 64, routerAlert: false)).rejection == .notLinkLocal)
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false), destination: "224.0.0.2")).rejection == .badDestination)
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false), destination: "198.18.0.2")).rejection == .badDestination)
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false), source: "239.1.1.1")).rejection == .badSource)
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false), source: "255.255.255.255")).rejection == .badSource)
        #expect(decode4(F.ipv4(F.igmpQuery(), routerAlert: false)).rejection == .noRouterAlert, "IGMPv3 requires Router Alert")
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false), routerAlert: false)).message?.routerAlert == false, "IGMPv2 without it is marked")
        var fragment = F.ipv4(F.igmpQuery(v3: false))
        fragment[6] = 0x20
        fragment[10...11] = [0, 0]
        fragment[10...11] = CraftedFrame.checksum(Array(fragment[0..<24]))[...]
        #expect(decode4(fragment).rejection == .fragment)
        var tooManySources = F.igmpQuery()
        tooManySources[10...11] = [0xff, 0xff]
        #expect(decode4(F.ipv4(tooManySources)).rejection == .badLength)
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false) + [0, 0])).rejection == .badLength, "10 bytes is no IGMP version")
        #expect(decode4(F.ipv4([0x13, 0, 0, 0, 0, 0, 0, 0])).rejection == .otherType, "DVMRP")
        // Options: a length byte running past the header.
        var options = F.ipv4(F.igmpQuery(v3: false))
        options[21] = 12
        options[10...11] = [0, 0]
        options[10...11] = CraftedFrame.checksum(Array(options[0..<24]))[...]
        #expect(decode4(options).rejection == .ipOptions)
        #expect(decode4(F.ipv4(F.igmpQuery(v3: false)), sent: false).message != nil)
        #expect(IGMPDecoder.decode(F.ipv4(F.igmpQuery()), etherType: 0x86DD, interfaceIndex: 1, heardAt: 0) == .other)
        #expect(IGMPDecoder.decode(F.ipv4(F.igmpQuery()), etherType: 0x0806, interfaceIndex: 1, heardAt: 0) == .other)
    }

    @Test("a rejection keeps what could be read: family, claimed source, IGMP type, interface, time, direction")
    func rejectionDetails() {
        var bad = F.reportV2("239.1.2.3", from: "198.18.0.66")
        bad[bad.count - 1] ^= 1
        guard case .rejected(let rejection) = decode4(bad, sent: true) else { Issue.record("accepted"); return }
        #expect(rejection == IGMPRejection(reason: .checksum, family: .ipv4, interfaceIndex: 4, heardAt: 7, sentByThisHost: true,
                                           source: IPAddress("198.18.0.66"), wireType: 0x16))
    }

    @Test("UDP, TCP and ICMPv6 echo are not IGMP/MLD at all: nothing to count")
    func otherProtocols() {
        var udp = F.ipv4(F.igmpQuery())
        udp[9] = 17
        #expect(decode4(udp) == .other)
        var echo = F.ipv6(F.mldQuery())
        echo[48] = 128
        #expect(decode6(echo) == .other)
        #expect(decode6([0x60] + [UInt8](repeating: 0, count: 30)) == .other)
    }

    @Test("MLD rejected: global source, hop limit 255, bad checksum, wrong destination, no router alert, routing and fragment headers, truncated")
    func mldRejected() {
        #expect(decode6(F.ipv6(F.mldQuery(), source: "2001:db8::1")).rejection == .badSource)
        #expect(decode6(F.ipv6(F.mldQuery(), source: "::")).rejection == .badSource)
        #expect(decode6(F.ipv6(F.mldQuery(), hopLimit: 255)).rejection == .notLinkLocal)
        var bad = F.ipv6(F.mldQuery())
        bad[bad.count - 1] ^= 0x10
        #expect(decode6(bad).rejection == .checksum)
        #expect(decode6(F.ipv6(F.mldQuery(), destination: "ff02::2")).rejection == .badDestination)
        #expect(decode6(F.ipv6(F.mldQuery(), extensions: [58, 0, 1, 4, 0, 0, 0, 0])).rejection == .noRouterAlert, "PadN only")
        #expect(decode6(F.ipv6(F.mldQuery(), extensions: [58, 0, 5, 2, 0, 1, 1, 0])).rejection == .noRouterAlert, "Router Alert for RSVP, not MLD")
        var noHopByHop = F.ipv6(F.mldQuery(), extensions: [])
        noHopByHop[6] = 58
        #expect(decode6(noHopByHop).rejection == .noRouterAlert)
        // Hop-by-hop, then a routing header, then ICMPv6.
        #expect(decode6(F.ipv6(F.mldQuery(), extensions: [43, 0, 5, 2, 0, 0, 1, 0] + [58, 0, 0, 0, 0, 0, 0, 0])).rejection == .extensionHeaders)
        // Hop-by-hop, then the first fragment.
        #expect(decode6(F.ipv6(F.mldQuery(), extensions: [44, 0, 5, 2, 0, 0, 1, 0] + [58, 0, 0, 1, 0, 0, 0, 1])).rejection == .fragment)
        var long = F.ipv6(F.mldQuery())
        long[4] = 0x01
        #expect(decode6(long).rejection == .truncated, "a payload length beyond the frame")
    }

    @Test("extension-header chains that loop, run past the end or nest too deep are rejected without trapping")
    func extensionHeaderChains() {
        var chain: [UInt8] = [60, 0, 5, 2, 0, 0, 1, 0]
        for _ in 0..<20 { chain += [60, 0, 1, 4, 0, 0, 0, 0] }
        #expect(decode6(F.ipv6(F.mldQuery(), extensions: chain)).rejection == .extensionHeaders)
        #expect(decode6(F.ipv6(F.mldQuery(), extensions: [58, 0xff, 5, 2, 0, 0, 1, 0])).rejection == .extensionHeaders)
        #expect(decode6(F.ipv6(F.mldQuery(), extensions: [58, 0, 5, 200, 0, 0, 1, 0])).rejection == .extensionHeaders)
    }

    @Test("every prefix of every message is rejected or ignored, never a message, never a trap")
    func truncatedEverywhere() {
        let v4: [[UInt8]] = [F.ipv4(F.igmpQuery()), F.reportV3([(1, "232.1.1.1", ["198.18.0.9"])]), F.reportV2("239.1.2.3"), F.leaveV2("239.1.2.3")]
        for full in v4 {
            for length in 0..<full.count { #expect(decode4(Array(full.prefix(length))).message == nil, "length \(length)") }
        }
        let v6: [[UInt8]] = [F.ipv6(F.mldQuery()), F.ipv6(F.mldV2Report([(4, "ff15::1", [])]), destination: "ff02::16")]
        for full in v6 {
            for length in 0..<full.count { #expect(decode6(Array(full.prefix(length))).message == nil, "length \(length)") }
        }
    }

    @Test("random bytes never trap")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20_000 {
            let length = Int.random(in: 0...160, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count > 9 { if round % 2 == 0 { bytes[0] = 0x45; bytes[9] = 2 } else { bytes[0] = 0x60; bytes[6] = 0 } }
            _ = decode4(bytes)
            _ = decode6(bytes)
        }
    }

    @Test("the pre-filter lets every IGMP and MLD frame through and stops UDP")
    func preFilter() {
        func passes(_ packet: [UInt8], _ etherType: Int) -> Bool { packet.withUnsafeBytes { IGMPDecoder.mayBeMembership($0, etherType: etherType) } }
        #expect(passes(F.ipv4(F.igmpQuery()), 0x0800))
        #expect(passes(F.ipv6(F.mldQuery()), 0x86DD))
        var udp = F.ipv4(F.igmpQuery())
        udp[9] = 17
        #expect(!passes(udp, 0x0800))
        #expect(!passes([], 0x0800))
    }
}
