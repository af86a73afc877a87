#if canImport(Glibc)
import Glibc
#endif
import MulticastExpert
import NetnsLab
import Testing

/// IPv4 multicast over `lo`, in whatever namespace the tests run in (CI: a fresh one).
@Suite("IPv4 over loopback")
struct LoopbackTests {
    let port = TestPorts.unique()

    func group(_ text: String) throws -> MulticastGroup { try MulticastGroup(parsing: text) }

    @Test("a datagram sent on lo arrives with its payload, source, group, port and interface")
    func roundTrip() throws {
        let g = try group("239.255.10.1")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], mode: .timeout(.seconds(5)))
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        try tx.send(Array("hello multicast".utf8), to: g, port: port)
        let datagram = try #require(try rx.receive())
        #expect(datagram.payload == Array("hello multicast".utf8))
        #expect(datagram.group == g)
        #expect(datagram.port == port)
        #expect(datagram.interfaceName == "lo")
        #expect(datagram.source.address == IPAddress("127.0.0.1"))
        #expect(datagram.source.port == tx.localAddress.port)
        #expect(!datagram.isTruncated)
        let age = Timestamp.now.nanosecondsSinceEpoch - datagram.receivedAt.nanosecondsSinceEpoch
        #expect(age >= 0 && age < 60_000_000_000, "kernel timestamp is a current wall-clock time")
    }

    @Test("a socket for group A never sees group B's traffic on the same port")
    func groupsKeptApart() throws {
        let a = try group("239.255.10.2"), b = try group("239.255.10.3")
        let rxA = try McastRxSocket(groups: [a], port: port, interfaces: ["lo"], mode: .timeout(.milliseconds(300)))
        let rxB = try McastRxSocket(groups: [b], port: port, interfaces: ["lo"], mode: .timeout(.seconds(5)))
        let tx = try McastTxSocket(groups: [a, b], interface: "lo")
        for i in 0..<5 { try tx.send([UInt8(i)], to: b, port: port) }
        for _ in 0..<5 { #expect(try rxB.receive()?.group == b) }
        #expect(try rxA.receive() == nil)
        try tx.send([42], to: a, port: port)
        #expect(try rxA.receive()?.payload == [42])
        #expect(try rxB.receive(mode: .timeout(.milliseconds(200))) == nil)
    }

    @Test("a busy group does not starve a quiet one: receive() takes turns between groups with datagrams waiting")
    func busyGroupDoesNotStarveQuietOne() throws {
        let groups = try (1...8).map { try group("239.255.10.\(30 + $0)") }
        let busy = groups[0], quiet = groups[7]
        let rx = try McastRxSocket(groups: groups, port: port, interfaces: ["lo"], mode: .timeout(.seconds(5)))
        let tx = try McastTxSocket(groups: groups, interface: "lo")
        for i in 0..<100 { try tx.send([UInt8(i)], to: busy, port: port) }
        try tx.send([200], to: quiet, port: port)
        var order: [MulticastGroup] = []
        for _ in 0..<101 { order.append(try #require(try rx.receive()).group) }
        #expect(order.prefix(3).contains(quiet), "the quiet group's datagram came at position \(order.firstIndex(of: quiet).map(String.init) ?? "never")")
        #expect(order.filter { $0 == busy }.count == 100)
        #expect(try rx.receive(mode: .nonBlocking) == nil)
    }

    @Test("one receiver for two groups reports which group each datagram was sent to")
    func whichGroup() throws {
        let a = try group("239.255.10.4"), b = try group("239.255.10.5")
        let rx = try McastRxSocket(groups: [a, b], port: port, interfaces: ["lo"], mode: .timeout(.seconds(5)))
        let tx = try McastTxSocket(groups: [a, b], interface: "lo")
        try tx.send([1], to: a, port: port)
        try tx.send([2], to: b, port: port)
        var seen: [UInt8: MulticastGroup] = [:]
        for _ in 0..<2 {
            let d = try #require(try rx.receive())
            seen[d.payload[0]] = d.group
        }
        #expect(seen == [1: a, 2: b])
    }

    @Test("unicast to the receiver's port is not received")
    func unicastIgnored() throws {
        let g = try group("239.255.10.6")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], mode: .timeout(.milliseconds(300)))
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = IPv4Address(127, 0, 0, 1).inAddr
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, "unicast", 7, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(sent == 7)
        #expect(try rx.receive() == nil)
    }

    @Test("a timeout returns no data once the timeout has passed")
    func timeout() throws {
        let g = try group("239.255.10.7")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], mode: .timeout(.milliseconds(250)))
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try rx.receive() == nil)
        #expect(clock.now - start >= .milliseconds(240))
    }

    @Test("non-blocking mode returns nil at once when nothing waits, and data when it does")
    func nonBlocking() throws {
        let g = try group("239.255.10.8")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], mode: .nonBlocking)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try rx.receive() == nil)
        #expect(clock.now - start < .seconds(1), "non-blocking must not wait for a datagram")
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        try tx.send([7], to: g, port: port)
        var received: Datagram?
        for _ in 0..<200 where received == nil {
            received = try rx.receive()
            if received == nil { usleep(5_000) }
        }
        #expect(received?.payload == [7])
    }

    @Test("a group listed twice is joined once and its datagrams arrive once")
    func duplicateGroup() throws {
        let g = try group("239.255.10.9")
        let rx = try McastRxSocket(groups: [g, g, try group("239.255.10.9")], port: port, interfaces: ["lo", "lo", "1"], mode: .timeout(.milliseconds(300)))
        #expect(rx.fileDescriptors.count == 1)
        #expect(rx.interfaces.count == 1)
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        try tx.send([1], to: g, port: port)
        #expect(try rx.receive()?.payload == [1])
        #expect(try rx.receive() == nil)
    }

    @Test("batched send and batched receive move every datagram in order")
    func batches() throws {
        let g = try group("239.255.10.10")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], mode: .timeout(.seconds(5)))
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        let payloads = (0..<100).map { i in [UInt8(i), UInt8(truncatingIfNeeded: i * 3)] + Array(repeating: UInt8(i), count: i) }
        #expect(try tx.send(batch: payloads, to: g, port: port) == 100)
        var received: [Datagram] = []
        while received.count < 100 {
            let batch = try rx.receiveBatch(maxCount: 64)
            if batch.isEmpty { break }
            received += batch
        }
        #expect(received.map(\.payload) == payloads)
    }

    @Test("leaving a group stops delivery; joining it again restores it")
    func leaveAndJoin() throws {
        let g = try group("239.255.10.11")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], mode: .timeout(.milliseconds(300)))
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        try tx.send([1], to: g, port: port)
        #expect(try rx.receive()?.payload == [1])
        rx.leave(g)
        #expect(rx.groups.isEmpty)
        try tx.send([2], to: g, port: port)
        #expect(try rx.receive() == nil)
        try rx.join(g)
        try tx.send([3], to: g, port: port)
        #expect(try rx.receive()?.payload == [3])
    }

    @Test("the async sequence delivers datagrams and ends when the consumer stops")
    func asyncSequence() async throws {
        let g = try group("239.255.10.12")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"])
        let stream = try rx.datagrams()
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        for i in 0..<3 { try tx.send([UInt8(i)], to: g, port: port) }
        var payloads: [[UInt8]] = []
        for try await datagram in stream {
            payloads.append(datagram.payload)
            if payloads.count == 3 { break }
        }
        #expect(payloads == [[0], [1], [2]])
    }

    @Test("a scoped socket is closed when its block ends, and a closed socket says so")
    func scopedClose() throws {
        let g = try group("239.255.10.13")
        let escaped = try withMcastRxSocket(groups: [g], port: port, interfaces: ["lo"]) { rx in
            #expect(rx.fileDescriptors.count == 1)
            return rx
        }
        #expect(escaped.fileDescriptors.isEmpty)
        #expect(throws: MulticastError.closed) { try escaped.receive() }
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        tx.close()
        tx.close()
        #expect(throws: MulticastError.closed) { try tx.send([1], to: g, port: port) }
    }

    @Test("a 60000-byte datagram arrives whole")
    func largePayload() throws {
        let g = try group("239.255.10.14")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], mode: .timeout(.seconds(5)))
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        let payload = (0..<60_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try tx.send(payload, to: g, port: port)
        #expect(try rx.receive()?.payload == payload)
    }
}
