import MulticastExpert
import MulticastMonitor
import MulticastStreamList
import Testing

/// Where a stream's interface was written, and the stand-in rows for listed streams that
/// brought nothing: pure functions over a parsed list.
@Suite("Stream list places and silent streams")
struct SilentStreamsTests {
    static let text = """
        defaults:
          interface: eth9
        streams:
          - {name: Inherits, group: 239.1.1.1:5000}
          - name: Own
            group: 239.1.1.2:5000
            interface: lo
          - {name: Anywhere, group: 239.1.1.3:5000, interface: ~}
        """

    @Test("the parser records where each stream's interface was written: its own line, the defaults' line, none when it has none")
    func interfacePlaces() throws {
        let list = try StreamListFile.parse(Self.text, path: "p.yaml")
        #expect(list.interfacePlaces["Inherits"] == StreamListPlace(line: 2, column: 14, field: "defaults.interface"))
        #expect(list.interfacePlaces["Own"] == StreamListPlace(line: 7, column: 16, field: "streams[1].interface"))
        #expect(list.interfacePlaces["Anywhere"] == nil)
        let error = list.interfaceError(list.streams[1], path: "p.yaml", message: "interface \"lo\" not found")
        #expect(error.description == "p.yaml:7:16: streams[1].interface: stream \"Own\": interface \"lo\" not found")
        let bare = StreamList(streams: list.streams).interfaceError(list.streams[1], path: "p.yaml", message: "gone")
        #expect(bare.description == "p.yaml: stream \"Own\": gone", "a list built in code names the stream only")
    }

    @Test("places are not part of equality: the same streams from a file written differently are the same list")
    func placesIgnoredByEquality() throws {
        let list = try StreamListFile.parse(Self.text, path: "p.yaml")
        let again = try StreamListFile.parse(StreamListFile.render(list), path: "r.yaml")
        #expect(again.interfacePlaces["Own"] != list.interfacePlaces["Own"])
        #expect(again == list && Set([again, list]).count == 1)
    }

    @Test("each listed stream nothing arrived for gets a zero-count stand-in under its own name, in group, port, interface order; a heard one none")
    func standIns() throws {
        let list = try StreamListFile.parse(Self.text, path: "p.yaml")
        let names = StreamNameIndex(list)
        let heardKey = StreamKey(group: list.streams[1].group, port: 5000, interfaceIndex: 1, interfaceName: "lo")
        var heard = StreamStatistics(key: heardKey)
        heard.record(Datagram(payload: [1, 2, 3], source: SocketAddress(address: IPAddress("127.0.0.1")!, port: 4000), group: heardKey.group, port: 5000,
                              interfaceIndex: 1, interfaceName: "lo", receivedAt: Timestamp(nanosecondsSinceEpoch: 1)), now: 1)
        let rows = SilentStreams.merged([heard], listed: list.streams, names: names, interfaces: nil)
        #expect(rows.map { "\($0.key.group) \($0.key.interfaceName) \($0.packets)" } == ["239.1.1.1 eth9 0", "239.1.1.2 lo 1", "239.1.1.3 any 0"])
        #expect(rows.map { names.name(for: $0) } == ["Inherits", "Own", "Anywhere"])
        #expect(rows.map(SilentStreams.isSilent) == [true, false, true])
        let none = SilentStreams.standIns(for: list.streams, heard: rows, names: names, interfaces: nil)
        #expect(none.isEmpty, "stand-ins are not made twice")
    }
}
