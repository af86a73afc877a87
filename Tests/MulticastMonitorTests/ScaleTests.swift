import MulticastExpert
@testable import MulticastMonitor
import NetnsLab
import Testing

/// Thousands of groups on one interface: one socket each, so the descriptor limit matters.
@Suite("Many groups on one interface")
struct ScaleTests {
    let port = TestPorts.unique()

    @Test("5000 groups on lo join and each one receives (the soft descriptor limit raised to the hard one)")
    func fiveThousandGroups() throws {
        let soft = try #require(DescriptorLimit.raiseSoftToHard())
        // A host whose hard limit is below 5000 descriptors gets as many groups as it allows.
        try #require(soft >= 1200, "a hard descriptor limit of \(soft) is too low for this test")
        let count = min(5000, soft - 200)
        #expect(count == 5000 || soft < 5200, "hard descriptor limit \(soft)")
        let groups = try (0..<count).map { i in try MulticastGroup(parsing: "239.71.\(i / 250).\(i % 250 + 1)") }
        let monitor = try Monitor(receiveBufferBytes: 1 << 16)
        try monitor.subscribe(Subscription(groups: groups, port: port, interfaces: ["lo"]))
        let probed = [groups[0], groups[count / 2], groups[count - 1]]
        let tx = try McastTxSocket(groups: probed, interface: "lo", loopback: true)
        for group in probed { try tx.send(Array("to \(group)".utf8), to: group, port: port) }
        var heard: Set<MulticastGroup> = []
        for _ in 0..<100 where heard.count < probed.count {
            try monitor.poll(timeout: .milliseconds(50)) { heard.insert($0.group) }
        }
        #expect(heard == Set(probed))
    }

    @Test("running out of descriptors names the limit and how to raise it")
    func descriptorLimitError() {
        let error = MulticastError.tooManyOpenFiles(operation: "socket", soft: 1024, hard: 524_288)
        #expect(error.description == "socket failed: too many open files: this process may open 1024 descriptors (ulimit -n; hard limit 524288) and every group needs a socket; raise it with `ulimit -n 524288` before starting")
        let atHard = MulticastError.tooManyOpenFiles(operation: "socket", soft: 4096, hard: 4096)
        #expect(atHard.description.contains("raise the hard limit"))
    }
}
