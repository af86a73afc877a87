import MulticastExpert
import MulticastMonitor
@testable import MulticastTUI
import Testing

/// The Mesh screen without a terminal, from matrices made by real mesh states exchanging
/// beacons in memory (``MeshFixtures``): what each cell shows and how, the selected pair in
/// full, the form, the keys and the mouse, stopping, and hostile names.
@Suite("TUI Mesh screen")
struct MeshScreenTests {
    func canvas(_ s: AppState, _ glyphs: Glyphs = .unicode) -> Canvas { Renderer.render(s, glyphs: glyphs, now: .now) }

    func lines(_ s: AppState, _ glyphs: Glyphs = .unicode) -> [String] {
        canvas(s, glyphs).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The matrix row of a receiver: its label's line.
    func row(_ s: AppState, _ label: String, _ glyphs: Glyphs = .unicode) -> String? {
        lines(s, glyphs).first { $0.dropFirst(2).hasPrefix(label + " ") || $0.dropFirst(2) == label }
    }

    /// The cells of a receiver's row, split at spaces, its mark and label left out.
    func cells(_ s: AppState, _ label: String) -> [String]? {
        row(s, label).map { line in
            let layout = MeshView.layout(s.mesh, width: s.width, height: s.height - 4)
            return line.dropFirst(layout.cellsX).split(separator: " ").map(String.init)
        }
    }

    /// The detail under the rule, its lines joined.
    func detail(_ s: AppState) -> String {
        let all = lines(s)
        guard let rule = all.firstIndex(where: { $0.hasPrefix("── ") }) else { return "" }
        return all[(rule + 1)...].dropLast(2).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    @Test("at 80 columns the seven hosts get lettered columns, each row labelled with its letter; loss, marks and styles as in the Groups table")
    func letteredMatrix() throws {
        let s = MeshFixtures.state(width: 80, height: 24)
        let all = lines(s)
        #expect(all[3].hasPrefix("  RX \\ TX") && all[3].hasSuffix("A     B     C     D     E     F     G"), "\(all[3])")
        #expect(cells(s, "A testhost *") == ["0%", "0%", "0%", "!0.7%", "0%", "~0%", "×—"], "one beacon of 150 lost from charlie; foxtrot not heard")
        #expect(cells(s, "C bravo") == ["0%", "×25%", "0%", "0%", "0%", "~0%", "0%"], "every 4th beacon of alpha lost")
        #expect(cells(s, "D charlie") == ["0%", "0%", "0%", "0%", "×—", "~0%", "0%"], "charlie never hears delta")
        #expect(cells(s, "F echo") == Array(repeating: "~0%", count: 7), "echo stopped: gone, dimmed, kept")
        #expect(cells(s, "G foxtrot") == Array(repeating: "?", count: 7), "this host does not hear foxtrot: its row is unknown")
        #expect(row(s, "A testhost *")?.first == "×" && row(s, "C bravo")?.first == "×" && row(s, "B alpha")?.first == " " && row(s, "F echo")?.first == "~",
                "each row's mark is its worst cell's")
        // The styles: a cell's mark and figure in the colour of its severity.
        let c = canvas(s)
        func style(_ label: String, _ text: String) throws -> Style {
            let y = try #require(all.firstIndex { $0.dropFirst(2).hasPrefix(label) })
            let x = try #require(all[y].range(of: text)).lowerBound.utf16Offset(in: all[y])
            return c.style(x, y)
        }
        #expect(try style("C bravo", "×25%") == .fail)
        #expect(try style("A testhost", "!0.7%") == .warn)
        #expect(try style("A testhost", "×—") == .fail)
        #expect(try style("D charlie", "×—") == .fail)
        #expect(try style("F echo", "~0%") == .dim)
        #expect(try style("G foxtrot", "?") == .dim)
        #expect(try style("B alpha", "0%") == .ok)
        #expect(all[2].hasPrefix("RUNNING 30s  7 participants (1 gone), 3 failing pairs, 1 with some loss"), "\(all[2])")
        // ASCII: the same marks in their ASCII forms.
        let ascii = lines(s, .ascii)
        #expect(ascii.contains { $0.hasPrefix("x C bravo") && $0.contains("x25%") }, "\(ascii.joined(separator: "\n"))")
    }

    @Test("at 160 columns every name fits: the columns are titled with the names and the rows carry no letters")
    func namedMatrix() throws {
        let s = MeshFixtures.state(width: 160, height: 48)
        let title = try #require(lines(s).first { $0.hasPrefix("  RX \\ TX") })
        #expect(title.split(separator: " ").suffix(7) == ["testhost", "alpha", "bravo", "charlie", "delta", "echo", "foxtrot"], "\(title)")
        #expect(cells(s, "bravo") == ["0%", "×25%", "0%", "0%", "0%", "~0%", "0%"])
        #expect(row(s, "testhost *") != nil && row(s, "A testhost *") == nil)
        #expect(!MeshView.layout(s.mesh, width: 160, height: 44).keyed && MeshView.layout(MeshFixtures.state(width: 80).mesh, width: 80, height: 20).keyed)
    }

    @Test("the selected pair in full: measured here or reported by the receiver with its age; received, lost, loss, duplicates, latency, jitter, TTL")
    func pairDetail() throws {
        var s = MeshFixtures.state(width: 100, height: 30, receiver: "testhost", sender: "charlie")
        #expect(lines(s).contains { $0.hasPrefix("── testhost hears charlie ──") })
        var shown = detail(s)
        #expect(shown.contains("Measured by this host."), "\(shown)")
        #expect(shown.contains("Received 149 beacons, lost 1 (0.7%), 0 duplicates."), "\(shown)")
        #expect(shown.contains("Latency 0.150ms one-way (the clocks agree), round trip 0.300ms; jitter 0.000ms. TTL/hop limit on arrival: 1."), "\(shown)")
        #expect(shown.contains("charlie: 198.18.0.4, run 1003, a beacon every 200ms; heard"), "\(shown)")
        #expect(shown.contains("testhost: 198.18.0.1, run 1000, a beacon every 200ms; this host"), "\(shown)")
        #expect(shown.contains("Beacons: 150 sent,"), "\(shown)")

        s = MeshFixtures.state(width: 100, height: 30, receiver: "bravo", sender: "alpha")
        shown = detail(s)
        #expect(shown.contains("Reported by bravo in its beacon 0.2s ago."), "\(shown)")
        #expect(shown.contains("Received 113 beacons, lost 37 (24.7%)"), "\(shown)")

        s = MeshFixtures.state(width: 100, height: 30, receiver: "charlie", sender: "delta")
        #expect(detail(s).contains("charlie does not hear delta at all: none of delta's beacons arrive at charlie."), "\(detail(s))")
        s = MeshFixtures.state(width: 100, height: 30, receiver: "foxtrot", sender: "alpha")
        #expect(detail(s).contains("Unknown: this host does not hear foxtrot"), "\(detail(s))")
        #expect(detail(s).contains("foxtrot: 198.18.0.7, run 1006; mentioned"), "\(detail(s))")
        #expect(detail(s).contains("not heard here, known from the others' reports"), "\(detail(s))")
        s = MeshFixtures.state(width: 100, height: 30, receiver: "echo", sender: "alpha")
        #expect(detail(s).contains("echo no longer hears alpha") && detail(s).contains(", gone"), "\(detail(s))")

        // A host whose clock is 3 s ahead: no one-way figure, the round trip from the echo.
        s = MeshFixtures.state(MeshFixtures.snapshot(MeshFixtures.longNameMatrix), width: 100, height: 30, receiver: "testhost", sender: "skewed")
        #expect(detail(s).contains("Latency 0.300ms round trip (the clocks disagree, so no one-way figure)"), "\(detail(s))")
    }

    @Test("8 and Tab reach the tab; Enter opens the form, which validates as mcexpert mesh does; Enter in it starts, Enter on the screen stops")
    func formAndKeys() throws {
        var s = MeshFixtures.state(nil)
        #expect(s.screen == .mesh && s.keyContext == .mesh)
        #expect(lines(s).contains { $0.contains("Press Enter to start one here.") })
        #expect(s.handle(.key(.enter)).isEmpty)
        let form = try #require(s.mesh.form)
        #expect(s.keyContext == .meshForm)
        #expect(form.fields.map(\.text) == [MeshForm.defaultGroup, "eth0", "testhost", "5"], "the default route's interface and the host name")
        #expect(lines(s).contains { $0.contains("ok: Enter starts 239.255.77.77:7777 on eth0 as testhost, 5 beacons/s") })

        func problem(_ field: Int, _ text: String) -> String? {
            var form = MeshForm(hostName: "testhost", interface: "eth0")
            form.fields[field].text = text
            if case .failure(let error) = form.validated(against: KeyMapTests.table) { return error.description }
            return nil
        }
        #expect(problem(0, "239.255.77.77") == "add the port: 239.255.77.77:7777")
        #expect(problem(0, "232.1.1.1:5000")?.contains("source-specific (SSM) group") == true)
        #expect(problem(0, "10.0.0.1:5000")?.contains("not a multicast") == true, "\(problem(0, "10.0.0.1:5000") ?? "")")
        #expect(problem(1, "")?.contains("name the interface") == true)
        #expect(problem(1, "eth7")?.contains("eth7") == true)
        #expect(problem(2, String(repeating: "n", count: 33)) == "the name is 33 bytes; at most 32")
        #expect(problem(3, "0.01")?.contains("from 0.1 to 1000") == true)
        #expect(problem(3, "nan")?.contains("from 0.1 to 1000") == true)

        // Typing goes into the focused field; Tab moves on; Esc cancels.
        _ = s.handle(.key(.tab))
        _ = s.handle(.key(.backspace))
        for c in "1" { _ = s.handle(.key(.character(c))) }
        #expect(s.mesh.form?.fields[1].text == "eth1")
        var cancelled = s
        _ = cancelled.handle(.key(.escape))
        #expect(cancelled.mesh.form == nil && cancelled.keyContext == .mesh)

        let effects = s.handle(.key(.enter))
        let request = MeshRequest(group: MeshFixtures.group, port: 7777, interface: "eth1", name: "testhost", rate: 5)
        #expect(effects == [.startMesh(request)] && s.mesh.form == nil && s.mesh.isRunning)
        #expect(lines(s).contains { $0.contains("starting 239.255.77.77:7777 on eth1 as testhost, 5 beacons/s…") })
        var snapshot = MeshFixtures.snapshot()
        snapshot.request = request
        _ = s.handle(.mesh(snapshot))
        #expect(s.mesh.starting == nil && lines(s)[2].hasPrefix("RUNNING"))
        #expect(s.status == StatusMessage(text: "mesh: running 239.255.77.77:7777 on eth1 as testhost, 5 beacons/s; Enter stops it", style: .ok))
        #expect(KeyMapTests.footerText(s, glyphs: .unicode).contains("Enter stop"))
        #expect(s.handle(.key(.enter)) == [.stopMesh])
        #expect(lines(s)[2].hasPrefix("STOPPING"))
        #expect(s.handle(.key(.enter)).isEmpty, "a second Enter while stopping asks for nothing more")
        snapshot.running = false
        _ = s.handle(.mesh(snapshot))
        #expect(lines(s)[2].hasPrefix("STOPPED after 30s"), "\(lines(s)[2])")
        #expect(s.status?.text == "mesh: stopped; the last matrix stays on screen (Enter starts again)")
        #expect(cells(s, "C bravo")?.contains("×25%") == true, "the last matrix stays")
        _ = s.handle(.key(.enter))
        #expect(s.mesh.form?.fields.map(\.text) == ["239.255.77.77:7777", "eth1", "testhost", "5"], "the form offers the last mesh again")
    }

    @Test("arrows move over the cells, ←/→ the sender and ↑/↓ the receiver; the selection follows its pair when a participant joins; a click selects a cell")
    func cursor() throws {
        var s = MeshFixtures.state(width: 80, height: 24)
        #expect(s.mesh.selectedPair! == (0, 0))
        _ = s.handle(.key(.right))
        _ = s.handle(.key(.right))
        _ = s.handle(.key(.down))
        #expect(s.mesh.selectedPair! == (1, 2) && lines(s).contains { $0.hasPrefix("── alpha hears bravo ") })
        _ = s.handle(.key(.end))
        _ = s.handle(.key(.left))
        #expect(s.mesh.selectedPair! == (6, 1))
        for _ in 0..<10 { _ = s.handle(.key(.right)) }
        #expect(s.mesh.selectedPair! == (6, 6), "stops at the last sender")
        _ = s.handle(.key(.character("g")))
        #expect(s.mesh.cursor.index == 0)
        // "/" finds a receiver by name.
        _ = s.handle(.key(.character("/")))
        for c in "char" { _ = s.handle(.key(.character(c))) }
        _ = s.handle(.key(.enter))
        #expect(s.mesh.cursor.index == 3)

        // A participant sorting before the selected ones joins: the selection stays on its pair.
        var t = MeshFixtures.state(MeshFixtures.snapshot(MeshFixtures.matrix(["testhost", "bravo", "charlie"], rounds: 10)), receiver: "charlie", sender: "bravo")
        _ = t.handle(.mesh(MeshFixtures.snapshot(MeshFixtures.matrix(["testhost", "bravo", "charlie", "alpha"], rounds: 10))))
        #expect(MeshDetailLines.title(t.mesh.snapshot!.matrix, receiver: t.mesh.cursor.index, sender: t.mesh.column) == "charlie hears bravo")

        // A click on foxtrot's row, under delta's column.
        let layout = MeshView.layout(s.mesh, width: 80, height: 20)
        let y = try #require(lines(s).firstIndex { $0.dropFirst(2).hasPrefix("G foxtrot") })
        _ = s.handle(.mouse(MouseEvent(.click, x: layout.cellsX + 3 * layout.columnWidth + 2, y: y)))
        #expect(s.mesh.selectedPair! == (6, 3))
        _ = s.handle(.mouse(MouseEvent(.click, x: layout.cellsX + 1 * layout.columnWidth + 1, y: 3)))
        #expect(s.mesh.selectedPair! == (6, 1), "a click on a column's title selects the sender")
    }

    @Test("forty participants: numbered columns that scroll with the selected sender, an ellipsis where columns are left out, rows that scroll")
    func manyParticipants() throws {
        var s = MeshFixtures.state(MeshFixtures.snapshot(MeshFixtures.manyMatrix), width: 80, height: 24)
        let layout = MeshView.layout(s.mesh, width: 80, height: 20)
        #expect(layout.keyed && layout.cutRight && layout.columnsShown >= 8 && layout.rowsShown >= MeshView.minimumMatrixRows)
        var all = lines(s)
        #expect(all[3].contains(" 1     2     3") && all[3].hasSuffix("…"), "\(all[3])")
        #expect(all[3].hasPrefix("  TX 1-\(layout.columnsShown)/40"), "\(all[3])")
        #expect(all[4].hasPrefix("  1 testhost *") && all[4].hasSuffix("…"), "\(all[4])")
        #expect(!all.joined().contains("×"), "a clean mesh")
        for _ in 0..<39 { _ = s.handle(.key(.right)) }
        for _ in 0..<39 { _ = s.handle(.key(.down)) }
        all = lines(s)
        let title = try #require(all.first { $0.hasPrefix("  TX ") })
        #expect(title.hasSuffix("40") && title.hasPrefix("  TX 31-40/40"), "the last column shown: \(title)")
        // Names sort as text: host-9 is the last.
        #expect(all.contains { $0.dropFirst(2).hasPrefix("40 host-9 ") }, "the last row shown")
        #expect(all.contains { $0.hasPrefix("── host-9 hears itself ") })
    }

    @Test("a participant's name with terminal escapes is shown escaped; a long one is cut with the ellipsis")
    func hostileAndLongNames() throws {
        let hostile = "evil\u{1b}]0;pwned\u{07}\u{1b}[2J"
        let matrix = MeshFixtures.matrix(["testhost", hostile, MeshFixtures.longName], rounds: 10)
        for width in [80, 250] {
            let s = MeshFixtures.state(MeshFixtures.snapshot(matrix), width: width, height: 24, receiver: hostile, sender: MeshFixtures.longName)
            let text = canvas(s).text
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no control character reaches the screen")
            #expect(text.contains("evil\\x1B]0;pwned\\x07"), "\(text)")
            #expect(text.contains("── evil\\x1B]0;pwned\\x07\\x1B[2J hears a-participant-with-a-long-name! "), "the detail names both in full: \(text)")
            let label = try #require(lines(s).first { $0.contains("a-participant") && !$0.hasPrefix("──") && !$0.hasPrefix(" a-part") })
            #expect(label.contains("…"), "\(width): the label is cut with the ellipsis: \(label)")
        }
    }

    @Test("every size from the smallest drawn, every selection, a ragged matrix: no row wider than the screen, the cursor's pair always in view")
    func everySize() throws {
        var ragged = MeshFixtures.busyMatrix
        ragged.cells[2] = Array(ragged.cells[2].prefix(3))
        ragged.cells.removeLast()
        for matrix in [MeshFixtures.busyMatrix, MeshFixtures.manyMatrix, ragged] {
            for width in stride(from: AppState.minimumWidth, through: 130, by: 7) {
                for height in stride(from: AppState.minimumHeight, through: 40, by: 6) {
                    for (r, c) in [(0, 0), (matrix.participants.count - 1, matrix.participants.count - 1), (matrix.participants.count / 2, 1)] {
                        var s = MeshFixtures.state(MeshFixtures.snapshot(matrix), width: width, height: height)
                        s.mesh.cursor.index = r
                        s.mesh.column = c
                        let text = canvas(s).text
                        let rows = text.split(separator: "\n", omittingEmptySubsequences: false)
                        #expect(rows.count == height && rows.allSatisfy { $0.count <= width }, "\(width)x\(height)")
                        let layout = MeshView.layout(s.mesh, width: width, height: height - 4)
                        #expect((layout.firstRow..<(layout.firstRow + layout.rowsShown)).contains(r) || layout.rowsShown == 0, "\(width)x\(height): row \(r) in view")
                        #expect((layout.firstColumn..<(layout.firstColumn + layout.columnsShown)).contains(c), "\(width)x\(height): column \(c) in view")
                    }
                }
            }
        }
    }

    @Test("pause holds the matrix on screen but not the running flag: a stop shows at once; a failed start says why")
    func pauseAndFailure() throws {
        var s = MeshFixtures.state(MeshFixtures.snapshot(MeshFixtures.matrix(["testhost", "alpha"], rounds: 10)))
        _ = s.handle(.key(.character("p")))
        var later = MeshFixtures.snapshot(MeshFixtures.busyMatrix)
        _ = s.handle(.mesh(later))
        #expect(s.mesh.snapshot?.matrix.participants.count == 2, "paused: the matrix on screen stays")
        later.running = false
        _ = s.handle(.mesh(later))
        #expect(lines(s)[2].hasPrefix("STOPPED") && s.mesh.snapshot?.matrix.participants.count == 2)
        _ = s.handle(.key(.character("p")))
        _ = s.handle(.mesh(later))
        #expect(s.mesh.snapshot?.matrix.participants.count == 7)

        var f = MeshFixtures.state(nil)
        _ = f.handle(.key(.enter))
        _ = f.handle(.key(.enter))
        _ = f.handle(.meshFailed("permission denied: joining 239.255.77.77 on eth0"))
        #expect(f.status == StatusMessage(text: "mesh: permission denied: joining 239.255.77.77 on eth0", style: .error) && !f.mesh.isRunning)
        #expect(lines(f).contains { $0.contains("Could not start: permission denied") })
        _ = f.handle(.key(.enter))
        #expect(f.mesh.form != nil, "Enter offers the form again")
        _ = f.handle(.key(.enter))
        _ = f.handle(.threadFailed(.mesh(MeshFixtures.request), reason: "Resource temporarily unavailable"))
        #expect(f.status?.text == "mesh: could not start its thread: Resource temporarily unavailable" && !f.mesh.isRunning)
    }

    @Test("the pair detail's counters line shows failed sends, runs dropped for newcomers and run-id/address mismatches when there are any")
    func detailCountersShowEvictionsAndMismatches() {
        #expect(!MeshDetailLines.counters(MeshFixtures.snapshot()).contains("dropped"), "zero counters stay out of the line")
        var matrix = MeshFixtures.busyMatrix
        matrix.counters.peersEvicted = 3
        matrix.counters.addressMismatches = 7
        matrix.counters.beaconSendFailures = 2
        let text = MeshDetailLines.counters(MeshFixtures.snapshot(matrix))
        #expect(text.contains("2 beacons failed to send"), "\(text)")
        #expect(text.contains("3 runs dropped for newcomers"), "\(text)")
        #expect(text.contains("7 beacons dropped: their run id belongs to another address"), "\(text)")
    }
}
