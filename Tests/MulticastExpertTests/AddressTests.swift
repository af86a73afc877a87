import MulticastExpert
import Testing

@Suite("Addresses and groups")
struct AddressTests {
    @Test("IPv4 and IPv6 text round-trips", arguments: ["239.1.2.3", "224.0.0.251", "10.0.0.1", "ff15::1", "fe80::1", "ff02::1:3", "::1"])
    func roundTrip(text: String) throws {
        let address = try IPAddress.parse(text)
        #expect(address.description == text)
    }

    @Test("a group must be multicast, and the error names the address and the valid range")
    func notMulticast() {
        #expect(throws: MulticastError.notMulticast(.v4(IPv4Address(10, 0, 0, 1)))) { try MulticastGroup(parsing: "10.0.0.1") }
        let error = #expect(throws: MulticastError.self) { try MulticastGroup(parsing: "2001:db8::1") }
        #expect(error?.description.contains("2001:db8::1 is not a multicast address") == true)
        #expect(error?.description.contains("ff00::/8") == true)
    }

    @Test("malformed text is rejected with the text quoted")
    func malformed() {
        let error = #expect(throws: MulticastError.self) { try MulticastGroup(parsing: "239.1.2") }
        #expect(error == .malformedAddress("239.1.2"))
        #expect(error?.description == "\"239.1.2\" is not an IP address; expected e.g. 239.1.2.3 or ff15::1")
    }

    @Test("a group of the wrong family is rejected")
    func wrongFamily() {
        let error = #expect(throws: MulticastError.self) { try MulticastGroup(parsing: "ff15::1", family: .ipv4) }
        #expect(error?.description == "ff15::1 is an IPv6 address but this socket is IPv4")
    }

    @Test("IPv6 scopes come from the scope nibble", arguments: [
        ("ff01::1", MulticastScope.interfaceLocal), ("ff02::1", .linkLocal), ("ff05::2", .siteLocal),
        ("ff15::1", .siteLocal), ("ff0e::1", .global), ("ff38::1", .organizationLocal), ("ff07::1", .other(7)),
    ])
    func ipv6Scopes(text: String, scope: MulticastScope) throws {
        #expect(try MulticastGroup(parsing: text).scope == scope)
    }

    @Test("IPv4 scopes follow RFC 5771 and RFC 2365", arguments: [
        ("224.0.0.251", MulticastScope.linkLocal), ("239.255.1.1", .siteLocal), ("239.192.0.1", .organizationLocal),
        ("239.195.255.255", .organizationLocal), ("239.1.2.3", .adminLocal), ("232.1.1.1", .global), ("225.0.0.1", .global),
    ])
    func ipv4Scopes(text: String, scope: MulticastScope) throws {
        #expect(try MulticastGroup(parsing: text).scope == scope)
    }

    @Test("source-specific ranges are 232/8 and ff3x::/32", arguments: [
        ("232.1.2.3", true), ("239.1.2.3", false), ("ff3e::8000:1", true), ("ff35::1", true), ("ff3e:1::1", false), ("ff15::1", false),
    ])
    func ssmRange(text: String, isSSM: Bool) throws {
        #expect(try MulticastGroup(parsing: text).isSourceSpecificRange == isSSM)
    }

    @Test("only IPv6 interface- and link-local groups need a scope id")
    func scopeID() throws {
        #expect(try MulticastGroup(parsing: "ff02::1").needsScopeID)
        #expect(try MulticastGroup(parsing: "ff01::1").needsScopeID)
        #expect(try !MulticastGroup(parsing: "ff15::1").needsScopeID)
        #expect(try !MulticastGroup(parsing: "224.0.0.1").needsScopeID)
    }

    @Test("interface specifiers classify what a user typed")
    func specifiers() {
        #expect(InterfaceSpecifier("eth0") == .name("eth0"))
        #expect(InterfaceSpecifier("3") == .index(3))
        #expect(InterfaceSpecifier("192.168.1.10") == .address(.v4(IPv4Address(192, 168, 1, 10))))
        #expect(InterfaceSpecifier("fe80::1") == .address(IPAddress("fe80::1")!))
    }
}
