import Foundation
import MulticastExpert
import MulticastMonitor
import NetnsLab
import Synchronization
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

/// ``MeshSession/stop()`` from several threads at once while the run thread is busy receiving.
@Suite("Mesh session stop", .enabled(if: Lab.shouldRun, "needs root for a namespace"))
struct MeshSessionStopTests {
    let port = TestPorts.unique()

    @Test("two threads stopping a busy session at once never close the socket under the run thread")
    func concurrentStop() throws {
        let lab = try Lab("meshstop")
        defer { lab.tearDown() }
        let host = try lab.namespace("lo")
        let group = try MulticastGroup(parsing: "239.255.78.9")
        let port = self.port
        // A flood of junk on the group keeps the run thread inside its receive loop most of the time.
        let flood = try Flood(try host.run { try McastPeerSocket(group: group, port: port, interface: "lo", join: false, loopback: false) })
        defer { flood.stop() }
        for trial in 0..<20 {
            let session = try host.run { try MeshSession(MeshSessionOptions(group: group, port: port, interface: "lo", name: "s\(trial)", beaconsPerSecond: 1000)) }
            try session.start()
            Thread.sleep(forTimeInterval: 0.02)
            DispatchQueue.concurrentPerform(iterations: 2) { _ in session.stop() }
            #expect(session.matrix().counters.notProbes > 0, "the flood arrived (trial \(trial))")
            #expect(session.failures.count == 0, "trial \(trial): \(String(describing: session.failures.latest))")
        }
    }
}

/// Junk sent to a group from a thread of its own until stopped.
private final class Flood: @unchecked Sendable {
    private let socket: McastPeerSocket
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    init(_ socket: McastPeerSocket) throws {
        self.socket = socket
        Thread { [self] in
            let junk = [UInt8](repeating: 0x55, count: 64)
            while running.load(ordering: .relaxed) { try? self.socket.send(junk) }
            finished.signal()
        }.start()
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        finished.wait()
        socket.close()
    }
}
