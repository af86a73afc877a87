import MulticastExpert
import NetnsLab
import SystemPackage
import Testing

/// The public API speaks in typed values: descriptors, socket options, error codes.
@Suite("Public API without C")
struct PublicAPITests {
    let port = TestPorts.unique()

    @Test("descriptors are FileDescriptors, and a typed socket option reaches every socket")
    func typedDescriptorsAndOptions() throws {
        let rx = try McastRxSocket(groups: [try MulticastGroup(parsing: "239.80.0.1")], port: port, interfaces: ["lo"], mode: .nonBlocking)
        defer { rx.close() }
        let descriptors: [FileDescriptor] = rx.fileDescriptors
        #expect(descriptors.count == 1 && descriptors[0].rawValue >= 0)
        try rx.setOption(.priority, to: 3)
        #expect(SocketOption.priority.description == "SO_PRIORITY")
        #expect(try rx.receiveBatch(fromDescriptor: descriptors[0]) { _ in } == 0, "nothing waiting")
        let tx = try McastTxSocket(groups: [try MulticastGroup(parsing: "239.80.0.1")], interface: "lo")
        #expect(tx.fileDescriptor != nil)
        tx.close()
        #expect(tx.fileDescriptor == nil)
    }

    @Test("a system error's errno is readable as a number")
    func errnoCode() {
        #expect(MulticastError.system(operation: "bind", errno: .addressInUse).errnoCode == Errno.addressInUse.rawValue)
        #expect(MulticastError.noGroups.errnoCode == nil)
    }
}
