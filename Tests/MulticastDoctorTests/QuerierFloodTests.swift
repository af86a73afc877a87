import Foundation
import MulticastDoctor
import MulticastExpert
import NetnsLab
import Testing

/// The querier listener under a flood: it ends on time however many frames arrive.
@Suite("Querier listener under a flood", .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
struct QuerierFloodTests {
    /// The flooding thread's socket, stop flag and count, shared with the test thread under a lock.
    final class Flood: @unchecked Sendable {
        let socket: McastTxSocket
        private let lock = NSLock()
        private var stopped = false
        private var count = 0
        init(_ socket: McastTxSocket) { self.socket = socket }
        var isStopped: Bool { lock.withLock { stopped } }
        var sent: Int { lock.withLock { count } }
        func stop() { lock.withLock { stopped = true } }
        func add(_ n: Int) { lock.withLock { count += n } }
    }

    @Test("a UDP multicast flood from the next namespace does not stretch a 2 s listen (hang check: under 4 s)")
    func floodEndsOnTime() throws {
        let hosts = try TwoHosts("qflood")
        defer { hosts.tearDown() }
        let group = try MulticastGroup(parsing: "239.70.9.9")
        let port = TestPorts.unique()
        let tx = try hosts.a.run { try McastTxSocket(groups: [group], interface: "va") }
        let flood = Flood(tx)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let payload = [UInt8](repeating: 0x11, count: 64)
            while !flood.isStopped {
                var n = 0
                for _ in 0..<256 { if (try? flood.socket.send(payload, to: group, port: port)) != nil { n += 1 } }
                flood.add(n)
            }
            done.signal()
        }
        defer {
            flood.stop()
            done.wait()
        }
        Thread.sleep(forTimeInterval: 0.2)  // the flood is running before the listen starts
        let start = monotonicNanoseconds()
        let heard = try hosts.b.run { IGMPListener.listen(for: .seconds(2)) }
        let elapsed = Double(monotonicNanoseconds() - start) / 1e9
        #expect(elapsed < 4, "listen(for: 2 s) took \(elapsed) s under a flood")
        guard let state = heard else {
            Issue.record("a root test must be able to open a packet socket")
            return
        }
        #expect(state.queriers.isEmpty, "UDP datagrams are not queries: \(state.queriers)")
        #expect(!state.groups.contains { $0.group.family == .ipv4 }, "nor IGMP reports (the links' own MLD reports may be heard)")
        #expect(state.counts.totalRejected == 0, "nor malformed IGMP")
        #expect(flood.sent > 1000, "the flood really flowed (\(flood.sent) datagrams)")
    }
}
