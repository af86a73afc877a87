import MulticastExpert
import NetnsLab
import Testing

/// Two or more hosts in network namespaces joined by veth pairs: real links, real IGMP/MLD.
@Suite("Across network namespaces", .enabled(if: Lab.shouldRun, "needs root to build network namespaces; set MCEXPERT_REQUIRE_NETNS=1 to make this a failure"))
struct NamespaceTests {
    let port = TestPorts.unique()

    @Test("IPv4 crosses a veth pair with the right source, group and interface")
    func ipv4RoundTrip() throws {
        let hosts = try TwoHosts("v4rt")
        defer { hosts.tearDown() }
        let g = try MulticastGroup(parsing: "239.10.0.1")
        let port = self.port
        let rx = try hosts.b.run { try McastRxSocket(groups: [g], port: port, interfaces: ["vb"], mode: .timeout(.seconds(5))) }
        let tx = try hosts.a.run { try McastTxSocket(groups: [g], interface: "va") }
        try tx.send(Array("over the wire".utf8), to: g, port: port)
        let d = try #require(try rx.receive())
        #expect(d.payload == Array("over the wire".utf8))
        #expect(d.source.address == IPAddress(TwoHosts.addressA))
        #expect(d.group == g)
        #expect(d.interfaceName == "vb")
    }

    @Test("IPv6 crosses a veth pair for a link-local (with scope) and a site-local group", arguments: ["ff02::4242", "ff15::4242"])
    func ipv6RoundTrip(groupText: String) throws {
        let hosts = try TwoHosts("v6rt")
        defer { hosts.tearDown() }
        let g = try MulticastGroup(parsing: groupText)
        let port = self.port
        let rx = try hosts.b.run { try McastRxSocket(groups: [g], port: port, interfaces: ["vb"], mode: .timeout(.seconds(5))) }
        let tx = try hosts.a.run { try McastTxSocket(groups: [g], interface: "va") }
        let vbIndex = rx.interfaces[0].index
        try tx.send([6, 6, 6], to: g, port: port)
        let d = try #require(try rx.receive())
        #expect(d.payload == [6, 6, 6])
        #expect(d.group == g)
        #expect(d.interfaceName == "vb")
        #expect(d.interfaceIndex == vbIndex)
        guard case .v6(let source) = d.source.address else { Issue.record("source is not IPv6"); return }
        #expect(source.isLinkLocalUnicast, "the sender bound va's link-local address")
        #expect(d.source.scopeID == vbIndex)
    }

    @Test("with no interface named, a receiver hears every interface and says which one each datagram came in on",
          arguments: [("239.10.0.3", AddressFamily.ipv4), ("ff15::3", .ipv6)])
    func multiInterface(groupText: String, family: AddressFamily) throws {
        let lab = try Lab("multi")
        defer { lab.tearDown() }
        let sender = try lab.namespace("s"), receiver = try lab.namespace("r")
        for i in 1...3 {
            try lab.cable(sender, "s\(i)", receiver, "r\(i)")
            try sender.sh("ip addr add 198.18.\(i).1/24 dev s\(i)")
            try receiver.sh("ip addr add 198.18.\(i).2/24 dev r\(i)")
        }
        let g = try MulticastGroup(parsing: groupText)
        let port = self.port
        let rx = try receiver.run { try McastRxSocket(groups: [g], port: port, mode: .timeout(.seconds(5))) }
        #expect(Set(rx.interfaces.map(\.name)) == ["r1", "r2", "r3"], "lo is not listened on")
        for i in 1...3 {
            let tx = try sender.run { try McastTxSocket(groups: [g], interface: .name("s\(i)")) }
            try tx.send([UInt8(i)], to: g, port: port)
        }
        var arrivals: [UInt8: String] = [:]
        for _ in 1...3 {
            let d = try #require(try rx.receive())
            arrivals[d.payload[0]] = d.interfaceName
        }
        #expect(arrivals == [1: "r1", 2: "r2", 3: "r3"])
        #expect(try rx.receive(mode: .timeout(.milliseconds(200))) == nil, "each datagram arrives once")
    }

    @Test("a source-specific join receives from the allowed source and not from another",
          arguments: [("232.1.2.3", "198.18.0.1", "198.18.0.11"), ("ff3e::8000:1", "fd00:77::1", "fd00:77::11")])
    func sourceSpecific(groupText: String, allowed: String, other: String) throws {
        let hosts = try TwoHosts("ssm")
        defer { hosts.tearDown() }
        try hosts.a.sh("ip addr add 198.18.0.11/24 dev va; ip addr add fd00:77::1/64 dev va nodad; ip addr add fd00:77::11/64 dev va nodad")
        try hosts.b.sh("ip addr add fd00:77::2/64 dev vb nodad")
        let g = try MulticastGroup(parsing: groupText)
        let port = self.port
        let allowedAddress = try IPAddress.parse(allowed), otherAddress = try IPAddress.parse(other)
        let rx = try hosts.b.run {
            try McastRxSocket(groups: [g], port: port, interfaces: ["vb"], sources: [allowedAddress], mode: .timeout(.milliseconds(500)))
        }
        #expect(rx.warnings.isEmpty)
        let txAllowed = try hosts.a.run { try McastTxSocket(groups: [g], interface: .address(allowedAddress)) }
        let txOther = try hosts.a.run { try McastTxSocket(groups: [g], interface: .address(otherAddress)) }
        #expect(txOther.localAddress.address == otherAddress)
        try txOther.send([0], to: g, port: port)
        try txAllowed.send([1], to: g, port: port)
        try txOther.send([2], to: g, port: port)
        let d = try #require(try rx.receive())
        #expect(d.payload == [1])
        #expect(d.source.address == allowedAddress)
        #expect(try rx.receive() == nil, "nothing from \(other) gets through")
    }

    @Test("leaving a group stops delivery across the link", arguments: ["239.10.0.5", "ff15::5"])
    func leaveStopsDelivery(groupText: String) throws {
        let hosts = try TwoHosts("leave")
        defer { hosts.tearDown() }
        let g = try MulticastGroup(parsing: groupText)
        let port = self.port
        let rx = try hosts.b.run { try McastRxSocket(groups: [g], port: port, interfaces: ["vb"], mode: .timeout(.seconds(3))) }
        let tx = try hosts.a.run { try McastTxSocket(groups: [g], interface: "va") }
        try tx.send([1], to: g, port: port)
        #expect(try rx.receive()?.payload == [1])
        rx.leave(g)
        let membership = try hosts.b.sh(g.family == .ipv4 ? "cat /proc/net/igmp" : "cat /proc/net/igmp6")
        #expect(!membership.lowercased().contains(g.family == .ipv4 ? "05000aef" : "ff150000000000000000000000000005"),
                "the kernel no longer lists the membership")
        try tx.send([2], to: g, port: port)
        #expect(try rx.receive(mode: .timeout(.milliseconds(300))) == nil)
    }

    @Test("joining sends an IGMP / MLD report that is visible on the wire",
          .enabled(if: ExternalTool.shouldRun("tcpdump"), "tcpdump is not installed (apt-get install tcpdump)"),
          arguments: [("239.10.0.6", "igmp"), ("ff15::6", "ip6")])
    func joinOnTheWire(groupText: String, filter: String) throws {
        let hosts = try TwoHosts("wire")
        defer { hosts.tearDown() }
        let tcpdump = try hosts.a.spawn(["tcpdump", "-l", "-n", "-v", "-i", "va", filter])
        defer { tcpdump.stop() }
        #expect(tcpdump.waitForOutput(containing: "listening on va", seconds: 10), "tcpdump started: \(tcpdump.output)")
        let g = try MulticastGroup(parsing: groupText)
        let port = self.port
        let rx = try hosts.b.run { try McastRxSocket(groups: [g], port: port, interfaces: ["vb"]) }
        defer { rx.close() }
        let seen = tcpdump.waitForOutput(containing: "gaddr \(groupText)", seconds: 10)
        #expect(seen, "a membership report for \(groupText) was captured; tcpdump printed: \(tcpdump.output)")
        let report = g.family == .ipv4 ? "igmp v3 report" : "multicast listener report v2"
        #expect(tcpdump.output.contains(report))
    }

    @Test("the default-gateway interface is found from the routing table, and used when a sender names none")
    func defaultGateway() throws {
        let hosts = try TwoHosts("gw")
        defer { hosts.tearDown() }
        try hosts.lab.cable(hosts.a, "va2", hosts.b, "vb2")
        try hosts.a.sh("ip addr add 198.18.9.1/24 dev va2")
        try hosts.a.sh("ip route add default via \(TwoHosts.addressB) dev va; ip -6 route add default dev va")
        let (v4, v6, tx) = try hosts.a.run {
            let table = try InterfaceTable.current()
            return (try table.defaultGatewayInterface(for: .ipv4), try table.defaultGatewayInterface(for: .ipv6),
                    try McastTxSocket(groups: [try MulticastGroup(parsing: "239.10.0.7")]))
        }
        #expect(v4.name == "va")
        #expect(v6.name == "va")
        #expect(tx.interface.name == "va")
        #expect(tx.localAddress.address == IPAddress(TwoHosts.addressA))
    }

    @Test("with no default route, asking for the default interface is a clear error")
    func noDefaultGateway() throws {
        let hosts = try TwoHosts("nogw")
        defer { hosts.tearDown() }
        let error = try hosts.a.run { () -> MulticastError? in
            #expect(throws: MulticastError.noDefaultGateway(.ipv6)) { try InterfaceTable.current().defaultGatewayInterface(for: .ipv6) }
            return #expect(throws: MulticastError.self) { try McastTxSocket(groups: [try MulticastGroup(parsing: "239.10.0.8")]) }
        }
        #expect(error == .noDefaultGateway(.ipv4))
        #expect(error?.description == "no IPv4 default route in the routing table, so no default interface; name the interface explicitly")
    }
}
