import CNetnsLabShims
import MulticastDoctor
import MulticastExpert
import NetnsLab
import Testing

/// The packet socket wrapper with a real kernel, in a namespace of its own: frames arrive with
/// their interface, EtherType and packet type; without CAP_NET_RAW nothing opens.
@Suite("Packet socket", .enabled(if: Lab.shouldRun, "needs root to build network namespaces; required when MCEXPERT_REQUIRE_NETNS=1"))
struct PacketSocketTests {
    @Test("a datagram sent over lo is received as an IPv4 frame on lo, once marked outgoing and once incoming")
    func framesOnLoopback() throws {
        let lab = try Lab("pkt")
        defer { lab.tearDown() }
        let ns = try lab.namespace("p")
        let port = TestPorts.unique()
        let marker = Array("mcexpert-packet-socket-test".utf8)
        let frames = try ns.run { () throws -> [PacketSocket.Frame] in
            #expect(PacketSocket.isPermitted())
            let socket = try PacketSocket.open()
            defer { socket.close() }
            let group = try MulticastGroup(parsing: "239.70.1.1")
            let tx = try McastTxSocket(groups: [group], interface: "lo")
            defer { tx.close() }
            try tx.send(marker, to: group, port: port)
            var seen: [PacketSocket.Frame] = []
            var buffer = [UInt8](repeating: 0, count: 2048)
            let deadline = monotonicNanoseconds() + 2_000_000_000
            while seen.count < 2, monotonicNanoseconds() < deadline {
                guard try socket.waitReadable(timeoutMilliseconds: 100) else { continue }
                while let frame = try buffer.withUnsafeMutableBytes({ try socket.receive(into: $0) }) {
                    if Array(buffer[0..<frame.byteCount]).ends(with: marker) { seen.append(frame) }
                }
            }
            return seen
        }
        #expect(frames.count >= 2, "\(frames)")
        #expect(frames.allSatisfy { $0.etherType == 0x0800 && $0.interfaceIndex == 1 })
        #expect(frames.contains { $0.packetType == .outgoing })
        #expect(frames.contains { $0.packetType != .outgoing })
    }

    @Test("without CAP_NET_RAW no packet socket opens: isPermitted is false and the doctor says what it needs")
    func withoutCapability() throws {
        let lab = try Lab("pktcap")
        defer { lab.tearDown() }
        let ns = try lab.namespace("p")
        let result = try ns.run { () throws -> (permitted: Bool, findings: [Finding])? in
            guard netnslab_drop_effective_capability(13) == 0 else { return nil }  // CAP_NET_RAW
            return (PacketSocket.isPermitted(), try Doctor.examine(DoctorRequest(interfaces: ["lo"], querierWait: .milliseconds(50))))
        }
        let (permitted, findings) = try #require(result, "could not drop CAP_NET_RAW")
        #expect(!permitted)
        #expect(findings.contains { $0.id == "querier.needs-cap-net-raw" })
    }
}

extension Array where Element == UInt8 {
    /// Whether the last bytes are `suffix`.
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
