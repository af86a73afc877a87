import MulticastExpert
import MulticastMonitor
import MulticastStreamList
import Testing

/// Reading stream lists: what a good file gives, and that defaults, labels and optional fields
/// arrive where the tools look for them.
@Suite("Stream list parsing")
struct StreamListParseTests {
    @Test("the example file reads into three streams with their fields, defaults and labels")
    func exampleFile() throws {
        let list = try StreamListFile.load(path: #filePath.replacingSuffix("Tests/MulticastStreamListTests/StreamListParseTests.swift", with: "examples/streams.yaml"))
        #expect(list.streams.map(\.name) == ["BBC One HD", "Studio audio (AES67)", "IPv6 test probe"])
        let bbc = list.streams[0]
        #expect(bbc.group == (try MulticastGroup(parsing: "239.1.1.1")))
        #expect(bbc.port == 5000)
        #expect(bbc.interface == nil)
        #expect(bbc.source == IPAddress("10.0.0.5"))
        #expect(bbc.payload == PayloadOptions(choice: .forced(.ts)))
        #expect(bbc.expectedPacketRate == 1000)
        #expect(bbc.expectedBitRate == 8_000_000)
        #expect(bbc.timeout == .seconds(2))
        #expect(bbc.labels == [StreamLabel(key: "site", value: "ams1"), StreamLabel(key: "channel", value: "101"), StreamLabel(key: "tier", value: "gold")])
        let audio = list.streams[1]
        #expect(audio.interface == "eth1")
        #expect(audio.payload == PayloadOptions(choice: .forced(.rtp), dynamicRTPClockRate: 48_000))
        #expect(audio.timeout == nil && audio.expectedBitRate == nil)
        let probe = list.streams[2]
        #expect(probe.group.family == .ipv6 && probe.port == 5000)
        #expect(probe.labels == [StreamLabel(key: "site", value: "ams1")])
    }

    @Test("a stream's subscription carries its group, port, interface, source and payload")
    func subscription() throws {
        let list = try StreamListFile.parse("""
            streams:
              - {name: a, group: 232.1.1.1:6000, interface: veth0, source: 10.0.0.5, payload: rtp-ts}
              - {name: b, group: "[ff15::9]:6001"}
            """, path: "s.yaml")
        let ssm = list.streams[0].subscription
        #expect(ssm.groups == [try MulticastGroup(parsing: "232.1.1.1")])
        #expect(ssm.port == 6000)
        #expect(ssm.interfaces == [.name("veth0")])
        #expect(ssm.sources == [IPAddress("10.0.0.5")!])
        #expect(ssm.payload.choice == .forced(.rtpTS))
        let any = list.streams[1].subscription
        #expect(any.interfaces.isEmpty && any.sources.isEmpty && any.payload == PayloadOptions())
    }

    @Test("defaults apply to every stream; a stream's own value wins and ~ clears an inherited one")
    func defaultsAndOverrides() throws {
        let list = try StreamListFile.parse("""
            defaults:
              interface: eth1
              timeout: 5
              labels: {site: ams1, tier: bronze}
            streams:
              - name: inherits
                group: 239.1.1.1:5000
              - name: overrides
                group: 239.1.1.2:5000
                interface: 3
                timeout: 0.25
                labels: {tier: gold}
              - name: clears
                group: 239.1.1.3:5000
                interface: ~
                timeout:
            """, path: "d.yaml")
        #expect(list.streams[0].interface == "eth1" && list.streams[0].timeout == .seconds(5))
        #expect(list.streams[1].interface == "3" && list.streams[1].timeout == .milliseconds(250))
        #expect(list.streams[1].labels == [StreamLabel(key: "site", value: "ams1"), StreamLabel(key: "tier", value: "gold")])
        #expect(list.streams[2].interface == nil && list.streams[2].timeout == nil)
    }

    @Test("bit rates take plain numbers and k, M and G suffixes", arguments: [
        ("8000000", 8_000_000.0), ("8M", 8_000_000), ("8.5M", 8_500_000), ("500k", 500_000), ("1G", 1_000_000_000), ("2.5e6", 2_500_000),
    ])
    func bitRates(text: String, expected: Double) throws {
        let list = try StreamListFile.parse("streams:\n  - {name: a, group: 239.1.1.1:5000, bitrate: \(text)}\n", path: "b.yaml")
        #expect(list.streams[0].expectedBitRate == expected)
    }

    @Test("names and label values keep non-ASCII text, quotes and backslashes")
    func unicodeText() throws {
        let list = try StreamListFile.parse(#"""
            streams:
              - name: "Ünïcode \"quoted\" \\ 📺"
                group: 239.1.1.1:5000
                labels: {note: "a: b # not a comment"}
            """#, path: "u.yaml")
        #expect(list.streams[0].name == #"Ünïcode "quoted" \ 📺"#)
        #expect(list.streams[0].labels == [StreamLabel(key: "note", value: "a: b # not a comment")])
    }
}

extension String {
    /// The path with a known tail replaced: finds files beside the tests without Foundation.
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        guard hasSuffix(suffix) else { return self }
        return String(dropLast(suffix.count)) + replacement
    }
}
