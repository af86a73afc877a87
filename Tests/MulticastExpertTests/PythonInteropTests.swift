import MulticastExpert
import NetnsLab
import Testing

/// The real Python `multicast_expert` 1.6.0 on the other end of a veth pair, both directions.
@Suite("Interop with Python multicast_expert 1.6.0",
       .enabled(if: PythonPeer.shouldRun, "needs root and scripts/setup-interop.sh (the Python peer); required when MCEXPERT_REQUIRE_NETNS=1"))
struct PythonInteropTests {
    let port = TestPorts.unique()

    static let cases: [(String, String)] = [("4", "239.30.0.1"), ("6", "ff15::30")]

    @Test("Python sends, mcexpert receives, with group and interface reported", arguments: cases)
    func pythonToSwift(family: String, groupText: String) throws {
        let python = try #require(PythonPeer.python, "the Python peer is not installed: run scripts/setup-interop.sh")
        let hosts = try TwoHosts("pytx")
        defer { hosts.tearDown() }
        let g = try MulticastGroup(parsing: groupText)
        let port = self.port
        let rx = try hosts.b.run { try McastRxSocket(groups: [g], port: port, interfaces: ["vb"], mode: .timeout(.seconds(15))) }
        let payload = "from python".utf8.map { $0 }
        let hex = payload.map { String(format: "%02x", $0) }.joined()
        let peer = try hosts.a.spawn([python, "-c", PythonPeer.senderScript, family, groupText, String(port), "va", hex, "5"])
        defer { peer.stop() }
        let d = try #require(try rx.receive(), "nothing arrived from Python; it printed: \(peer.output)")
        #expect(d.payload == payload)
        #expect(d.group == g)
        #expect(d.interfaceName == "vb")
        if family == "4" { #expect(d.source.address == IPAddress(TwoHosts.addressA)) }
    }

    @Test("mcexpert sends, Python receives", arguments: cases)
    func swiftToPython(family: String, groupText: String) throws {
        let python = try #require(PythonPeer.python, "the Python peer is not installed: run scripts/setup-interop.sh")
        let hosts = try TwoHosts("pyrx")
        defer { hosts.tearDown() }
        let g = try MulticastGroup(parsing: groupText)
        let port = self.port
        let peer = try hosts.b.spawn([python, "-c", PythonPeer.receiverScript, family, groupText, String(port), "vb", "1"])
        defer { peer.stop() }
        #expect(peer.waitForOutput(containing: "ready", seconds: 15), "Python receiver started: \(peer.output)")
        let tx = try hosts.a.run { try McastTxSocket(groups: [g], interface: "va") }
        var attempts = 0
        while !peer.output.contains("got") && attempts < 50 {
            try tx.send(Array("from swift".utf8), to: g, port: port)
            _ = peer.waitForOutput(containing: "got", seconds: 0.1)
            attempts += 1
        }
        let expected = "got " + "from swift".utf8.map { String(format: "%02x", $0) }.joined()
        #expect(peer.output.contains(expected), "Python printed: \(peer.output)")
    }
}
