import MulticastDoctor
import MulticastExpert
@testable import MulticastMonitor
@testable import MulticastTUI
import Testing

/// Every screen rendered at 80x24, 100x30, 160x48 and 250x70, in Unicode and in ASCII, with
/// texts made to be too long: nothing overlaps (borders intact, no row wider than the screen),
/// every cut line ends with the ellipsis, long texts are either whole, cut with the ellipsis or
/// wrapped onto the next row, the detail pane is beside the table from 100 columns, the
/// sparkline is always there, and the footer lists every key of the screen's own.
@Suite("TUI layout at every size")
struct LayoutTests {
    static let sizes: [(Int, Int)] = [(80, 24), (100, 30), (160, 48), (250, 70)]
    static let screens = ["interfaces", "interfaces querier", "groups", "detail", "inspector", "doctor", "memberships", "send", "igmp", "igmp groups",
                          "igmp unprivileged", "help", "join form", "mesh", "mesh many", "mesh intro", "mesh form"]
    static let now = StreamDetailTests.now

    // MARK: Texts made to be cut

    static let longStatus = "joined 239.77.77.77:5000 on every interface there is; this status line goes on far beyond the width of any terminal at all, ending here"
    static let longFinding = Finding(id: "test.long", severity: .warn, interface: "enp0s31f6",
                                     summary: "a finding whose summary is far longer than the doctor's list has room for, so the row is cut and the detail wraps it in full: END-OF-SUMMARY",
                                     explanation: "The explanation is long as well and wraps over several rows of the detail area, which shows all of it.",
                                     fix: "sysctl -w net.ipv4.conf.all.rp_filter=2")
    static let manyAddresses = (1...9).map { "198.51.100.\($0)/24" }
    static let manySources = (1...20).map { "203.0.113.\($0)" }
    /// The busy mesh with a participant of a 31-byte name, and why a mesh could not start.
    static let meshMatrix = MeshFixtures.matrix(MeshFixtures.names + [MeshFixtures.longName], rounds: 20) { receiver, sender, round in
        receiver == 2 && sender == 1 && round % 4 == 3
    }
    static let longMeshFailure = "permission denied: joining 239.255.77.77 on eth0 needs a socket this process may not open, which is what a sandbox does; run it elsewhere"
    static let longSendError = "the sender stopped: sendmsg failed with ENOBUFS again and again, which a queue too short for the rate does; raise txqueuelen or lower the rate, then start it again"

    static let table = InterfaceTable(interfaces: StateAndRenderTests.table.interfaces + [
        NetworkInterface(name: "enp0s31f6", index: 3, flags: [.up, .running, .multicast, .lowerUp],
                         ipv4Addresses: manyAddresses.map { InterfaceAddress(address: IPAddress(String($0.prefix { $0 != "/" }))!, prefixLength: 24) }),
    ])

    /// A stream that stopped 10 s before the end: stale.
    static let stale = StreamFixtures.stream("239.1.1.9", perSecond: 5) { i in
        i < (StreamFixtures.seconds - 10) * 5 ? ProbeHeader(senderID: 1, sequence: UInt64(i), sendTimeNanoseconds: 0).datagram(size: 64) : nil
    }
    static let snapshot = StreamFixtures.snapshot([StreamDetailTests.rtp, StreamDetailTests.ts, StreamDetailTests.probe, stale])

    /// The state showing `screen` at `width` × `height`, with every long text in place.
    static func state(_ screen: String, _ width: Int, _ height: Int) -> AppState {
        var s = AppState(hostName: "testhost", privileged: false)
        _ = s.handle(.resize(width: width, height: height))
        _ = s.handle(.interfaces(table, defaultGateways: [2]))
        _ = s.handle(.snapshot(snapshot))
        _ = s.handle(.doctorFinished([
            longFinding,
            Finding(id: "rp_filter.strict", severity: .warn, interface: "eth0", summary: "strict rp_filter on eth0", explanation: "Strict reverse-path filtering drops.",
                    fix: "sysctl -w net.ipv4.conf.all.rp_filter=2"),
            Finding(id: "interface.ok", severity: .ok, interface: "lo", summary: "lo is up", explanation: "Addresses: 127.0.0.1/8."),
        ]))
        _ = s.handle(.memberships([
            Membership(interfaceIndex: 2, interfaceName: "eth0", group: IPAddress("239.1.1.1")!, users: 1),
            Membership(interfaceIndex: 3, interfaceName: "enp0s31f6", group: IPAddress("ff15::1234:5678")!, users: 2,
                       sources: manySources.map { .init(source: IPAddress($0)!, includeCount: 1, excludeCount: 0) }),
        ]))
        // The busy IGMP/MLD link with forty more groups, heard by a listener the unprivileged
        // process does not have (so only the screens that set privileged show it).
        _ = s.handle(.igmp(IGMPFixtures.busyReport(extraGroups: 40)))
        s.status = StatusMessage(text: longStatus, style: .info)
        switch screen {
        case "interfaces": s.screen = .interfaces
        case "interfaces querier":
            s.privileged = true
            s.screen = .interfaces
        case "igmp", "igmp groups":
            // The long warning selected, or the reporter of twenty sources.
            s.privileged = true
            s.screen = .igmp
            s.igmp.cursor.index = IGMPFixtures.item(containing: screen == "igmp" ? "test.long" : "198.18.0.7", in: s)!
        case "igmp unprivileged": s.screen = .igmp
        case "groups": s.screen = .groups
        case "detail":
            s.screen = .groups
            s.detail.open(StreamDetailTests.rtp.key)
        case "inspector":
            s.inspector.inspect(StreamDetailTests.probe.key)
            s.screen = .inspector
        case "doctor": s.screen = .doctor
        case "memberships": s.screen = .memberships
        case "send":
            s.screen = .send
            s.send.sender = SenderStatus(request: SendRequest(group: try! MulticastGroup(parsing: "239.1.2.9"), port: 6000, interface: "eth0", rate: 10),
                                         sent: 12, running: false, error: longSendError)
        case "help":
            // Scrolled to its end, where the long mouse entry is.
            s.screen = .doctor
            s.help = HelpOverlay()
            _ = s.handle(.key(.end))
        case "mesh":
            // The long name's row hearing alpha, the lossy pair's sender.
            _ = s.handle(.mesh(MeshFixtures.snapshot(meshMatrix)))
            s.screen = .mesh
            s.mesh.cursor.index = meshMatrix.participants.count - 1
            s.mesh.column = 1
        case "mesh many":
            _ = s.handle(.mesh(MeshFixtures.snapshot(MeshFixtures.manyMatrix)))
            s.screen = .mesh
            s.mesh.cursor.index = 20
            s.mesh.column = 30
        case "mesh intro":
            s.screen = .mesh
            s.mesh.failure = longMeshFailure
        case "mesh form":
            s.screen = .mesh
            s.mesh.form = MeshForm(hostName: "testhost", interface: "eth0")
            s.mesh.form?.fields[0].text = ""
            for c in "239.1.2.3:5000-and-a-great-deal-more-text-than-the-field-has-room-for" { s.mesh.form?.type(c) }
        case "join form":
            s.joinForm = JoinForm()
            for c in "239.1.2.3:5000" { s.joinForm?.type(c) }
            for _ in 0..<3 { s.joinForm?.focusNext() }
            for c in "not-a-payload-kind-at-all" { s.joinForm?.type(c) }
        default: Issue.record("no screen \(screen)")
        }
        return s
    }

    /// The texts each screen shows in full somewhere, or cut with the ellipsis, or wrapped
    /// (the rtp stream's health line shows only with the pane or the HEALTH column).
    static func longTexts(_ screen: String, _ s: AppState) -> [String] {
        var texts: [String] = []
        if !["help", "join form", "mesh form"].contains(screen) { texts.append(longStatus) }
        switch screen {
        case "interfaces": texts.append(manyAddresses.joined(separator: " "))
        case "groups" where s.width >= StreamDetailView.minimumSplitWidth: texts.append(StreamHealth.brief(StreamDetailTests.rtp))
        case "doctor", "igmp": texts.append(longFinding.summary)
        case "igmp groups": texts.append("INCLUDE {" + manySources.joined(separator: ", ") + "}")
        case "igmp unprivileged": texts += [IGMPView.notPermitted, IGMPView.notPermittedFix]
        case "interfaces querier": texts.append("198.18.0.100 IGMPv2, fe80::1 MLDv2")
        case "memberships": texts.append(manySources.joined(separator: " "))
        case "inspector":
            texts.append(DecodedHeaderLines.lines(s.inspectedPackets.last!, kind: .probe)[0].0)
        case "send": texts.append(longSendError)
        case "mesh": texts += [MeshFixtures.longName, MeshDetailLines.counters(MeshFixtures.snapshot(meshMatrix))]
        case "mesh intro": texts += [MeshView.introText, "Could not start: " + longMeshFailure]
        case "mesh form":
            if case .failure(let error) = s.mesh.form!.validated(against: table) { texts.append(error.description) }
        case "join form":
            if case .failure(let error) = s.joinForm!.validated(against: table) { texts.append(error.description) }
        default: break
        }
        if screen == "help" { texts.append(HelpView.entries(.ascii).last!.text) }
        return texts
    }

    // MARK: Checks

    /// Problems with how `text` shows on `canvas`: a row showing its first 12 characters must
    /// show all of it, or end what it shows with the ellipsis, or carry on with the rest on
    /// the next row (wrapped). Returns nothing when the text does not show at all.
    static func problems(showing text: String, on canvas: Canvas) -> [String] {
        let wanted = Array(text)
        let ellipsis = Array(canvas.ellipsis)
        let rows = (0..<canvas.height).map { Array(canvas.row($0)) }
        var problems: [String] = []
        for (y, row) in rows.enumerated() where !String(row).contains(text) {
            for start in row.indices where row.count - start >= 12 && Array(row[start..<(start + 12)]) == Array(wanted.prefix(12)) {
                var shown = 0
                while start + shown < row.count, shown < wanted.count, row[start + shown] == wanted[shown] { shown += 1 }
                if shown == wanted.count { continue }
                // Cut: the ellipsis starts where the text stops matching, or a little before
                // when the text itself has dots where the ASCII ellipsis went.
                let marked = (max(start, start + shown - ellipsis.count + 1)...(start + shown)).contains { at in
                    at + ellipsis.count <= row.count && Array(row[at..<(at + ellipsis.count)]) == ellipsis
                }
                // Wrapped: nothing more on this row, and the rest starts the next one.
                let rest = String(wanted[shown...]).drop { $0 == " " }.prefix(10)
                let wrapped = y + 1 < rows.count && String(rows[y + 1]).contains(rest)
                if !marked && !wrapped { problems.append("row \(y) shows \"\(String(wanted.prefix(shown)))\" of \"\(text)\" with no ellipsis: \(String(row))") }
            }
        }
        return problems
    }

    /// Whether every ellipsis the canvas drew for a cut is still there (nothing drew over it).
    static func marksIntact(_ canvas: Canvas) -> [String] {
        canvas.cuts.compactMap { cut in
            let shown = String((0..<cut.length).map { canvas.character(cut.x + $0, cut.y) })
            return shown == String(canvas.ellipsis.prefix(cut.length)) ? nil : "the ellipsis at \(cut.x),\(cut.y) was drawn over: \(canvas.row(cut.y))"
        }
    }

    @Test("every screen at every size: the screen's size, cut lines end with the ellipsis, long texts whole, cut or wrapped",
          arguments: sizes)
    func everyScreen(size: (Int, Int)) throws {
        let (width, height) = size
        for screen in Self.screens {
            for glyphs in [Glyphs.unicode, .ascii] {
                let s = Self.state(screen, width, height)
                let canvas = Renderer.render(s, glyphs: glyphs, now: Self.now)
                let rows = canvas.text.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(rows.count == height && rows.allSatisfy { $0.count <= width }, "\(screen) at \(width)x\(height)")
                if width == 80 && !["help", "join form", "mesh form"].contains(screen) {
                    #expect(canvas.cuts.contains { $0.y == height - 2 }, "\(screen) at \(width)x\(height): the long status line is cut")
                }
                for problem in Self.marksIntact(canvas) { Issue.record("\(screen) at \(width)x\(height): \(problem)") }
                for text in Self.longTexts(screen, s) {
                    #expect(canvas.text.contains(String(text.prefix(12))), "\(screen) at \(width)x\(height) shows \"\(text.prefix(12))…\"")
                    for problem in Self.problems(showing: text, on: canvas) { Issue.record("\(screen) at \(width)x\(height), \(glyphs.ellipsis): \(problem)") }
                }
                let footer = String(rows.last ?? "")
                #expect(footer == KeyMapTests.footerText(s, glyphs: glyphs), "\(screen) at \(width)x\(height): the footer is the key table's")
                #expect(!KeyMap.footerLine(for: s, width: width).cut, "\(screen) at \(width)x\(height): the footer lists every key of the screen's own")
            }
        }
    }

    @Test("the groups screen: the pane from 100 columns with its border down the body, the sparkline always, wider on wider screens", arguments: sizes)
    func groupsScreen(size: (Int, Int)) throws {
        let (width, height) = size
        for glyphs in [Glyphs.unicode, .ascii] {
            let s = Self.state("groups", width, height)
            let canvas = Renderer.render(s, glyphs: glyphs, now: Self.now)
            let split = GroupsView.split(width: width)
            #expect((split != nil) == (width >= 100))
            let tableWidth = split?.table ?? width
            if let split {
                for y in 2..<(height - 2) { #expect(canvas.character(split.table, y) == glyphs.vertical, "border at row \(y), \(width) columns") }
                #expect(canvas.row(2).dropFirst(split.table + 1).hasPrefix("239.1.1.1:5000 on eth0  rtp"), "the pane shows the selected stream")
            } else {
                #expect(!canvas.text.contains("health: "), "no pane below 100 columns")
            }
            let layout = GroupsView.layout(s, s.visibleStreams, width: tableWidth, height: height - 4)
            #expect(layout.sparkWidth >= GroupsView.minimumSparkWidth && layout.sparkX + layout.sparkWidth <= tableWidth)
            let header = String(canvas.row(2).dropFirst(layout.sparkX).prefix(layout.sparkWidth))
            #expect(header.hasPrefix("LAST MIN") || header.hasPrefix("PKT/S"), "the sparkline's title: \(header)")
            for (i, stream) in s.visibleStreams.enumerated() where stream.key != Self.stale.key {
                let cells = String(canvas.row(3 + i).dropFirst(layout.sparkX).prefix(layout.sparkWidth))
                #expect(cells.count == layout.sparkWidth && cells.contains(glyphs.sparks.last!), "\(width): the sparkline of \(stream.key.group): \(cells)")
            }
            for (column, x, w) in layout.columns where x + w > layout.sparkX { Issue.record("\(column) runs into the sparkline at \(width)") }
        }
        for tableWidth in 40...300 {
            let spark = GroupsView.layout(Self.snapshot.streams, width: tableWidth).sparkWidth
            #expect(spark >= min(max(tableWidth / 6, GroupsView.minimumSparkWidth), GroupsView.maximumSparkWidth), "a sixth of a table \(tableWidth) wide at least: \(spark)")
        }
        #expect(GroupsView.layout(Self.snapshot.streams, width: 300).sparkWidth == GroupsView.maximumSparkWidth, "a cell per second at most")
    }

    @Test("the boxes of the help and the join form keep their borders at every size", arguments: sizes)
    func boxes(size: (Int, Int)) {
        let (width, height) = size
        for glyphs in [Glyphs.unicode, .ascii] {
            let help = Renderer.render(Self.state("help", width, height), glyphs: glyphs, now: Self.now)
            let h = HelpView.layout(width: width, height: height, glyphs: glyphs)
            #expect(Self.boxIntact(help, x: h.x, y: h.y, width: h.width, height: h.height, glyphs: glyphs), "help at \(width)x\(height): \(help.text)")
            #expect(h.width <= width - 2 && h.height <= height - 2)
            let form = Renderer.render(Self.state("join form", width, height), glyphs: glyphs, now: Self.now)
            let w = min(72, width - 2), fh = JoinForm().fields.count + 7
            #expect(Self.boxIntact(form, x: (width - w) / 2, y: max((height - fh) / 2, 2), width: w, height: fh, glyphs: glyphs), "join form at \(width)x\(height)")
            let mesh = Renderer.render(Self.state("mesh form", width, height), glyphs: glyphs, now: Self.now)
            let (mw, mh) = MeshFormView.size(width: width)
            #expect(Self.boxIntact(mesh, x: (width - mw) / 2, y: max((height - mh) / 2, 2), width: mw, height: mh, glyphs: glyphs), "mesh form at \(width)x\(height)")
        }
    }

    static func boxIntact(_ canvas: Canvas, x: Int, y: Int, width: Int, height: Int, glyphs: Glyphs) -> Bool {
        let corners = [canvas.character(x, y), canvas.character(x + width - 1, y), canvas.character(x, y + height - 1), canvas.character(x + width - 1, y + height - 1)]
        let sides = (y + 1..<(y + height - 1)).allSatisfy { canvas.character(x, $0) == glyphs.vertical && canvas.character(x + width - 1, $0) == glyphs.vertical }
        return corners == [glyphs.corners.0, glyphs.corners.1, glyphs.corners.2, glyphs.corners.3] && sides
    }

    @Test("the help box widens to its texts on a wide terminal and wraps them under their column on a narrow one")
    func helpWrapsOrWidens() {
        let wide = HelpView.layout(width: 250, height: 70, glyphs: .unicode)
        let narrow = HelpView.layout(width: 80, height: 24, glyphs: .unicode)
        #expect(wide.width > narrow.width && wide.width == wide.keysWidth + HelpView.maximumTextWidth + 4)
        #expect(narrow.rows.count > HelpView.entries(.unicode).count, "texts wrap at 80 columns")
        #expect(narrow.rows.allSatisfy { $0.text.count <= narrow.width - 4 - narrow.keysWidth })
        let text = Renderer.render(Self.state("help", 250, 70), glyphs: .unicode, now: Self.now).text
        #expect(text.contains("inspect the selected stream (hexdump, decoded headers)"), "whole at 250 columns")
    }

    @Test("the doctor's selected finding shows in full under the list: summary, explanation and fix, wrapped")
    func doctorDetail() throws {
        for (width, height) in Self.sizes {
            let canvas = Renderer.render(Self.state("doctor", width, height), glyphs: .unicode, now: Self.now)
            let rows = (0..<height).map { canvas.row($0).replacingTrailingSpaces() }
            let rule = try #require(rows.firstIndex { $0.hasPrefix("── [test.long]") }, "\(canvas.text)")
            let detail = rows[(rule + 1)...].map { $0.drop { $0 == " " } }.joined(separator: " ")
            #expect(detail.contains("WARN  enp0s31f6: " + Self.longFinding.summary), "\(width): \(detail)")
            #expect(detail.contains(Self.longFinding.explanation) && detail.contains("fix: " + Self.longFinding.fix!), "\(width): \(detail)")
            let listRow = try #require(rows.first { $0.hasPrefix("WARN  enp0s31f6") })
            #expect(listRow.hasSuffix("…") || listRow.hasSuffix("END-OF-SUMMARY"), "\(width): \(listRow)")
        }
    }
}
