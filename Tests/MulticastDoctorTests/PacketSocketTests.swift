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

    @Test("with the IGMP/MLD filter attached the socket gets this host's IGMP report but not a UDP datagram sent beside it")
    func kernelFilter() throws {
        let lab = try Lab("pktflt")
        defer { lab.tearDown() }
        let ns = try lab.namespace("p")
        _ = try ns.sh("ip link add fa type veth peer name fb && ip link set fa up && ip link set fb up && ip addr add 198.18.7.1/24 dev fa")
        let port = TestPorts.unique()
        let marker = Array("mcexpert-packet-filter-test".utf8)
        let (udp, igmp) = try ns.run { () throws -> (Int, Int) in
            let socket = try PacketSocket.open()
            defer { socket.close() }
            try socket.acceptOnlyIGMPAndMLD()
            var buffer = [UInt8](repeating: 0, count: 2048)
            while try buffer.withUnsafeMutableBytes({ try socket.receive(into: $0) }) != nil {}  // what came before the filter
            let group = try MulticastGroup(parsing: "239.70.1.2")
            let rx = try McastRxSocket(groups: [group], port: port, interfaces: ["fa"])  // the join sends an IGMP report
            defer { rx.close() }
            let tx = try McastTxSocket(groups: [group], interface: "fa")
            defer { tx.close() }
            for _ in 0..<20 { try tx.send(marker, to: group, port: port) }
            var udp = 0, igmp = 0
            let deadline = monotonicNanoseconds() + 2_000_000_000
            while igmp == 0 || monotonicNanoseconds() < deadline - 1_500_000_000, monotonicNanoseconds() < deadline {
                guard try socket.waitReadable(timeoutMilliseconds: 100) else { continue }
                while let frame = try buffer.withUnsafeMutableBytes({ try socket.receive(into: $0) }) {
                    let packet = Array(buffer[0..<frame.byteCount])
                    if packet.ends(with: marker) { udp += 1 }
                    if frame.etherType == 0x0800, packet.count > 9, packet[9] == 2 { igmp += 1 }
                }
            }
            return (udp, igmp)
        }
        #expect(igmp >= 1, "this host's IGMP report passes the filter")
        #expect(udp == 0, "the 20 UDP datagrams (each seen twice without the filter) are filtered in the kernel")
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
