import MulticastExpert
import MulticastMonitor
import MulticastStreamList
import Testing

/// Writing a list (the TUI's save) and reading it back gives the same list.
@Suite("Stream list rendering")
struct StreamListRenderTests {
    @Test("the example file survives render then parse unchanged")
    func exampleRoundTrip() throws {
        let path = #filePath.replacingSuffix("Tests/MulticastStreamListTests/StreamListRenderTests.swift", with: "examples/streams.yaml")
        let list = try StreamListFile.load(path: path)
        let text = StreamListFile.render(list)
        #expect(try StreamListFile.parse(text, path: "rendered.yaml") == list)
    }

    @Test("awkward values survive the round trip: quotes, YAML words, unicode, fractions, every field")
    func awkwardRoundTrip() throws {
        let streams = [
            StreamDefinition(name: #"He said "yes": no # really \ ok"#, group: try MulticastGroup(parsing: "239.255.0.1"), port: 1,
                             interface: "2", source: IPAddress("192.0.2.7"),
                             payload: PayloadOptions(choice: .forced(.rtpTS), dynamicRTPClockRate: 48_000),
                             expectedPacketRate: 0.1 + 0.2, expectedBitRate: 1e12, timeout: .nanoseconds(1_500_000_001),
                             labels: [StreamLabel(key: "true", value: "null"), StreamLabel(key: "no", value: "~"),
                                      StreamLabel(key: "emoji", value: "📺 Ünïcode"), StreamLabel(key: "empty", value: "")]),
            StreamDefinition(name: "null", group: try MulticastGroup(parsing: "ff02::1:3"), port: 65_535, interface: "fe80::1"),
            StreamDefinition(name: "- [not, a, list]", group: try MulticastGroup(parsing: "232.0.0.1"), port: 5000,
                             source: IPAddress("10.0.0.1"), payload: PayloadOptions(choice: .forced(.iperf)), timeout: .seconds(86_400)),
        ]
        let list = StreamList(streams: streams)
        let text = StreamListFile.render(list)
        let back = try StreamListFile.parse(text, path: "rendered.yaml")
        #expect(back == list, "\(text)")
        #expect(StreamListFile.render(back) == text)
    }
}

/// What a save writes reads back, even for characters libyaml refuses to read as they are.
@Suite("Stream list rendering of non-characters")
struct StreamListRenderNonCharacterTests {
    @Test("U+FFFE and U+FFFF in names and label values are written escaped and read back the same")
    func nonCharacters() throws {
        let list = StreamList(streams: [
            StreamDefinition(name: "a\u{FFFE}b", group: try MulticastGroup(parsing: "239.1.1.1"), port: 5000,
                             labels: [StreamLabel(key: "k", value: "\u{FFFF}")]),
        ])
        let text = StreamListFile.render(list)
        #expect(text.contains(#""a\uFFFEb""#) && text.contains(#""\uFFFF""#), "\(text)")
        #expect(try StreamListFile.parse(text, path: "saved.yaml") == list)
    }
}
