import MulticastExpert
import MulticastMonitor
import MulticastStreamList
@testable import MulticastTUI
import Testing

/// The Groups table's NAME column (`tui --streams FILE`) sorts like the other columns and the
/// `/` filter finds streams by their names.
@Suite("TUI Groups NAME column")
struct GroupsNameColumnTests {
    /// Names for two of the three streams of ``KeyMapTests/snapshot()`` (239.1.1.1-3:5000 on eth0).
    static let list = try! StreamListFile.parse("""
        streams:
          - {name: Zulu news, group: 239.1.1.1:5000}
          - {name: alpha sport, group: 239.1.1.2:5000}
        """, path: "t.yaml")
    static let now = Timestamp(nanosecondsSinceEpoch: 6_000_000_000)

    func state(list: StreamList? = Self.list, width: Int = 120) -> AppState {
        var s = AppState(hostName: "h", privileged: false)
        _ = s.handle(.launched(TUIOptions(mouse: false, igmp: false, streamList: list)))
        _ = s.handle(.resize(width: width, height: 30))
        _ = s.handle(.interfaces(KeyMapTests.table, defaultGateways: []))
        _ = s.handle(.snapshot(KeyMapTests.snapshot()))
        return s
    }

    func groups(_ s: AppState) -> [String] { s.visibleStreams.map { "\($0.key.group)" } }

    @Test("s reaches NAME after LAST when a list gives names, and sorts named streams by name (ignoring case), then the unnamed")
    func cycleToName() {
        var s = state()
        s.groups.sortColumn = .lastSeen
        _ = s.handle(.key(.character("s")))
        #expect(s.groups.sortColumn == .name && s.status?.text == "sorted by NAME ascending")
        #expect(groups(s) == ["239.1.1.2", "239.1.1.1", "239.1.1.3"])
        _ = s.handle(.key(.character("S")))
        #expect(groups(s) == ["239.1.1.3", "239.1.1.1", "239.1.1.2"])
        _ = s.handle(.key(.character("s")))
        #expect(s.groups.sortColumn == .group)

        var plain = state(list: nil)
        plain.groups.sortColumn = .lastSeen
        _ = plain.handle(.key(.character("s")))
        #expect(plain.groups.sortColumn == .group, "without a list, NAME is not a column to sort by")
    }

    @Test("a click on NAME's title sorts by it, a second click flips the direction")
    func clickName() throws {
        var s = state()
        let canvas = Renderer.render(s, glyphs: .unicode, now: Self.now)
        let y = try #require((0..<canvas.height).first { canvas.row($0).contains("GROUP:PORT") })
        let row = canvas.row(y)
        let range = try #require(row.range(of: "NAME"))
        let click = MouseEvent(.click, x: row.distance(from: row.startIndex, to: range.lowerBound), y: y)
        _ = s.handle(.mouse(click))
        #expect(s.groups.sortColumn == .name && s.groups.sortAscending)
        #expect(groups(s) == ["239.1.1.2", "239.1.1.1", "239.1.1.3"])
        _ = s.handle(.mouse(click))
        #expect(s.groups.sortColumn == .name && !s.groups.sortAscending)
        let sorted = Renderer.render(s, glyphs: .unicode, now: Self.now).row(y)
        #expect(sorted.contains("NAME-"), "the title marks the sort: \(sorted)")
    }

    @Test("/ matches stream names, ignoring case, as well as group:port and interface")
    func searchByName() {
        var s = state()
        _ = s.handle(.key(.character("/")))
        for c in "SPORT" { _ = s.handle(.key(.character(c))) }
        #expect(groups(s) == ["239.1.1.2"])
        #expect(!s.searchFindsNothing)
        _ = s.handle(.key(.enter))
        _ = s.handle(.key(.character("n")))
        #expect(s.selectedStream.map { "\($0.key.group)" } == "239.1.1.2")
        _ = s.handle(.key(.character("/")))
        for c in "news" { _ = s.handle(.key(.character(c))) }
        #expect(groups(s) == ["239.1.1.1"])
        _ = s.handle(.key(.escape))
        _ = s.handle(.key(.character("/")))
        for c in "eth0" { _ = s.handle(.key(.character(c))) }
        #expect(groups(s).count == 3, "the interface still matches")
    }
}

/// The header says whether the raw-socket checks run, as they do.
@Suite("TUI header")
struct HeaderTests {
    func header(privileged: Bool, igmp: Bool, failure: String? = nil) -> String {
        var s = AppState(hostName: "h", privileged: privileged)
        _ = s.handle(.resize(width: 100, height: 30))
        let effects = s.handle(.launched(TUIOptions(mouse: false, igmp: igmp)))
        #expect(effects.contains(.startIGMPListener) == (privileged && igmp))
        if let failure { _ = s.handle(.igmpUnavailable(failure)) }
        return Renderer.render(s, glyphs: .ascii, now: Timestamp(nanosecondsSinceEpoch: 0)).row(0)
    }

    @Test("root with the IGMP listener says querier checks on; with --no-igmp or a listener that failed, off")
    func querierChecks() {
        #expect(header(privileged: true, igmp: true).contains("| root: querier checks on |"))
        let noIGMP = header(privileged: true, igmp: false)
        #expect(noIGMP.contains("| root: querier checks off |") && !noIGMP.contains("checks on"), "\(noIGMP)")
        #expect(header(privileged: true, igmp: true, failure: "cannot open a packet socket").contains("querier checks off"))
        #expect(header(privileged: false, igmp: true).contains("| unprivileged: no raw-socket checks |"))
    }
}
