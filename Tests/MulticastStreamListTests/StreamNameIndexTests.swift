import MulticastExpert
import MulticastMonitor
import MulticastStreamList
import Testing

/// Finding a stream's name: by group and port, then interface (name, index or address) and SSM
/// source, the most specific entry first.
@Suite("Stream name index")
struct StreamNameIndexTests {
    static let table = InterfaceTable(interfaces: [
        NetworkInterface(name: "eth0", index: 2, flags: [.up, .multicast], ipv4Addresses: [InterfaceAddress(address: IPAddress("198.18.0.2")!, prefixLength: 24)]),
        NetworkInterface(name: "eth1", index: 3, flags: [.up, .multicast], ipv4Addresses: [InterfaceAddress(address: IPAddress("198.19.0.2")!, prefixLength: 24)]),
    ])

    static let list = try! StreamListFile.parse("""
        streams:
          - {name: anywhere, group: 239.1.1.1:5000}
          - {name: on eth1, group: 239.1.1.1:5000, interface: eth1}
          - {name: by index, group: 239.1.1.2:5000, interface: 2}
          - {name: by address, group: 239.1.1.3:5000, interface: 198.19.0.2}
          - {name: from a, group: 232.1.1.1:5000, source: 10.0.0.1}
          - {name: from b, group: 232.1.1.1:5000, source: 10.0.0.2}
        """, path: "i.yaml")

    static func name(_ group: String, _ index: UInt32, _ interface: String, source: String? = nil) -> String? {
        StreamNameIndex(list, interfaces: table).name(group: try! MulticastGroup(parsing: group), port: 5000, interfaceIndex: index, interfaceName: interface,
                                                    source: source.flatMap(IPAddress.init))
    }

    @Test("an entry naming the interface wins over one for every interface")
    func specificFirst() {
        #expect(Self.name("239.1.1.1", 3, "eth1") == "on eth1")
        #expect(Self.name("239.1.1.1", 2, "eth0") == "anywhere")
    }

    @Test("interfaces given by index or address match that interface only")
    func indexAndAddress() {
        #expect(Self.name("239.1.1.2", 2, "eth0") == "by index")
        #expect(Self.name("239.1.1.2", 3, "eth1") == nil)
        #expect(Self.name("239.1.1.3", 3, "eth1") == "by address")
        #expect(Self.name("239.1.1.3", 2, "eth0") == nil)
        #expect(StreamNameIndex(Self.list).name(group: try! MulticastGroup(parsing: "239.1.1.3"), port: 5000, interfaceIndex: 3, interfaceName: "eth1") == nil,
                "an address that cannot be resolved matches nothing rather than everything")
    }

    @Test("SSM entries are told apart by the sender; other ports and groups have no name")
    func sourcesAndMisses() {
        #expect(Self.name("232.1.1.1", 2, "eth0", source: "10.0.0.2") == "from b")
        #expect(Self.name("232.1.1.1", 2, "eth0", source: "10.0.0.1") == "from a")
        #expect(Self.name("232.1.1.1", 2, "eth0", source: "10.0.0.9") == nil)
        #expect(Self.name("239.9.9.9", 2, "eth0") == nil)
        #expect(StreamNameIndex(Self.list).name(group: try! MulticastGroup(parsing: "239.1.1.1"), port: 5001, interfaceIndex: 2, interfaceName: "eth0") == nil)
    }
}
