import MulticastDoctor
import MulticastExpert
import Testing

/// Socket buffers against the stated rate, and the kernel's receive-buffer drop counter.
@Suite("Doctor: buffer check")
struct BufferCheckTests {
    let host = FabricatedHost().interface("eth1", ipv4: ["198.18.0.2/24"])

    /// 10,000 datagrams of 1316 bytes per second: 200 ms of them need 2000 x (1316 + 768) bytes.
    let fast = DoctorRequest(interfaces: ["eth1"], rate: 10_000, datagramSize: 1316)

    @Test("a rate whose 200 ms need more than twice rmem_max warns, with the rmem_max to set")
    func rmemMaxTooSmall() throws {
        let finding = try #require(try examine(host.sysctl("net/core/rmem_max", 212_992), fast).first("buffers.rmem_max"))
        #expect(finding.severity == .warn)
        #expect(finding.summary.contains("caps it at 416 KiB"))
        #expect(finding.fix == "sysctl -w net.core.rmem_max=4168000")
    }

    @Test("rmem_max large enough but the default small: info, ask for a bigger SO_RCVBUF")
    func rmemDefaultSmall() throws {
        let roomy = host.sysctl("net/core/rmem_max", 8_388_608).sysctl("net/core/rmem_default", 212_992)
        let finding = try #require(try examine(roomy, fast).first("buffers.rmem_default"))
        #expect(finding.severity == .info)
        #expect(finding.summary.contains("--rcvbuf 4168000"))
        #expect(try examine(roomy, fast).first("buffers.rmem_max") == nil)
    }

    @Test("a slow stream fits the default buffer")
    func slowStreamFits() throws {
        let findings = try examine(host, DoctorRequest(interfaces: ["eth1"], rate: 100))
        #expect(findings.first("buffers.ok")?.severity == .ok)
    }

    @Test("without a rate, how many small datagrams the default buffer holds")
    func noRate() throws {
        let info = try #require(try examine(host.sysctl("net/core/rmem_default", 212_992), DoctorRequest(interfaces: ["eth1"])).first("buffers.info"))
        #expect(info.summary.hasPrefix("default socket buffer 208 KiB holds about 256 small datagrams"))
    }

    @Test("RcvbufErrors above zero warns that this host's kernel dropped datagrams; zero or unknown says nothing",
          arguments: [(42, true), (0, false), (nil, false)] as [(Int?, Bool)])
    func kernelDrops(count: Int?, warns: Bool) throws {
        let finding = try examine(host.receiveBufferErrors(count), DoctorRequest(interfaces: ["eth1"])).first("buffers.kernel-drops")
        #expect((finding != nil) == warns)
        if let finding { #expect(finding.severity == .warn && finding.summary.contains("dropped 42 UDP datagrams")) }
    }

    @Test("the counters are read from snmp and snmp6 text into the host view")
    func countersFromText() {
        let counters = UDPCounters(snmp: "Udp: InDatagrams RcvbufErrors\nUdp: 5 40\n", snmp6: "Udp6RcvbufErrors 2\n")
        #expect(counters.receiveBufferErrors == 42)
    }
}
