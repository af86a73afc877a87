import MulticastDoctor
import MulticastExpert
@testable import MulticastMonitor
@testable import MulticastTUI
import Testing

/// Mouse events as plain ``Event``s in ``AppState`` (no terminal): tabs, rows, double-click,
/// the wheel, column titles and footer entries, found where the renderer draws them. Then the
/// keys from less and htop: `/` with `n`/`N`, `g`/`G`, PgUp/PgDn in the inspector.
@Suite("TUI mouse and search")
struct MouseAndSearchTests {
    static let now = StreamDetailTests.now

    func state(_ width: Int = 80, _ height: Int = 24, snapshot: MonitorSnapshot = StreamDetailTests.snapshot) -> AppState {
        var s = AppState(hostName: "testhost", privileged: false)
        _ = s.handle(.resize(width: width, height: height))
        _ = s.handle(.interfaces(LayoutTests.table, defaultGateways: [2]))
        _ = s.handle(.snapshot(snapshot))
        return s
    }

    /// The cell where `text` is drawn on row `y` (its first character).
    func cell(of text: String, row y: Int, in s: AppState) throws -> MouseEvent {
        let row = Renderer.render(s, glyphs: .unicode, now: Self.now).row(y)
        let range = try #require(row.range(of: text), "\"\(text)\" on row \(y): \(row)")
        return MouseEvent(.click, x: row.distance(from: row.startIndex, to: range.lowerBound), y: y)
    }

    /// The row where `text` shows, anywhere on the screen.
    func row(of text: String, in s: AppState) throws -> Int {
        let canvas = Renderer.render(s, glyphs: .unicode, now: Self.now)
        return try #require((0..<canvas.height).first { canvas.row($0).contains(text) }, "\"\(text)\" on screen: \(canvas.text)")
    }

    @Test("a click on a tab switches to its screen, with what entering it asks for")
    func tabs() throws {
        var s = state()
        for tab in Renderer.tabs(width: 80) {
            let effects = s.handle(.mouse(MouseEvent(.click, x: tab.x + 2, y: 1)))
            #expect(s.screen == tab.screen, "\(tab.label)")
            if tab.screen == .memberships { #expect(effects == [.refreshMemberships]) }
            if tab.screen == .doctor, case .runDoctor = effects.first {} else if tab.screen == .doctor { Issue.record("the Doctor tab runs it the first time") }
        }
        _ = s.handle(.mouse(MouseEvent(.click, x: Renderer.tabs(width: 80)[1].x, y: 1)))
        #expect(s.screen == .groups)
        #expect(s.handle(.mouse(MouseEvent(.click, x: 79, y: 1))).isEmpty && s.screen == .groups, "past the last tab: nothing")
    }

    @Test("a click on a row selects it, at 80 columns and beside the pane; a double-click opens its detail; clicks in the pane select nothing")
    func rowsAndDoubleClick() throws {
        for width in [80, 160] {
            var s = state(width, 30)
            let y = try row(of: "239.1.1.3:5000", in: s)
            _ = s.handle(.mouse(MouseEvent(.click, x: 5, y: y)))
            #expect(s.selectedStream?.key == StreamDetailTests.probe.key, "\(width)")
            _ = s.handle(.mouse(MouseEvent(.click, x: 5, y: try row(of: "× 239.1.1.1:5000", in: s))))
            #expect(s.selectedStream?.key == StreamDetailTests.rtp.key, "\(width)")
            if width >= 100 {
                _ = s.handle(.mouse(MouseEvent(.click, x: width - 5, y: y)))
                #expect(s.selectedStream?.key == StreamDetailTests.rtp.key, "a click in the pane leaves the selection")
            }
            _ = s.handle(.mouse(MouseEvent(.click, x: 5, y: y)))
            #expect(s.handle(.mouse(MouseEvent(.doubleClick, x: 5, y: y))).isEmpty)
            #expect(s.detail.stream == StreamDetailTests.probe.key && s.keyContext == .streamDetail, "\(width): the double-clicked stream opens")
            #expect(!Renderer.render(s, glyphs: .unicode, now: Self.now).text.contains("GROUP:PORT"))
            _ = s.handle(.mouse(MouseEvent(.click, x: 5, y: y)))
            #expect(s.detail.isOpen, "a click in the open detail does not close it; Esc does")
        }
    }

    @Test("a double-click far down a long table opens the stream its first click selected, though the table scrolled")
    func doubleClickAfterScroll() throws {
        let streams = (1...40).map { i in StreamFixtures.stream("239.3.0.\(i)", perSecond: 1) { _ in [UInt8](repeating: 0, count: 20) } }
        var s = state(80, 24, snapshot: StreamFixtures.snapshot(streams))
        let bottom = 20
        let picked = try #require(GroupsView.streamIndex(atLine: bottom - 2, s, s.visibleStreams, height: s.bodyHeight))
        _ = s.handle(.mouse(MouseEvent(.click, x: 5, y: bottom)))
        #expect(s.groups.cursor.index == picked)
        _ = s.handle(.mouse(MouseEvent(.doubleClick, x: 5, y: bottom)))
        #expect(s.detail.stream == s.visibleStreams[picked].key)
    }

    @Test("the wheel moves the cursor three rows, scrolls the open detail, steps the inspector, scrolls the help")
    func wheel() throws {
        let streams = (1...20).map { i in StreamFixtures.stream("239.4.0.\(i)", perSecond: 1) { _ in [UInt8](repeating: 0, count: 20) } }
        var s = state(80, 24, snapshot: StreamFixtures.snapshot(streams))
        _ = s.handle(.mouse(MouseEvent(.wheelDown, x: 10, y: 8)))
        #expect(s.groups.cursor.index == 3)
        _ = s.handle(.mouse(MouseEvent(.wheelUp, x: 10, y: 8)))
        #expect(s.groups.cursor.index == 0)
        var detail = state(80, 16)
        _ = detail.handle(.key(.enter))
        _ = detail.handle(.mouse(MouseEvent(.wheelDown, x: 10, y: 8)))
        #expect(detail.detail.scroll == min(3, StreamDetailView.maximumScroll(detail.detailStream, width: 80, height: detail.bodyHeight)) && detail.detail.scroll > 0)
        _ = detail.handle(.key(.escape))
        _ = detail.handle(.key(.character("x")))
        detail.inspector.index = 2
        _ = detail.handle(.mouse(MouseEvent(.wheelUp, x: 10, y: 8)))
        #expect(detail.inspector.index == 1)
        _ = detail.handle(.key(.f1))
        _ = detail.handle(.mouse(MouseEvent(.wheelDown, x: 10, y: 8)))
        #expect(detail.help?.scroll == 3)
        _ = detail.handle(.mouse(MouseEvent(.click, x: 10, y: 8)))
        #expect(detail.help == nil, "a click closes the help")
    }

    @Test("a click on a column's title sorts by it, a second click flips the direction; HEALTH does not sort")
    func sortByTitle() throws {
        var s = state(160, 30)
        let loss = try cell(of: "LOSS%", row: 2, in: s)
        _ = s.handle(.mouse(loss))
        #expect(s.groups.sortColumn == .loss && s.groups.sortAscending)
        #expect(s.status?.text == "sorted by LOSS% ascending")
        _ = s.handle(.mouse(loss))
        #expect(s.groups.sortColumn == .loss && !s.groups.sortAscending)
        var wide = state(250, 40)
        let health = try cell(of: "HEALTH", row: 2, in: wide)
        _ = wide.handle(.mouse(health))
        #expect(wide.groups.sortColumn == .group)
    }

    @Test("a click on a footer entry presses its key; on the other lists a click selects the row under it")
    func footerAndLists() throws {
        var s = state()
        let help = try cell(of: "? help", row: 23, in: s)
        _ = s.handle(.mouse(help))
        #expect(s.help != nil)
        _ = s.handle(.key(.escape))
        _ = s.handle(.mouse(try cell(of: "Space sources", row: 23, in: s)))
        #expect(s.groups.expanded.contains(StreamDetailTests.rtp.key))

        _ = s.handle(.key(.character("1")))
        _ = s.handle(.mouse(MouseEvent(.click, x: 6, y: try row(of: "enp0s31f6", in: s))))
        #expect(s.interfaces.cursor.index == 2)
        _ = s.handle(.doctorFinished(KeyMapTests.findings))
        _ = s.handle(.key(.character("4")))
        _ = s.handle(.mouse(MouseEvent(.click, x: 20, y: try row(of: "finding c", in: s))))
        #expect(s.doctor.cursor.index == 2)
        _ = s.handle(.mouse(MouseEvent(.click, x: 20, y: try row(of: "why c", in: s))))
        #expect(s.doctor.cursor.index == 2, "a click in the detail area selects nothing")
        _ = s.handle(.memberships(KeyMapTests.memberships))
        _ = s.handle(.key(.character("5")))
        _ = s.handle(.mouse(MouseEvent(.click, x: 20, y: try row(of: "239.1.1.2", in: s))))
        #expect(s.memberships.cursor.index == 1)
        _ = s.handle(.key(.character("6")))
        _ = s.handle(.mouse(MouseEvent(.click, x: 20, y: try row(of: "e.g. eth0 (required)", in: s))))
        #expect(s.send.form.focus == 1)
    }

    @Test("mouse events change nothing while the join form is open or the terminal is too small")
    func ignored() throws {
        var s = state()
        _ = s.handle(.key(.character("j")))
        let before = KeyMapTests.fingerprint(s)
        _ = s.handle(.mouse(MouseEvent(.click, x: Renderer.tabs(width: 80)[0].x + 2, y: 1)))
        #expect(KeyMapTests.fingerprint(s) == before)
        var small = state(40, 10)
        _ = small.handle(.mouse(MouseEvent(.click, x: Renderer.tabs(width: 80)[0].x + 2, y: 1)))
        #expect(small.screen == .groups)
    }

    @Test("/ on the doctor goes to the first finding containing the text as it is typed; n and N go round the matches")
    func searchDoctor() {
        var s = state()
        _ = s.handle(.doctorFinished(LayoutTests.state("doctor", 80, 24).doctor.findings + KeyMapTests.findings))
        _ = s.handle(.key(.character("4")))
        _ = s.handle(.key(.character("/")))
        #expect(s.keyContext == .search)
        for c in "FINDING" { _ = s.handle(.key(.character(c))) }
        #expect(s.doctor.cursor.index == 0, "case does not matter: the long finding says 'finding' first")
        _ = s.handle(.key(.character(" ")))
        _ = s.handle(.key(.character("b")))
        #expect(s.doctor.cursor.index == 4, "\"finding b\"")
        _ = s.handle(.key(.backspace))
        _ = s.handle(.key(.enter))
        #expect(s.keyContext == .doctor && s.doctor.search.text == "FINDING ")
        _ = s.handle(.key(.escape))  // the doctor's summary gives way to the search on the status line
        #expect(Renderer.render(s, glyphs: .unicode, now: Self.now).text.contains("search: FINDING   (n/N next, previous)"))
        for expected in [3, 4, 5, 0] {
            _ = s.handle(.key(.character("n")))
            #expect(s.doctor.cursor.index == expected, "n goes to the next finding containing \"finding \", round to the first")
        }
        _ = s.handle(.key(.character("N")))
        #expect(s.doctor.cursor.index == 5)
        _ = s.handle(.key(.character("/")))
        for c in "zzz" { _ = s.handle(.key(.character(c))) }
        #expect(Renderer.render(s, glyphs: .unicode, now: Self.now).text.contains("/zzz_  no row contains it"))
        _ = s.handle(.key(.enter))
        _ = s.handle(.key(.character("n")))
        #expect(s.status?.text == "no row contains \"zzz\"" && s.doctor.cursor.index == 5)
    }

    @Test("/ on Groups filters; n and N step through what it shows; g and G go to the ends")
    func searchGroupsAndEnds() {
        var s = state()
        _ = s.handle(.key(.character("n")))
        #expect(s.status?.text == "nothing to search for: press / and type")
        _ = s.handle(.key(.character("/")))
        for c in "239.1.1" { _ = s.handle(.key(.character(c))) }
        _ = s.handle(.key(.enter))
        #expect(s.visibleStreams.count == 3)
        _ = s.handle(.key(.character("N")))
        #expect(s.groups.cursor.index == 2)
        _ = s.handle(.key(.character("n")))
        #expect(s.groups.cursor.index == 0)
        _ = s.handle(.key(.character("G")))
        #expect(s.groups.cursor.index == 2)
        _ = s.handle(.key(.character("g")))
        #expect(s.groups.cursor.index == 0)
        _ = s.handle(.key(.character("/")))
        for c in ".2" { _ = s.handle(.key(.character(c))) }
        _ = s.handle(.key(.enter))
        #expect(s.visibleStreams.map(\.key) == [StreamDetailTests.ts.key])
        _ = s.handle(.key(.escape))
        #expect(Renderer.render(s, glyphs: .unicode, now: Self.now).text.contains("filter: .2"))
    }

    @Test("PgUp and PgDn step the inspector a page of packets; g and G go to the first and last")
    func inspectorPages() {
        var s = state()
        _ = s.handle(.key(.character("x")))
        let count = s.inspectedPackets.count
        #expect(count > 3)
        _ = s.handle(.key(.character("g")))
        #expect(s.inspector.index == 0)
        _ = s.handle(.key(.pageDown))
        #expect(s.inspector.index! > 1)
        _ = s.handle(.key(.character("G")))
        #expect(s.inspector.index == count - 1)
        _ = s.handle(.key(.pageUp))
        #expect(s.inspector.index! < count - 2)
    }

    @Test("the doctor is told which streams arrive: live ones once per group and interface, not stale ones")
    func doctorReceives() throws {
        var s = state(80, 24, snapshot: StreamFixtures.snapshot([StreamDetailTests.rtp, StreamDetailTests.probe, LayoutTests.stale]))
        guard case .runDoctor(_, _, let receiving) = s.handle(.key(.character("d"))).first else {
            Issue.record("d runs the doctor")
            return
        }
        #expect(receiving == [ReceivedStream(group: StreamDetailTests.rtp.key.group, interface: "eth0"),
                              ReceivedStream(group: StreamDetailTests.probe.key.group, interface: "eth0")])
    }
}
