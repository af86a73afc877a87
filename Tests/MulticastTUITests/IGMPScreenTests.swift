import MulticastDoctor
@testable import MulticastExpert
@testable import MulticastTUI
import Testing

/// The IGMP/MLD screen and the Interfaces screen's QUERIER column, from fabricated conversations
/// (``IGMPFixtures``), without a terminal: what each section shows, the selected row in full,
/// keys and mouse on the new tab, and what it says when it cannot listen.
@Suite("TUI IGMP/MLD screen")
struct IGMPScreenTests {
    static let now = StreamDetailTests.now

    func text(_ s: AppState, _ glyphs: Glyphs = .unicode) -> String { Renderer.render(s, glyphs: glyphs, now: Self.now).text }

    func lines(_ s: AppState) -> [String] { text(s).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// The cells of the first row (after its two-cell mark) that starts with the cells `lead`,
    /// split at runs of two spaces or more.
    func cells(_ s: AppState, _ lead: String...) -> [String]? {
        lines(s).lazy.map { line in
            line.dropFirst(2).split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }.first { $0.starts(with: lead) }
    }

    /// The detail under the rule, its lines joined.
    func detail(_ s: AppState) -> String {
        let all = lines(s)
        guard let rule = all.firstIndex(where: { $0.hasPrefix("── ") }) else { return "" }
        return all[(rule + 1)...].dropLast(2).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    @Test("queriers per interface at 160 columns: address, version, role, observed and advertised interval, QRV, max response, last query, rp_filter")
    func queriers() throws {
        let s = IGMPFixtures.state(IGMPFixtures.busyReport(), width: 160, height: 48)
        let screen = text(s)
        #expect(screen.contains("QUERIERS") && screen.contains("INTERVAL") && screen.contains("QRV") && screen.contains("MAXRESP") && screen.contains("LAST Q")
                && screen.contains("RP_FILTER"), "\(screen)")
        #expect(cells(s, "198.18.0.254") == ["198.18.0.254", "eth0", "IGMPv3", "not elected", "~2.0s adv 2s", "2", "1.0s", "2.0s", "accepts"])
        #expect(cells(s, "198.18.0.100") == ["198.18.0.100", "eth0", "IGMPv2", "elected", "~10.0s", "-", "10.0s", "1.0s", "accepts"],
                "the lowest address is elected")
        #expect(cells(s, "fe80::1") == ["fe80::1", "eth0", "MLDv2", "elected", "~2.0s adv 2s", "2", "1.0s", "1.9s", "-"], "rp_filter does not apply to MLD")
        #expect(cells(s, "10.9.9.9") == ["10.9.9.9", "enp0s31f6", "IGMPv3", "stopped", "adv 2s", "2", "1.0s", "9.0s", "DROPS"])
        let marks = lines(s).filter { $0.dropFirst(2).hasPrefix("198.18.0.254") || $0.dropFirst(2).hasPrefix("10.9.9.9") }.map(\.first)
        #expect(marks == ["!", "×"], "not elected warns, dropped by rp_filter fails")
        #expect(screen.contains("heard 25 IGMP/MLD messages in 12 s on every interface, 7 sent by this host, 0 rejected"), "\(screen)")
    }

    @Test("at 80 columns the querier row keeps its first columns and the selected querier's detail says everything")
    func querierDetailAt80() throws {
        var s = IGMPFixtures.state(IGMPFixtures.busyReport(), width: 80, height: 24)
        #expect(s.igmp.cursor.index == 0 && !text(s).contains("INTERVAL"), "the interval column gives way at 80 columns")
        #expect(text(s).contains("── querier 198.18.0.254 "))
        let first = detail(s)
        #expect(first.contains("IGMPv3 querier 198.18.0.254 on eth0: not elected: a querier with a lower address queries too"), "\(first)")
        #expect(first.contains("Queries heard: 6 general (every ~2.0 s observed), interval advertised (QQIC) 2 s"), "\(first)")
        #expect(first.contains("Robustness (QRV) 2, max response time 1.0 s") && first.contains("rp_filter: this host accepts its queries."), "\(first)")
        #expect(first.contains("Memberships expire 5.0 s after their last report"), "2 × 2 s + 1 s: \(first)")
        s.igmp.cursor.index = try #require(IGMPFixtures.item(containing: "10.9.9.9", in: s))
        #expect(detail(s).contains("rp_filter: this host DROPS its queries (10.9.9.9 is not routable back via enp0s31f6)"), "\(detail(s))")
        s.igmp.cursor.index = try #require(IGMPFixtures.item(containing: "198.18.0.100", in: s))
        #expect(detail(s).contains("Robustness (QRV) not sent (2 assumed), max response time 10.0 s"), "\(detail(s))")
    }

    @Test("groups with their reporters: version, filter mode and sources, reports, last report, leaves; this host's own report marked")
    func groupsAndReporters() throws {
        var s = IGMPFixtures.state(IGMPFixtures.busyReport(), width: 160, height: 48)
        #expect(cells(s, "239.1.2.3", "eth0", "1") == ["239.1.2.3", "eth0", "1", "8", "1", "1.8s", "0"], "1 member left of 2, 8 reports, 1 leave")
        let rows = lines(s)
        let own = try #require(rows.first { $0.contains("↳ 198.18.0.2 ") })
        #expect(own.contains("IGMPv3 this host 7 reports  1.8s ago EXCLUDE {}"), "\(own)")
        let left = try #require(rows.first { $0.contains("↳ 198.18.0.9 ") })
        #expect(left.contains("IGMPv2") && left.contains("left 4.5s ago") && !left.contains("this host"), "\(left)")
        let ssm = try #require(rows.first { $0.contains("↳ 198.18.0.7 ") })
        #expect(ssm.contains("INCLUDE {203.0.113.1, 203.0.113.2"), "\(ssm)")
        #expect(cells(s, "232.1.1.1 SSM") != nil, "the SSM range is marked")
        // The own report's row: "this host" in the OK colour.
        let y = try #require(rows.firstIndex(of: own))
        let x = try #require(own.range(of: "this host")).lowerBound.utf16Offset(in: own)
        #expect(Renderer.render(s, glyphs: .unicode, now: Self.now).style(x, y) == .ok)
        s.igmp.cursor.index = try #require(IGMPFixtures.item(containing: "239.1.2.3 198.18.0.2", in: s))
        #expect(detail(s).contains("198.18.0.2 (this host) in 239.1.2.3 on eth0: IGMPv3, a member"), "\(detail(s))")
        #expect(detail(s).contains("Filter EXCLUDE {}: it receives the group from every source."), "\(detail(s))")
        s.igmp.cursor.index = try #require(IGMPFixtures.item(containing: "198.18.0.7", in: s))
        #expect(detail(s).contains("203.0.113.20}: it receives the group only from these sources."), "every source in the detail: \(detail(s))")
        s.igmp.cursor.index = try #require(IGMPFixtures.index(of: .group(0), in: s))
        #expect(detail(s).contains("239.1.2.3 on eth0: 1 member of 2 hosts heard") && detail(s).contains("8 reports, 1 leave"), "\(detail(s))")
    }

    @Test("groups of the link-local control range (solicited-node, router discovery) come after the others, which keep the order first heard")
    func controlGroupsLast() {
        var state = IGMPState(startedAt: IGMPFixtures.start, host: IGMPFixtures.host())
        for (i, group) in ["ff02::1:ff00:1", "239.9.0.2", "224.0.0.106", "ff15::1", "239.9.0.1"].enumerated() {
            let version: IGMPVersion = group.contains(":") ? .mldV2 : .igmpV3
            state.record(IGMPFixtures.message(Double(i), from: group.contains(":") ? "fe80::9" : "198.18.0.9", to: group.contains(":") ? "ff02::16" : "224.0.0.22",
                                              version, .records([IGMPGroupRecord(type: .isExclude, group: IPAddress(group)!)])))
        }
        let rows = IGMPRows(IGMPReport(state: state, findings: []))
        let shown = (0..<rows.count).compactMap { index -> String? in
            if case .group(let g) = rows.item(index) { return "\(state.groups[g].group)" }
            return nil
        }
        #expect(shown == ["239.9.0.2", "ff15::1", "239.9.0.1", "ff02::1:ff00:1", "224.0.0.106"])
        #expect(IGMPRows.isLinkLocalControl(IPAddress("ff12::1")!) && !IGMPRows.isLinkLocalControl(IPAddress("ff05::2")!)
                && !IGMPRows.isLinkLocalControl(IPAddress("224.0.1.1")!))
    }

    /// This host joined 239.1.2.3 and 239.1.2.4; an IGMPv2 querier asks; a neighbour's IGMPv2
    /// report of 239.1.2.3 silences this host, and nobody reports 239.1.2.4.
    static func unansweredReport() -> IGMPReport {
        var state = IGMPState(startedAt: IGMPFixtures.start, host: IGMPFixtures.host(joined: ["239.1.2.3", "239.1.2.4"]))
        state.record(IGMPFixtures.message(0, from: "198.18.0.254", to: "224.0.0.1", .igmpV2, .query(IGMPQuery(maxResponseMilliseconds: 1000))))
        state.record(IGMPFixtures.message(0.1, from: "198.18.0.9", to: "239.1.2.3", .igmpV2, .report(group: IPAddress("239.1.2.3")!)))
        state.advance(to: IGMPFixtures.at(3))
        return IGMPReport(state: state, findings: state.findings(at: IGMPFixtures.at(3)))
    }

    @Test("this host's answers: answered, suppressed by a neighbour, missed; with the warnings they mean")
    func answers() throws {
        var s = IGMPFixtures.state(Self.unansweredReport(), width: 100, height: 30)
        #expect(cells(s, "239.1.2.3", "eth0", "0") == ["239.1.2.3", "eth0", "0", "1", "0", "suppressed by 198.18.0.9"], "\(text(s))")
        #expect(cells(s, "239.1.2.4", "eth0") == ["239.1.2.4", "eth0", "0", "0", "1"], "\(text(s))")
        #expect(text(s).contains("membership.unreported") == false && text(s).contains("did not report it within 1.0 s"), "the warning's row: \(text(s))")
        s.igmp.cursor.index = try #require(IGMPFixtures.item(containing: "eth0 239.1.2.4", in: s))
        #expect(detail(s).contains("239.1.2.4 on eth0: 0 answered in time, 0 suppressed, 1 missed"), "\(detail(s))")
        #expect(detail(s).contains("Missed: no report within 1.0 s of 198.18.0.254's query 3.0 s ago."), "\(detail(s))")
        s.igmp.cursor.index = try #require(IGMPFixtures.item(containing: "eth0 239.1.2.3", in: s))
        #expect(detail(s).contains("Suppressed: 198.18.0.9's IGMPv1/v2 or MLDv1 report of it came first"), "\(detail(s))")
        var busy = IGMPFixtures.state(IGMPFixtures.busyReport(), width: 160, height: 48)
        busy.igmp.cursor.index = 0
        #expect(cells(busy, "239.1.2.3", "eth0", "5") == ["239.1.2.3", "eth0", "5", "0", "0"], "five queries answered: \(text(busy))")
    }

    @Test("warnings worst first; the selected one in full with its explanation and fix, as the doctor shows it")
    func warnings() throws {
        var s = IGMPFixtures.state(IGMPFixtures.busyReport(), width: 100, height: 30)
        let ids = s.igmp.report!.warnings.map(\.id)
        #expect(ids.first == "querier.rp-filter-drops" && ids.contains("querier.older-than-hosts") && ids.contains("querier.multiple"), "\(ids)")
        #expect(!ids.contains("querier.heard"), "the OK findings are the querier rows")
        s.igmp.cursor.index = try #require(IGMPFixtures.item(containing: "querier.rp-filter-drops", in: s))
        let finding = s.igmp.report!.warnings[0]
        #expect(text(s).contains("── [querier.rp-filter-drops] "))
        let shown = detail(s)
        #expect(shown.contains("FAIL  enp0s31f6: " + finding.summary) && shown.contains(finding.explanation) && shown.contains("fix: " + finding.fix!), "\(shown)")
        let row = try #require(lines(s).first { $0.hasPrefix("× FAIL") })
        #expect(row.contains("enp0s31f6  queries from 10.9.9.9 are dropped by rp_filter"), "\(row)")

        let quiet = IGMPFixtures.state(IGMPFixtures.quietReport(), width: 100, height: 30)
        let screen = text(quiet)
        #expect(screen.contains("none heard in 12 s (queriers usually query every 125 s)"), "\(screen)")
        #expect(screen.contains("WARN      eth0       no IGMP querier heard on eth0 in 12.0 s"), "\(screen)")
        #expect(screen.contains("no MLD querier heard on eth0 in 12.0 s") && screen.contains("no reports heard yet"), "\(screen)")
        #expect(detail(quiet).contains("snooping switches forget a membership 260 s after its last report"), "the first warning in full: \(detail(quiet))")
    }

    @Test("without CAP_NET_RAW it says so and what to do; the Interfaces screen says not listening; r resets nothing")
    func unprivileged() throws {
        var s = AppState(hostName: "testhost", privileged: false)
        _ = s.handle(.resize(width: 80, height: 24))
        #expect(s.handle(.launched(TUIOptions())) == [.refreshInterfaces], "no listener is started")
        _ = s.handle(.interfaces(LayoutTests.table, defaultGateways: [2]))
        _ = s.handle(.key(.character("7")))
        #expect(s.screen == .igmp)
        let screen = text(s)
        #expect(screen.contains("unprivileged") && screen.contains("Not listening: hearing IGMP and MLD needs CAP_NET_RAW"), "\(screen)")
        #expect(screen.contains("setcap cap_net_raw+ep"), "\(screen)")
        #expect(s.handle(.key(.character("r"))).isEmpty && s.status?.text == "IGMP/MLD: not listening, nothing to reset (needs CAP_NET_RAW)")
        _ = s.handle(.key(.character("1")))
        let eth0 = try #require(lines(s).first { $0.hasPrefix("2   eth0") })
        #expect(eth0.contains("not listening"), "\(eth0)")
        #expect(try #require(lines(s).first { $0.hasPrefix("1   lo") }).contains(" -  "), "no querier on lo")
    }

    @Test("privileged: the listener starts at launch (not with --no-igmp); the screen says it listens until the first report; a listener that cannot run says why")
    func listenerLifecycle() {
        var s = AppState(hostName: "testhost", privileged: true)
        _ = s.handle(.resize(width: 80, height: 24))
        var off = s
        #expect(off.handle(.launched(TUIOptions(igmp: false))) == [.refreshInterfaces], "--no-igmp")
        _ = off.handle(.key(.character("7")))
        #expect(text(off).contains("not listening: started with --no-igmp"))
        #expect(s.handle(.launched(TUIOptions())) == [.refreshInterfaces, .startIGMPListener])
        _ = s.handle(.key(.character("7")))
        #expect(text(s).contains("listening for IGMP and MLD on every interface..."))
        _ = s.handle(.igmpUnavailable("not listening: hearing IGMP/MLD needs CAP_NET_RAW (run as root)"))
        #expect(s.status == StatusMessage(text: "IGMP/MLD: not listening: hearing IGMP/MLD needs CAP_NET_RAW (run as root)", style: .error))
        #expect(text(s).contains("not listening: hearing IGMP/MLD needs CAP_NET_RAW (run as root)"))
        #expect(s.handle(.key(.character("r"))).isEmpty)
        _ = s.handle(.threadFailed(.igmpListener, reason: "Resource temporarily unavailable"))
        #expect(s.status?.text == "IGMP/MLD: could not start its thread: Resource temporarily unavailable")
        _ = s.handle(.interfaces(LayoutTests.table, defaultGateways: [2]))
        _ = s.handle(.key(.character("1")))
        #expect(lines(s).first { $0.hasPrefix("2   eth0") }?.contains("not listening") == true)
    }

    @Test("the Interfaces screen's QUERIER column: the elected IGMP and MLD queriers with their versions, a stopped one, none heard, - on lo")
    func interfacesColumn() throws {
        var s = IGMPFixtures.state(IGMPFixtures.busyReport(), width: 160, height: 48)
        _ = s.handle(.key(.character("1")))
        let rows = lines(s)
        #expect(rows[2].contains("QUERIER") && rows[2].contains("ADDRESSES"), "\(rows[2])")
        #expect(try #require(rows.first { $0.hasPrefix("2   eth0") }).contains("198.18.0.100 IGMPv2, fe80::1 MLDv2  [default] 198.18.0.2/24"))
        #expect(try #require(rows.first { $0.hasPrefix("3   enp0s31f6") }).contains("10.9.9.9 IGMPv3 stopped"))
        var quiet = IGMPFixtures.state(IGMPFixtures.quietReport(), width: 80, height: 24)
        _ = quiet.handle(.key(.character("1")))
        #expect(try #require(lines(quiet).first { $0.hasPrefix("2   eth0") }).contains("none heard"))
        _ = quiet.handle(.key(.character("/")))
        for c in "none heard" { _ = quiet.handle(.key(.character(c))) }
        #expect(quiet.interfaces.cursor.index == 1, "/ finds the querier column's text")
    }

    @Test("keys on the IGMP/MLD tab: 7 and Tab reach it, arrows move over the rows (not the headers), g/G, / and n, r resets, p holds the report")
    func keys() throws {
        var s = IGMPFixtures.state(nil)
        _ = s.handle(.key(.character("6")))
        _ = s.handle(.key(.tab))
        #expect(s.screen == .igmp && s.keyContext == .igmp)
        _ = s.handle(.key(.tab))
        #expect(s.screen == .mesh, "the Mesh tab comes after it")
        _ = s.handle(.key(.backTab))
        #expect(s.screen == .igmp)
        _ = s.handle(.igmp(IGMPFixtures.busyReport()))
        let rows = s.igmpRows
        #expect(rows.count == 4 + 5 + 1 + 2 + 3, "4 queriers, 5 warnings, 1 answer, 2 groups with 3 reporters: \(rows.count)")
        _ = s.handle(.key(.down))
        _ = s.handle(.key(.down))
        _ = s.handle(.key(.down))
        _ = s.handle(.key(.down))
        #expect(rows.item(s.igmp.cursor.index) == .warning(0), "from the last querier the next row is the first warning, past the header")
        _ = s.handle(.key(.character("G")))
        #expect(rows.item(s.igmp.cursor.index) == .reporter(group: 1, reporter: 0))
        _ = s.handle(.key(.character("g")))
        #expect(s.igmp.cursor.index == 0)
        _ = s.handle(.key(.character("/")))
        for c in "198.18.0.2 " { _ = s.handle(.key(.character(c))) }
        _ = s.handle(.key(.enter))
        #expect(rows.item(s.igmp.cursor.index) == .reporter(group: 0, reporter: 0), "/ finds this host's report")
        _ = s.handle(.key(.character("p")))
        _ = s.handle(.igmp(IGMPFixtures.quietReport()))
        #expect(s.igmp.report == IGMPFixtures.busyReport(), "paused: the report stays")
        _ = s.handle(.key(.character("p")))
        #expect(KeyMap.footer(for: s).map { "\($0.keys) \($0.text)" }.joined(separator: "  ")
                == "q quit  ? help  Tab screen  j join  n/N next  p pause  r reset  ↑/↓ select  g/G top/end")
        #expect(s.handle(.key(.character("r"))) == [.resetIGMP])
        #expect(s.igmp.report == nil && s.igmp.cursor.index == 0 && s.status?.text == "IGMP/MLD: forgot what was heard; listening afresh")
        #expect(text(s).contains("listening for IGMP and MLD on every interface..."))
    }

    @Test("a group joined from the IGMP/MLD screen keeps it on screen, to see this host's report come; from elsewhere the Groups screen shows the stream")
    func joinStays() {
        for start in [ScreenID.igmp, .interfaces] {
            var s = IGMPFixtures.state(IGMPFixtures.busyReport())
            _ = s.handle(.key(.character(Character(String(start.rawValue + 1)))))
            _ = s.handle(.key(.character("j")))
            for c in "239.1.2.9:5000" { _ = s.handle(.key(.character(c))) }
            let effects = s.handle(.key(.enter))
            #expect(effects.count == 1 && s.joinForm == nil)
            #expect(s.screen == (start == .igmp ? .igmp : .groups))
        }
    }

    @Test("the mouse: tab 7 at every width, a click on a row selects it (scrolled, past headers), on a header or the detail nothing, the wheel moves three rows")
    func mouse() throws {
        for width in [60, 80, 100, 160] {
            var s = IGMPFixtures.state(IGMPFixtures.busyReport(), width: width, height: 24)
            _ = s.handle(.key(.character("1")))
            let tabs = Renderer.tabs(width: width)
            let tab = try #require(tabs.first { $0.screen == .igmp })
            #expect(tabs.allSatisfy { $0.x + $0.label.count <= width }, "every tab fits at \(width): \(tabs.map(\.label))")
            #expect(s.handle(.mouse(MouseEvent(.click, x: tab.x + 1, y: 1))).isEmpty)
            #expect(s.screen == .igmp, "\(width)")
            #expect(lines(s)[1].contains(tab.label.trimmingCharacters(in: .whitespaces)), "\(width): \(lines(s)[1])")
        }
        var s = IGMPFixtures.state(IGMPFixtures.busyReport(extraGroups: 30), width: 100, height: 30)
        let all = lines(s)
        let y = try #require(all.firstIndex { $0.contains("↳ 198.18.0.2 ") })
        _ = s.handle(.mouse(MouseEvent(.click, x: 10, y: y)))
        #expect(s.igmpRows.item(s.igmp.cursor.index) == .reporter(group: 0, reporter: 0), "\(text(s))")
        let selected = s.igmp.cursor
        let header = try #require(lines(s).firstIndex { $0.hasPrefix("  GROUPS") })
        _ = s.handle(.mouse(MouseEvent(.click, x: 10, y: header)))
        let rule = try #require(lines(s).firstIndex { $0.hasPrefix("── ") })
        _ = s.handle(.mouse(MouseEvent(.click, x: 10, y: rule + 1)))
        _ = s.handle(.mouse(MouseEvent(.click, x: 10, y: 2)))
        #expect(s.igmp.cursor == selected, "headers, the counts line and the detail select nothing")
        // Selected far down, the list scrolls; a click still selects the row drawn under it.
        _ = s.handle(.key(.character("G")))
        let scrolled = lines(s)
        let y2 = try #require(scrolled.firstIndex { $0.hasPrefix("  239.5.0.21 ") }, "\(text(s))")
        _ = s.handle(.mouse(MouseEvent(.click, x: 10, y: y2)))
        #expect(s.igmpRows.item(s.igmp.cursor.index) == .group(22), "\(text(s))")
        let before = s.igmp.cursor
        _ = s.handle(.mouse(MouseEvent(.wheelUp, x: 10, y: 8)))
        #expect(s.igmp.cursor.index == before.index - 3)
    }

    @Test("the rows' line arithmetic: every item is on the line that shows it, headers and empty sections between")
    func rowArithmetic() {
        for report in [IGMPFixtures.busyReport(extraGroups: 12), IGMPFixtures.quietReport(), Self.unansweredReport()] {
            let rows = IGMPRows(report)
            var items = 0
            for n in 0..<rows.lineCount {
                guard case .item(let index) = rows.line(n) else { continue }
                #expect(index == items && rows.line(ofItem: index) == n)
                items += 1
            }
            #expect(items == rows.count && rows.line(rows.lineCount) == nil && rows.item(rows.count) == nil)
        }
        let quiet = IGMPRows(IGMPFixtures.quietReport())
        #expect((0..<quiet.lineCount).map { quiet.line($0)! } == [.header(.queriers), .empty(.queriers), .header(.warnings), .item(0), .item(1), .item(2), .header(.groups), .empty(.groups)])
    }

    @Test("names and texts from the network reach the canvas sanitised")
    func sanitised() {
        var state = IGMPFixtures.busyState()
        var facts = state.host
        facts.interfaces.append(NetworkInterface(name: "e\u{1b}]0;x\u{07}\u{202e}", index: 9, flags: [.up, .running, .multicast]))
        state.host = IGMPHostFacts(interfaces: facts.interfaces, routes4: facts.routes4, memberships: facts.memberships, sysctls: facts.sysctls)
        state.record(IGMPFixtures.message(11, on: 9, from: "198.18.9.1", to: "224.0.0.1", .igmpV3, .query(IGMPFixtures.generalV3)))
        let hostile = Finding(id: "x\u{1b}[2J", severity: .warn, interface: "e\u{1b}]0;x\u{07}", summary: "s\u{1b}[2Jummary", explanation: "e\u{0}x")
        var s = IGMPFixtures.state(IGMPReport(state: state, findings: [hostile]), width: 160, height: 48)
        s.igmp.cursor.index = 5
        for glyphs in [Glyphs.unicode, .ascii] {
            let screen = text(s, glyphs)
            #expect(!screen.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7f || $0 == "\u{202e}" }, "\(screen)")
            #expect(screen.contains("e.]0;x.."), "\(screen)")
        }
    }
}
