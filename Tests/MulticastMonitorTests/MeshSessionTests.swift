import Foundation
import MulticastExpert
import MulticastMonitor
import NetnsLab
import Testing

/// ``MeshSession`` on real sockets: two participants on a veth pair, each opened in its own
/// namespace, read from another thread while they run (as the TUI does).
@Suite("Mesh session", .enabled(if: Lab.shouldRun, "needs root for a namespace"))
struct MeshSessionTests {
    let port = TestPorts.unique()

    @Test("two sessions on a link hear each other and themselves, with the TTL that arrived and a round trip",
          arguments: ["239.255.78.1", "ff15::78"])
    func twoParticipants(groupText: String) throws {
        let hosts = try TwoHosts("meshs")
        defer { hosts.tearDown() }
        let group = try MulticastGroup(parsing: groupText)
        let port = self.port
        let a = try hosts.a.run { try MeshSession(MeshSessionOptions(group: group, port: port, interface: "va", name: "alpha", beaconsPerSecond: 20, ttl: 3)) }
        let b = try hosts.b.run { try MeshSession(MeshSessionOptions(group: group, port: port, interface: "vb", name: "beta", beaconsPerSecond: 20, ttl: 3)) }
        try a.start()
        try b.start()
        var matrix = a.matrix()
        for _ in 0..<100 {
            Thread.sleep(forTimeInterval: 0.05)
            matrix = a.matrix()
            if let cell = matrix.cell(receiver: b.configuration.runID, sender: a.configuration.runID), cell.received >= 20,
               matrix.cell(receiver: a.configuration.runID, sender: b.configuration.runID)?.roundTripNanoseconds != nil { break }
        }
        a.stop()
        b.stop()
        #expect(matrix.participants.map(\.nameText) == ["alpha", "beta"])
        let heard = try #require(matrix.cell(receiver: a.configuration.runID, sender: b.configuration.runID))
        #expect(heard.origin == .measured && heard.lost == 0 && heard.received >= 20)
        #expect(heard.lastHopLimit == 3, "sent with TTL 3, no router between")
        #expect(heard.roundTripNanoseconds.map { $0 > 0 && $0 < 100_000_000 } == true)
        #expect(matrix.cell(receiver: a.configuration.runID, sender: a.configuration.runID)?.received ?? 0 > 0, "alpha hears itself")
        let reported = try #require(matrix.cell(receiver: b.configuration.runID, sender: a.configuration.runID))
        if case .reported = reported.origin {} else { Issue.record("beta's row is what beta reports") }
        #expect(matrix.failingPairs(maxLossPercent: 0).isEmpty)
        #expect(a.failures.count == 0, "\(String(describing: a.failures.latest))")
        #expect(matrix.participants.first { !$0.isSelf }?.address?.family == group.family)
    }
}
