@testable import MulticastDoctor
import MulticastExpert
import NetnsLab
import Testing

/// The IGMP/MLD state fed crafted frames and times: queriers and elections, groups with their
/// reporters' filters, this host's answers, rejections, and the caps.
@Suite("IGMP/MLD state")
struct IGMPStateTests {
    typealias F = CraftedFrame

    @Test("a querier: general queries every 2 s, its advertised interval, QRV, max response, group-specific queries")
    func querier() throws {
        var state = IGMPState(startedAt: 0)
        for t in [0.0, 2.0, 4.1, 6.0] { state.hear(F.ipv4(F.igmpQuery(maxResponse: 10, flags: 0x03, qqic: 2)), at: t) }
        state.hear(F.ipv4(F.igmpQuery(maxResponse: 10, group: "239.1.2.3", flags: 0x03, qqic: 2), destination: "239.1.2.3"), at: 5)
        state.hear(F.ipv4(F.igmpQuery(group: "232.1.1.1", sources: ["198.18.0.9"]), destination: "232.1.1.1"), at: 5.5)
        let querier = try #require(state.queriers.first)
        #expect(state.queriers.count == 1)
        #expect(querier.address.description == "198.18.0.254" && querier.version == .igmpV3 && querier.interfaceIndex == 2)
        #expect(querier.generalQueries == 4 && querier.groupSpecificQueries == 1 && querier.groupAndSourceSpecificQueries == 1 && querier.queries == 6)
        #expect(querier.advertisedInterval == 125, "the last query's QQIC")
        #expect(querier.robustness == 2)
        #expect(querier.maxResponseMilliseconds == 1000)
        #expect(abs(try #require(querier.observedInterval) - 2.0) < 0.001, "median of 2.0, 2.1, 1.9")
        #expect(querier.lastQueriedGroup?.description == "232.1.1.1")
        #expect(querier.firstHeardAt == at(0) && querier.lastHeardAt == at(6))
        #expect(state.role(of: querier, at: at(6.5)) == .elected)
        let specific = try #require(state.groups.first { $0.group.description == "239.1.2.3" })
        #expect(specific.groupQueries == 1 && specific.reporters.isEmpty && specific.lastGroupQueryAt == at(5))
    }

    @Test("election: the lowest address of those querying is elected, a bridge's 0.0.0.0 loses to any, a silent querier has stopped")
    func election() throws {
        var state = IGMPState(startedAt: 0)
        for t in stride(from: 0.0, through: 10, by: 1) {
            state.hear(F.ipv4(F.igmpQuery(qqic: 1), source: "198.18.0.254"), at: t)
            state.hear(F.ipv4(F.igmpQuery(qqic: 1), source: "0.0.0.0"), at: t)
            if t >= 4 { state.hear(F.ipv4(F.igmpQuery(qqic: 1), source: "198.18.0.7"), at: t + 0.5) }
        }
        let byAddress = Dictionary(uniqueKeysWithValues: state.queriers.map { ($0.address.description, $0) })
        #expect(state.role(of: byAddress["198.18.0.7"]!, at: at(10.6)) == .elected)
        #expect(state.role(of: byAddress["198.18.0.254"]!, at: at(10.6)) == .notElected)
        #expect(state.role(of: byAddress["0.0.0.0"]!, at: at(10.6)) == .notElected)
        #expect(state.electedQuerier(interfaceIndex: 2, family: .ipv4, at: at(10.6))?.address.description == "198.18.0.7")
        #expect(state.role(of: byAddress["198.18.0.254"]!, at: at(30)) == .stopped, "queried every 1 s with 10 s to answer: silent for 20 s")
        #expect(state.electedQuerier(interfaceIndex: 2, family: .ipv4, at: at(30)) == nil)
        #expect(state.electedQuerier(interfaceIndex: 2, family: .ipv6, at: at(10)) == nil)
    }

    @Test("IGMPv3 records change each reporter's filter as RFC 3376 6.4 says; TO_IN with no source is a leave")
    func v3Filters() throws {
        var state = IGMPState(startedAt: 0)
        state.hear(F.reportV3([(4, "239.1.2.3", []), (1, "232.1.1.1", ["198.18.0.9"])], from: "198.18.0.2"), at: 1)
        state.hear(F.reportV3([(5, "232.1.1.1", ["198.18.0.10", "198.18.0.9"])], from: "198.18.0.2"), at: 2)
        state.hear(F.reportV3([(2, "239.1.2.3", ["198.18.0.66"])], from: "198.18.0.3"), at: 2.5)
        state.hear(F.reportV3([(6, "239.1.2.3", ["198.18.0.67"])], from: "198.18.0.3"), at: 2.6)
        var ssm = try #require(state.groups.first { $0.group.description == "232.1.1.1" })
        #expect(ssm.isSourceSpecific)
        #expect(ssm.reporters.count == 1 && ssm.reporters[0].mode == .include)
        #expect(ssm.reporters[0].sources.map(\.description) == ["198.18.0.9", "198.18.0.10"])
        #expect(ssm.reporters[0].lastRecordType == .allow && ssm.reporters[0].version == .igmpV3 && ssm.reporters[0].reports == 2)
        let asm = try #require(state.groups.first { $0.group.description == "239.1.2.3" })
        #expect(asm.reporters.map(\.address.description) == ["198.18.0.2", "198.18.0.3"])
        #expect(asm.reporters[0].mode == .exclude && asm.reporters[0].sources.isEmpty)
        #expect(asm.reporters[1].mode == .exclude && asm.reporters[1].sources.map(\.description) == ["198.18.0.66", "198.18.0.67"], "BLOCK in exclude mode adds")
        state.hear(F.reportV3([(6, "232.1.1.1", ["198.18.0.9", "198.18.0.10"])], from: "198.18.0.2"), at: 3)
        ssm = try #require(state.groups.first { $0.group.description == "232.1.1.1" })
        #expect(ssm.reporters[0].hasLeft && ssm.reporters[0].leftAt == at(3) && ssm.leaves == 1, "its last source blocked: left")
        state.hear(F.reportV3([(3, "239.1.2.3", [])], from: "198.18.0.2"), at: 4)
        state.hear(F.reportV3([(3, "239.1.2.3", [])], from: "198.18.0.2"), at: 4.5)  // the robustness repeat
        let left = try #require(state.groups.first { $0.group.description == "239.1.2.3" })
        #expect(left.reporters[0].hasLeft && left.leaves == 1 && left.lastLeaveAt == at(4), "one leave, however often repeated")
        #expect(left.members.map(\.address.description) == ["198.18.0.3"])
        state.hear(F.reportV3([(4, "239.1.2.3", [])], from: "198.18.0.2"), at: 5)
        #expect(state.groups.first { $0.group.description == "239.1.2.3" }?.reporters[0].hasLeft == false, "joined again")
        #expect(state.groups.first { $0.group.description == "239.1.2.3" }?.reports == 6)
    }

    @Test("IGMPv1/v2 and MLDv1 reports make an exclude-mode member; a leave or done marks it left")
    func olderVersions() throws {
        var state = IGMPState(startedAt: 0)
        state.hear(F.ipv4(F.igmpMembership(0x12, group: "239.1.2.3"), source: "198.18.0.4", destination: "239.1.2.3"), at: 1)
        state.hear(F.reportV2("239.1.2.3", from: "198.18.0.5"), at: 1.5)
        state.hear(F.leaveV2("239.1.2.3", from: "198.18.0.5"), at: 2)
        state.hear(F.leaveV2("239.1.2.4", from: "198.18.0.6"), at: 2.5)
        state.hear(F.ipv6(F.mldMembership(131, group: "ff15::1"), source: "fe80::5", destination: "ff15::1"), at: 3)
        state.hear(F.ipv6(F.mldMembership(132, group: "ff15::1"), source: "fe80::5", destination: "ff02::2"), at: 3.5)
        let group = try #require(state.groups.first { $0.group.description == "239.1.2.3" })
        #expect(group.reporters.map { "\($0.address) \($0.version) \($0.mode) \($0.hasLeft)" } == [
            "198.18.0.4 IGMPv1 exclude false", "198.18.0.5 IGMPv2 exclude true",
        ])
        #expect(group.leaves == 1 && group.reports == 2)
        #expect(state.groups.first { $0.group.description == "239.1.2.4" }?.reporters.first?.hasLeft == true, "a leave from a host never heard before")
        let mld = try #require(state.groups.first { $0.group.description == "ff15::1" })
        #expect(mld.reporters.first?.version == .mldV1 && mld.reporters.first?.hasLeft == true)
        #expect(state.counts.messages[IGMPMessageKind(version: .mldV1, type: .leave)] == 1)
        #expect(state.counts.messages[IGMPMessageKind(version: .igmpV2, type: .report)] == 1)
    }

    @Test("this host's reports are the ones it sent (outgoing frames); a frame from the wire with its address is a forgery, not this host")
    func ownReports() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts())
        state.hear(F.reportV3([(4, "239.1.2.3", [])], from: "198.18.0.1"), at: 1, sent: true)
        state.hear(F.reportV3([(4, "239.1.2.3", [])], from: "198.18.0.2"), at: 1)
        state.hear(F.reportV3([(4, "239.1.2.4", [])], from: "0.0.0.0"), at: 1, sent: true)
        state.hear(F.reportV3([(4, "239.1.2.5", [])], from: "198.18.0.1"), at: 1)  // this host's address, from the wire
        let group = try #require(state.groups.first { $0.group.description == "239.1.2.3" })
        #expect(group.reporters.map(\.isThisHost) == [true, false])
        #expect(state.groups.first { $0.group.description == "239.1.2.4" }?.reporters.first?.isThisHost == true)
        #expect(state.groups.first { $0.group.description == "239.1.2.5" }?.reporters.first?.isThisHost == false)
        #expect(state.counts.sentByThisHost == 2)
    }

    @Test("rejected frames are counted by reason and never become queriers or members")
    func rejections() {
        var state = IGMPState(startedAt: 0)
        var bad = F.generalQueryV3()
        bad[bad.count - 1] ^= 1
        state.hear(bad, at: 1)
        state.hear(F.ipv4(F.igmpQuery(), ttl: 64), at: 2)
        state.hear(F.ipv4(F.igmpQuery(), ttl: 2), at: 3)
        state.hear(F.ipv6(F.mldQuery(), source: "2001:db8::1"), at: 4)
        #expect(state.queriers.isEmpty && state.groups.isEmpty && state.counts.totalMessages == 0)
        #expect(state.counts.rejected == [.checksum: 1, .notLinkLocal: 2, .badSource: 1])
        #expect(state.lastRejection?.reason == .badSource && state.lastRejection?.family == .ipv6)
    }

    @Test("this host answers a query about a group it joined, misses one, or is silenced by a v2 neighbour's report")
    func answers() throws {
        var state = IGMPState(startedAt: 0, host: hostFacts(joined: ["224.0.0.1", "239.1.2.3", "239.1.2.4"]))
        // Query 1 (max response 1 s): this host answers 239.1.2.3 in IGMPv3, a neighbour's v2 report silences 239.1.2.4.
        state.hear(F.ipv4(F.igmpQuery(maxResponse: 10)), at: 0)
        state.hear(F.reportV3([(2, "239.1.2.3", [])], from: "198.18.0.1"), at: 0.4, sent: true)
        state.hear(F.reportV2("239.1.2.4", from: "198.18.0.9"), at: 0.2)
        // Query 2: nothing answered.
        state.hear(F.ipv4(F.igmpQuery(maxResponse: 10)), at: 10)
        let settled = state.advanced(to: at(12.1))
        let byGroup = Dictionary(uniqueKeysWithValues: settled.responses.map { ($0.group.description, $0) })
        #expect(byGroup["224.0.0.1"] == nil, "224.0.0.1 is never reported")
        #expect(byGroup["239.1.2.3"]?.answered == 1 && byGroup["239.1.2.3"]?.missed == 1)
        #expect(byGroup["239.1.2.3"]?.lastMissedQueryAt == at(10) && byGroup["239.1.2.3"]?.lastMissedQuerier?.description == "198.18.0.254")
        #expect(byGroup["239.1.2.4"]?.suppressed == 1 && byGroup["239.1.2.4"]?.lastSuppressedBy?.description == "198.18.0.9")
        #expect(state.advanced(to: at(11.5)).responses.allSatisfy { $0.missed == 0 }, "not judged while the window (1 s + 1 s slack) is open")
    }

    @Test("caps: queriers, groups, reporters and sources stop growing; what did not fit is counted")
    func caps() throws {
        var state = IGMPState(startedAt: 0, limits: IGMPLimits(queriers: 2, groups: 3, reportersPerGroup: 2, reporters: 100, sourcesPerReporter: 4, sources: 1000))
        for i in 1...5 { state.hear(F.ipv4(F.igmpQuery(), source: "198.18.0.\(i)"), at: 1) }
        #expect(state.queriers.count == 2 && state.overflow.queriers == 3)
        for i in 1...5 { state.hear(F.reportV3([(4, "239.0.0.\(i)", [])], from: "198.18.0.2"), at: 2) }
        #expect(state.groups.count == 3 && state.overflow.groups == 2)
        for i in 1...5 { state.hear(F.reportV3([(4, "239.0.0.1", [])], from: "198.18.0.\(10 + i)"), at: 3) }
        #expect(state.groups[0].reporters.count == 2 && state.groups[0].reportersOverflow == 4 && state.overflow.reporters == 4, "198.18.0.2 was there first")
        let sources = (1...10).map { "198.18.1.\($0)" }
        state.hear(F.reportV3([(1, "239.0.0.2", sources)], from: "198.18.0.2"), at: 4)
        let reporter = try #require(state.groups[1].reporters.first)
        #expect(reporter.sources.count == 4 && reporter.sourcesOverflow == 6 && state.overflow.sources == 6)
    }

    @Test("a flood of forged reports from 100,000 sources for 100,000 groups stays within the caps")
    func flood() {
        var state = IGMPState(startedAt: 0)
        for i in 0..<100_000 {
            let group = "239.\(i >> 16 & 0xff).\(i >> 8 & 0xff).\(i & 0xff)", source = "10.\(i >> 16 & 0xff).\(i >> 8 & 0xff).\(i & 0xff)"
            let message = IGMPMessage(interfaceIndex: 2, heardAt: Int64(i), source: IPAddress(source)!, destination: IPAddress("224.0.0.22")!,
                                      version: .igmpV3, body: .records([IGMPGroupRecord(type: .isInclude, group: IPAddress(group)!,
                                                                                        sources: [IPAddress(source)!])]))
            state.record(message)
            if i % 3 == 0 {
                state.record(IGMPMessage(interfaceIndex: 2, heardAt: Int64(i), source: IPAddress(source)!, destination: IPAddress("224.0.0.22")!,
                                         version: .igmpV3, body: .records([IGMPGroupRecord(type: .isInclude, group: IPAddress("239.9.9.9")!, sources: [IPAddress(source)!])])))
            }
        }
        #expect(state.groups.count == state.limits.groups)
        #expect(state.groups.allSatisfy { $0.reporters.count <= state.limits.reportersPerGroup })
        #expect(state.overflow.groups > 90_000)
        #expect(state.counts.totalMessages == 100_000 + 33_334)
    }
}
