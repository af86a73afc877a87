@testable import MulticastExpert
import NetnsLab
import SystemPackage
import Testing

/// Every error a user can provoke, produced for real where the kernel is involved, and its message checked.
@Suite("Bad input gives a clear error")
struct ErrorTests {
    let port = TestPorts.unique()

    func group(_ text: String) throws -> MulticastGroup { try MulticastGroup(parsing: text) }

    @Test("an unknown interface names itself and lists the interfaces that exist", .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func unknownInterface() throws {
        let hosts = try TwoHosts("unk")
        defer { hosts.tearDown() }
        let g = try group("239.20.0.1")
        let port = self.port
        let error = try hosts.b.run { #expect(throws: MulticastError.self) { try McastRxSocket(groups: [g], port: port, interfaces: ["eth7"]) } }
        #expect(error == .interfaceNotFound("eth7", available: ["lo", "vb"]))
        #expect(error?.description == "interface \"eth7\" not found; available: lo, vb")
        let byIndex = try hosts.b.run { #expect(throws: MulticastError.self) { try McastTxSocket(groups: [g], interface: 999) } }
        #expect(byIndex?.description == "interface \"999\" not found; available: lo, vb")
        let byAddress = try hosts.b.run { #expect(throws: MulticastError.self) { try McastTxSocket(groups: [g], interface: "10.9.9.9") } }
        #expect(byAddress?.description == "interface \"10.9.9.9\" not found; available: lo, vb")
    }

    @Test("an interface without an address of the family is refused, for Rx and Tx", .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func noAddressOfFamily() throws {
        let lab = try Lab("noaddr")
        defer { lab.tearDown() }
        let a = try lab.namespace("a"), b = try lab.namespace("b")
        try lab.cable(a, "va", b, "vb")  // link-local IPv6 only, no IPv4
        let g = try group("239.20.0.2")
        let port = self.port
        let rxError = try b.run { #expect(throws: MulticastError.self) { try McastRxSocket(groups: [g], port: port, interfaces: ["vb"]) } }
        #expect(rxError == .noAddress(interface: "vb", family: .ipv4))
        #expect(rxError?.description.hasPrefix("interface \"vb\" has no IPv4 address") == true)
        let txError = try b.run { #expect(throws: MulticastError.self) { try McastTxSocket(groups: [g], interface: "vb") } }
        #expect(txError == .noAddress(interface: "vb", family: .ipv4))
        try b.sh("sysctl -qw net.ipv6.conf.vb.disable_ipv6=1")
        let v6 = try group("ff15::20")
        let v6Error = try b.run { #expect(throws: MulticastError.self) { try McastTxSocket(groups: [v6], interface: "vb") } }
        #expect(v6Error == .noAddress(interface: "vb", family: .ipv6))
    }

    @Test("listening on all interfaces when there are none to listen on is explained", .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func nothingListenable() throws {
        let lab = try Lab("none")
        defer { lab.tearDown() }
        let lonely = try lab.namespace("x")
        let g = try group("239.20.0.3")
        let port = self.port
        let error = try lonely.run { #expect(throws: MulticastError.self) { try McastRxSocket(groups: [g], port: port) } }
        #expect(error == .noListenableInterfaces(.ipv4, available: ["lo"]))
        #expect(error?.description.contains("name an interface explicitly") == true)
    }

    @Test("more joins than igmp_max_memberships allows is reported with the limit and the fix", .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func tooManyMemberships() throws {
        let hosts = try TwoHosts("maxm")
        defer { hosts.tearDown() }
        try hosts.lab.cable(hosts.a, "va2", hosts.b, "vb2")
        try hosts.b.sh("ip addr add 198.18.5.2/24 dev vb2; sysctl -qw net.ipv4.igmp_max_memberships=1")
        let g = try group("239.20.0.4")
        let port = self.port
        let error = try hosts.b.run { #expect(throws: MulticastError.self) { try McastRxSocket(groups: [g], port: port, interfaces: ["vb", "vb2"]) } }
        #expect(error == .tooManyMemberships(group: g.address, interface: "vb2", limit: 1))
        #expect(error?.description == "the kernel refused to join 239.20.0.4 on vb2: too many memberships on one socket (limit 1); raise it with `sysctl -w net.ipv4.igmp_max_memberships=N`")
    }

    @Test("more sources than igmp_max_msf allows is reported with the limit", .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func tooManySources() throws {
        let hosts = try TwoHosts("msf")
        defer { hosts.tearDown() }
        try hosts.b.sh("sysctl -qw net.ipv4.igmp_max_msf=1")
        let g = try group("232.20.0.5")
        let port = self.port
        let sources = [try IPAddress.parse("198.18.0.1"), try IPAddress.parse("198.18.0.11")]
        let error = try hosts.b.run { #expect(throws: MulticastError.self) { try McastRxSocket(groups: [g], port: port, interfaces: ["vb"], sources: sources) } }
        #expect(error == .tooManySources(group: g.address, interface: "vb", limit: 1))
        #expect(error?.description.contains("igmp_max_msf") == true)
    }

    @Test("a fixed source port already in use is reported with address and port")
    func addressInUse() throws {
        let g = try group("239.20.0.6")
        let first = try McastTxSocket(groups: [g], interface: "lo", sourcePort: port)
        #expect(first.localAddress.port == port)
        let error = #expect(throws: MulticastError.self) { try McastTxSocket(groups: [g], interface: "lo", sourcePort: port) }
        #expect(error == .addressInUse(address: "127.0.0.1", port: port))
        #expect(error?.description == "127.0.0.1 port \(port) is already in use by another socket; choose another port or stop the other program")
    }

    @Test("sending to a group the socket was not made for is refused, naming both")
    func undeclaredGroup() throws {
        let tx = try McastTxSocket(groups: [try group("239.20.0.7")], interface: "lo")
        let error = #expect(throws: MulticastError.self) { try tx.send([1], to: try group("239.20.0.8"), port: port) }
        #expect(error?.description == "239.20.0.8 was not declared when this socket was created (declared: 239.20.0.7); add it to the socket's groups")
    }

    @Test("mixed families, bad TTLs, oversize payloads, no groups and multicast sources are refused")
    func structuralErrors() throws {
        let v4 = try group("239.20.0.9"), v6 = try group("ff15::9")
        #expect(throws: MulticastError.familyMismatch(v6.address, expected: .ipv4)) { try McastTxSocket(groups: [v4, v6], interface: "lo") }
        #expect(throws: MulticastError.familyMismatch(v4.address, expected: .ipv6)) { try McastRxSocket(family: .ipv6, groups: [v4], port: port) }
        #expect(throws: MulticastError.noGroups) { try McastRxSocket(groups: [], port: port) }
        let ttl = #expect(throws: MulticastError.self) { try McastTxSocket(groups: [v4], interface: "lo", ttl: 300) }
        #expect(ttl?.description == "TTL 300 is out of range; valid values are 0...255 (1 keeps packets on the local network)")
        #expect(throws: MulticastError.invalidSource(v4.address)) { try McastRxSocket(groups: [v4], port: port, interfaces: ["lo"], sources: [v4.address]) }
        let tx = try McastTxSocket(groups: [v4], interface: "lo")
        let big = #expect(throws: MulticastError.self) { try tx.send([UInt8](repeating: 0, count: 65_508), to: v4, port: port) }
        #expect(big == .payloadTooLarge(size: 65_508, maximum: 65_507))
    }

    @Test("a source filter on a group outside the SSM range works but is flagged as a warning")
    func ssmWarning() throws {
        let g = try group("239.20.0.10")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], sources: [try IPAddress.parse("127.0.0.1")], mode: .timeout(.seconds(5)))
        #expect(rx.warnings == [.sourceFilterOutsideSSMRange(g.address)])
        #expect(rx.warnings[0].description.contains("outside the source-specific range 232.0.0.0/8"))
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        try tx.send([5], to: g, port: port)
        #expect(try rx.receive()?.payload == [5], "the socket still works")
    }

    @Test("permission failures become permissionDenied with the operation named")
    func permissionMapping() {
        let error = MulticastError.from(Errno.notPermitted, operation: "set SO_RCVBUFFORCE")
        #expect(error == .permissionDenied(operation: "set SO_RCVBUFFORCE"))
        #expect(error.description.hasPrefix("permission denied: set SO_RCVBUFFORCE; run as root"))
        #expect(MulticastError.from(Errno.permissionDenied, operation: "bind").description.hasPrefix("permission denied: bind"))
    }

    @Test("a privileged port refuses an unprivileged sender with permissionDenied", .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func permissionDeniedForReal() throws {
        let lab = try Lab("perm")
        defer { lab.tearDown() }
        let ns = try lab.namespace("p")
        // In this namespace ports below 1024 are privileged again, and this thread drops CAP_NET_BIND_SERVICE.
        try ns.sh("sysctl -qw net.ipv4.ip_unprivileged_port_start=1024")
        let g = try group("239.20.0.11")
        let error = try ns.run { () -> MulticastError? in
            guard dropBindServiceCapability() else { return nil }
            return #expect(throws: MulticastError.self) { try McastTxSocket(groups: [g], interface: "lo", sourcePort: 99) }
        }
        #expect(error?.description.hasPrefix("permission denied: bind to 127.0.0.1:99") == true, "got \(String(describing: error))")
    }

    @Test("a receive buffer beyond net.core.rmem_max is granted with CAP_NET_ADMIN, and capped without it",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func receiveBufferBeyondSystemLimit() throws {
        let lab = try Lab("rcvbuf")
        defer { lab.tearDown() }
        let ns = try lab.namespace("r")
        let rmemMax = try #require(Int(try ns.sh("cat /proc/sys/net/core/rmem_max").trimmingCharacters(in: .whitespacesAndNewlines)))
        let asked = max(4 << 20, rmemMax * 2)  // always beyond the limit
        let g = try group("239.20.0.12")
        let grants = try ns.run { () -> [Int]? in
            let rx = try McastRxSocket(groups: [g], port: 5012, interfaces: ["lo"])
            let forced = try rx.requestReceiveBufferSize(asked, beyondSystemLimit: true)
            let plain = try rx.requestReceiveBufferSize(asked)
            guard dropNetAdminCapability() else { return nil }
            let fallback = try rx.requestReceiveBufferSize(asked, beyondSystemLimit: true)
            return [forced, plain, fallback, try rx.receiveBufferSize()]
        }
        // The kernel doubles what it grants (for its own bookkeeping).
        #expect(grants == [2 * asked, 2 * rmemMax, 2 * rmemMax, 2 * rmemMax])
    }
}
