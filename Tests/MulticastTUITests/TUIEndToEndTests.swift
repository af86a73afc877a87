import Foundation
@testable import MulticastTUI
import NetnsLab
import Testing

/// The built binary in a real terminal (tmux) inside a namespace with traffic flowing.
@Suite("TUI in a real terminal", .enabled(if: Lab.shouldRun && (TmuxSession.isAvailable || Lab.isRequired), "needs root (namespaces) and tmux"))
struct TUIEndToEndTests {
    let port = TestPorts.unique()

    /// Presses q and waits for the shell to print the TUI's exit status; returns the screen then.
    static func quit(_ tui: TmuxSession) throws -> String {
        try tui.press("q")
        return tui.waitFor(seconds: 10) { $0.contains("mcexpert-exit=") }
    }

    /// The Groups-table row of a stream, split into columns (the severity mark in front left out).
    func row(_ screen: String, _ stream: String) -> [String]? {
        screen.split(separator: "\n").first { $0.dropFirst(2).hasPrefix(stream) }.map { $0.dropFirst(2).split(separator: " ").map(String.init) }
    }

    /// A stream's packets per second from the Groups table: the PKT/S column, wherever the
    /// terminal's width put it.
    func packetRate(_ screen: String, _ stream: String) -> Double? {
        guard let header = screen.split(separator: "\n").first(where: { $0.hasPrefix("  GROUP:PORT") }),
              let index = header.split(separator: " ").firstIndex(where: { $0.hasPrefix("PKT/S") }),
              let columns = row(screen, stream), columns.count > index else { return nil }
        return Double(columns[index].replacingOccurrences(of: "k", with: ""))
    }

    @Test("join through the form, see the rate, inspect a hostile payload harmlessly, read the doctor, resize, quit")
    func fullSession() throws {
        let hosts = try TwoHosts("tui")
        defer { hosts.tearDown() }
        try hosts.b.sh("sysctl -qw net.ipv4.conf.all.rp_filter=1")  // a pitfall for the doctor to name
        let probes = try hosts.a.spawn([MCExpertBinary.path, "send", "239.63.0.1:\(port)", "-i", "va", "--rate", "50"])
        defer { probes.stop() }
        let hostile = try hosts.a.spawn([MCExpertBinary.path, "send", "239.63.0.2:\(port)", "-i", "va", "--rate", "10",
                                         "--message", "\u{1b}[2J\u{1b}]0;pwned\u{07}HELLO-TUI"])
        defer { hostile.stop() }

        let tui = try TmuxSession(["sh", "-c", "ip netns exec \(hosts.b.name) \(MCExpertBinary.path) tui; echo mcexpert-exit=$?; sleep 60"], width: 100, height: 30)
        var screen = tui.waitFor(seconds: 15) { $0.contains("1 Interfaces") && $0.contains("q quit") }
        #expect(screen.contains("No groups joined yet"), "start screen: \(screen)")

        for group in ["239.63.0.1", "239.63.0.2"] {
            try tui.press("j")
            tui.waitFor(seconds: 5) { $0.contains("Join a group") }
            try tui.type("\(group):\(port)")
            try tui.press("Tab")
            try tui.type("vb")
            // Keys arrive asynchronously: wait until the form shows all of them.
            screen = tui.waitFor(seconds: 10) { $0.contains("Interfaces   vb_") && $0.contains("ok: Enter joins \(group) port \(self.port)") }
            #expect(screen.contains("ok: Enter joins \(group) port \(port)"), "form: \(screen)")
            try tui.press("Enter")
            screen = tui.waitFor(seconds: 10) { $0.contains("joined \(group):\(self.port) on vb") }
            #expect(screen.contains("joined \(group):\(port) on vb"), "status after joining: \(screen)")
        }
        let stream = "239.63.0.1:\(port)"
        screen = tui.waitFor(seconds: 15) { (self.packetRate($0, stream) ?? 0) > 0 }
        let columns = try #require(row(screen, stream), "the stream's row: \(screen)")
        #expect(columns[1] == "vb")
        #expect((packetRate(screen, stream) ?? 0) > 0, "non-zero packets/s: \(columns)")

        screen = tui.waitFor(seconds: 10) { self.row($0, "239.63.0.2:\(self.port)") != nil }
        #expect(row(screen, "239.63.0.2:\(port)") != nil, "second stream: \(screen)")
        try tui.press("Down")
        try tui.press("x")
        screen = tui.waitFor(seconds: 10) { $0.contains("HELLO-TUI") || $0.contains("|.[2J.]0;pwned.HE") }
        #expect(screen.contains("1b 5b 32 4a 1b 5d 30 3b  70 77 6e 65 64 07 48 45  |.[2J.]0;pwned.HE|"), "hexdump: \(screen)")
        #expect(screen.contains("1 Interfaces"), "the escape bytes did not clear the screen")
        #expect(tui.value("pane_title") != "pwned", "the escape bytes did not set the title")

        try tui.press("Escape")
        try tui.press("d")
        screen = tui.waitFor(seconds: 20) { $0.contains("strict rp_filter on vb") }
        #expect(screen.contains("strict rp_filter on vb"), "doctor: \(screen)")

        try tui.resize(width: 70, height: 20)
        screen = tui.waitFor(seconds: 5) { $0.split(separator: "\n", omittingEmptySubsequences: false).count <= 20 && ($0.split(separator: "\n").last ?? "").hasPrefix("q quit") }
        #expect((screen.split(separator: "\n").last ?? "").hasPrefix("q quit"), "footer on the new last row: \(screen)")
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 70 })
        try tui.resize(width: 40, height: 10)
        screen = tui.waitFor(seconds: 5) { $0.contains("terminal too small") }
        #expect(screen.contains("terminal too small: 40x10"))
        try tui.resize(width: 100, height: 30)
        tui.waitFor(seconds: 5) { $0.contains("4 Doctor") }

        screen = try Self.quit(tui)
        #expect(screen.contains("mcexpert-exit=0"), "q quits with status 0 and restores the terminal: \(screen)")
        #expect(!screen.contains("Fatal error") && !screen.contains("Backtrace"))
    }

    @Test("--demo shows live probe traffic at once, and the inspector decodes the probe header")
    func demo() throws {
        let lab = try Lab("tuidemo")
        defer { lab.tearDown() }
        let ns = try lab.namespace("d")
        let tui = try TmuxSession(["sh", "-c", "ip netns exec \(ns.name) \(MCExpertBinary.path) tui --demo; echo mcexpert-exit=$?; sleep 60"], width: 90, height: 26)
        let screen = tui.waitFor(seconds: 15) { (self.packetRate($0, "239.255.77.1:47000") ?? 0) > 0 }
        #expect((packetRate(screen, "239.255.77.1:47000") ?? 0) > 0, "demo stream with a rate: \(screen)")
        #expect(row(screen, "239.255.77.1:47000")?.contains("probe") == true, "the KIND column says probe: \(screen)")
        try tui.press("x")
        let inspector = tui.waitFor(seconds: 5) { $0.contains("probe: sender") }
        #expect(inspector.contains("|MCXP"), "probe hexdump: \(inspector)")
        #expect(try Self.quit(tui).contains("mcexpert-exit=0"))
    }

    @Test("at 120 columns the demo stream's detail sits beside the table; Enter opens it full-screen, Esc goes back")
    func detailPane() throws {
        let lab = try Lab("tuidetail")
        defer { lab.tearDown() }
        let ns = try lab.namespace("d")
        let tui = try TmuxSession(["sh", "-c", "ip netns exec \(ns.name) \(MCExpertBinary.path) tui --demo; echo mcexpert-exit=$?; sleep 60"], width: 120, height: 32)
        var screen = tui.waitFor(seconds: 15) { $0.contains("239.255.77.1:47000 on lo  probe") && $0.contains("PROBE") && $0.contains("highest seq") }
        #expect(screen.contains("239.255.77.1:47000 on lo  probe  1 source"), "the pane's title names the kind: \(screen)")
        #expect(screen.contains("PROBE") && screen.contains("pkt/s  max"), "the pane shows the graphs and the probe section: \(screen)")
        let border: Character = screen.contains("│") ? "│" : "|"  // ASCII when tmux's locale is not UTF-8
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let column = try #require(lines.first { String($0).hasPrefix("  GROUP:PORT") }?.firstIndex(of: border), "the pane's border: \(screen)")
        #expect(column >= 50 && column <= 70, "the table takes about half of 120 columns: \(column)")
        #expect(lines.filter { $0.count > column && $0[column] == border }.count >= 25, "the border runs down the body: \(screen)")
        try tui.press("Enter")
        screen = tui.waitFor(seconds: 5) { $0.contains("Esc/q back") }
        #expect(!screen.contains("GROUP:PORT") && screen.contains("239.255.77.1:47000 on lo  probe"), "the detail covers the body: \(screen)")
        try tui.press("Escape")
        screen = tui.waitFor(seconds: 5) { $0.contains("GROUP:PORT") }
        #expect(screen.contains("GROUP:PORT"), "Esc goes back to the table: \(screen)")
        #expect(try Self.quit(tui).contains("mcexpert-exit=0"))
    }

    /// The line of `screen` that starts (after its two-cell mark) with the cells `lead`, as cells
    /// split at runs of two spaces or more.
    func cells(_ screen: String, _ lead: String...) -> [String]? {
        screen.split(separator: "\n").lazy.map { line in
            line.dropFirst(2).split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }.first { $0.starts(with: lead) }
    }

    @Test("IGMP/MLD in a bridge lab: no querier is a warning; the bridge's IGMPv3 querier appears on the IGMP/MLD and Interfaces screens; a join with j shows this host's own report")
    func igmpScreen() throws {
        let lab = try BridgeLab("tuiigmp", hosts: 1, querier: nil)
        defer { lab.tearDown() }
        let tui = try TmuxSession(["sh", "-c", "ip netns exec \(lab.host(1).name) \(MCExpertBinary.path) tui; echo mcexpert-exit=$?; sleep 60"], width: 100, height: 30)
        tui.waitFor(seconds: 15) { $0.contains("7 IGMP/MLD") && $0.contains("q quit") }
        try tui.press("7")
        var screen = tui.waitFor(seconds: 10) { $0.contains("no IGMP querier heard on h1") }
        #expect(cells(screen, "WARN", "h1")?.last?.hasPrefix("no IGMP querier heard on h1 in ") == true, "the warning's row: \(screen)")
        #expect(screen.contains("── [querier.none] ") && screen.contains("snooping switches forget a membership 260 s after its last report"),
                "the selected warning in full: \(screen)")
        #expect(screen.contains("none heard in "), "no querier row: \(screen)")

        // The bridge becomes an IGMPv3 (and MLDv2) querier, querying every 2 s from 198.18.0.254.
        try lab.bridge.sh("ip link set br0 type bridge mcast_igmp_version 3 mcast_query_interval 200 mcast_query_response_interval 100 "
                          + "mcast_startup_query_interval 200 mcast_startup_query_count 1 mcast_querier 1")
        screen = tui.waitFor(seconds: 10) { self.cells($0, "198.18.0.254", "h1", "IGMPv3", "elected") != nil && !$0.contains("no IGMP querier heard") }
        let querier = try #require(cells(screen, "198.18.0.254"), "the querier's row: \(screen)")
        #expect(querier.starts(with: ["198.18.0.254", "h1", "IGMPv3", "elected"]) && querier.last == "accepts", "\(querier)")
        #expect(!screen.contains("no IGMP querier heard on h1"), "the warning went with the querier's first query: \(screen)")

        try tui.press("1")
        screen = tui.waitFor(seconds: 5) { $0.contains("QUERIER") && $0.contains("198.18.0.254 IGMPv3") }
        let h1 = try #require(screen.split(separator: "\n").first { $0.hasPrefix("2   h1") }, "\(screen)")
        #expect(h1.contains("198.18.0.254 IGMPv3") && h1.contains("198.18.0.1/24"), "the Interfaces screen names the querier: \(h1)")

        // Joined from the IGMP/MLD screen, which stays: the kernel's unsolicited report shows as this host's.
        let group = "239.77.0.\(port % 200 + 1)"
        try tui.press("7")
        try tui.press("j")
        tui.waitFor(seconds: 5) { $0.contains("Join a group") }
        try tui.type("\(group):\(port)")
        try tui.press("Tab")
        try tui.type("h1")
        tui.waitFor(seconds: 10) { $0.contains("Interfaces   h1_") && $0.contains("ok: Enter joins \(group) port \(self.port)") }
        try tui.press("Enter")
        screen = tui.waitFor(seconds: 10) { self.cells($0, group, "h1") != nil && $0.contains("↳ 198.18.0.1 ") && $0.contains("this host") }
        #expect(screen.contains("joined \(group):\(port) on h1") && cells(screen, group, "h1") != nil, "the joined group on the IGMP/MLD screen: \(screen)")
        let own = try #require(screen.split(separator: "\n").first { $0.contains("↳ 198.18.0.1 ") }, "\(screen)")
        #expect(own.contains("IGMPv3") && own.contains("this host") && own.contains("EXCLUDE {}"), "this host's own report: \(own)")

        screen = try Self.quit(tui)
        #expect(screen.contains("mcexpert-exit=0"), "\(screen)")
    }

    @Test("without CAP_NET_RAW the IGMP/MLD screen says so plainly and the Interfaces screen says not listening")
    func igmpUnprivileged() throws {
        let lab = try Lab("tuinoraw")
        defer { lab.tearDown() }
        let ns = try lab.namespace("n")
        let tui = try TmuxSession(["sh", "-c", "ip netns exec \(ns.name) setpriv --bounding-set=-net_raw --inh-caps=-net_raw -- \(MCExpertBinary.path) tui; echo mcexpert-exit=$?; sleep 60"],
                                  width: 80, height: 24)
        tui.waitFor(seconds: 15) { $0.contains("7 IGMP/MLD") && $0.contains("q quit") }
        try tui.press("7")
        var screen = tui.waitFor(seconds: 5) { $0.contains("Not listening") }
        #expect(screen.contains("unprivileged") && screen.contains("Not listening: hearing IGMP and MLD needs CAP_NET_RAW"), "\(screen)")
        try tui.press("1")
        screen = tui.waitFor(seconds: 5) { $0.contains("QUERIER") }
        #expect(screen.split(separator: "\n").first { $0.hasPrefix("1   lo") }?.contains(" -  ") == true, "\(screen)")
        #expect(try Self.quit(tui).contains("mcexpert-exit=0"))
    }

    /// A press (and release) of the left button on a cell, as a terminal in the mode ncurses
    /// asks for under tmux (X10: ESC [ M, then button, column and row as bytes from 32 and 33).
    static func click(x: Int, y: Int) -> String { mouse(button: 0, x: x, y: y) + mouse(button: 3, x: x, y: y) }

    static func mouse(button: Int, x: Int, y: Int) -> String {
        "\u{1b}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + x))) + String(UnicodeScalar(UInt8(33 + y)))
    }

    @Test("the mouse in a real terminal: a click on a tab switches screens, on a row selects it, a double-click opens it, on a title sorts; the demo's doctor agrees with its stream; --no-mouse leaves clicks alone")
    func mouse() throws {
        let lab = try Lab("tuimouse")
        defer { lab.tearDown() }
        let ns = try lab.namespace("m")
        let second = try ns.spawn([MCExpertBinary.path, "send", "239.255.77.2:47000", "-i", "lo", "--rate", "10"])
        defer { second.stop() }
        let tui = try TmuxSession(["sh", "-c", "ip netns exec \(ns.name) \(MCExpertBinary.path) tui --demo --group 239.255.77.2:47000 --iface lo; echo mcexpert-exit=$?; sleep 60"],
                                  width: 100, height: 30)
        var screen = tui.waitFor(seconds: 15) { (self.packetRate($0, "239.255.77.1:47000") ?? 0) > 0 && (self.packetRate($0, "239.255.77.2:47000") ?? 0) > 0 }
        #expect(screen.contains("239.255.77.1:47000 on lo  probe"), "the pane shows the first row: \(screen)")
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rowY = try #require(lines.firstIndex { $0.dropFirst(2).hasPrefix("239.255.77.2:47000") }, "\(screen)")

        // A click on the second stream's row selects it: the pane follows.
        try tui.type(Self.click(x: 5, y: rowY))
        screen = tui.waitFor(seconds: 5) { $0.contains("239.255.77.2:47000 on lo  probe") }
        #expect(screen.contains("239.255.77.2:47000 on lo  probe"), "the click selected the row: \(screen)")
        // A double-click opens its detail over the whole body. Two clicks that reach ncurses in
        // one read are folded into one, as a person's never are: the second follows a moment
        // later (well inside the 0.4 s a double-click may take), and the pair is tried again in
        // the rare case the terminal still delivered them together.
        for _ in 0..<3 where !screen.contains("Esc/q back") {
            try tui.type(Self.click(x: 5, y: rowY))
            usleep(100_000)
            try tui.type(Self.click(x: 5, y: rowY))
            screen = tui.waitFor(seconds: 2) { $0.contains("Esc/q back") }
        }
        #expect(screen.contains("Esc/q back") && !screen.contains("GROUP:PORT") && screen.contains("239.255.77.2:47000 on lo"), "double-click opens: \(screen)")
        try tui.press("Escape")
        screen = tui.waitFor(seconds: 5) { $0.contains("GROUP:PORT") }

        // A click on a column's title sorts by it.
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(rows.firstIndex { $0.hasPrefix("  GROUP:PORT") })
        let loss = try #require(rows[header].range(of: "LOSS%"))
        try tui.type(Self.click(x: rows[header].distance(from: rows[header].startIndex, to: loss.lowerBound), y: header))
        screen = tui.waitFor(seconds: 5) { $0.contains("sorted by LOSS% ascending") }
        #expect(screen.contains("sorted by LOSS% ascending") && screen.contains("LOSS%+"), "\(screen)")

        // A click on the Doctor tab runs it; with the demo's stream arriving on lo, nothing it
        // says contradicts it.
        let doctorTab = try #require(Renderer.tabs(width: 100).first { $0.screen == .doctor })
        try tui.type(Self.click(x: doctorTab.x + 2, y: 1))
        screen = tui.waitFor(seconds: 20) { $0.contains("doctor: ") }
        #expect(screen.contains("SEV") && screen.contains("FINDING"), "the Doctor tab: \(screen)")
        #expect(screen.contains("239.255.77.1 arrives on lo: loopback multicast works"), "\(screen)")
        #expect(screen.contains("lo is up and carries multicast"), "\(screen)")
        #expect(!screen.contains("no route sends") && !screen.contains("no MULTICAST flag") && !screen.contains("supports multicast"), "\(screen)")
        let warnings = screen.split(separator: "\n").filter { $0.hasPrefix("WARN") || $0.hasPrefix("FAIL") }
        #expect(warnings.allSatisfy { !$0.contains("lo ") && !$0.contains("239.255.77.") }, "no warning about lo or the demo's groups: \(warnings)")

        // The wheel moves through the findings; a click on the Groups tab goes back.
        try tui.type(Self.mouse(button: 65, x: 10, y: 5))
        let groupsTab = try #require(Renderer.tabs(width: 100).first { $0.screen == .groups })
        try tui.type(Self.click(x: groupsTab.x + 2, y: 1))
        screen = tui.waitFor(seconds: 5) { $0.contains("GROUP:PORT") }
        #expect(screen.contains("GROUP:PORT"), "back on Groups: \(screen)")
        #expect(try Self.quit(tui).contains("mcexpert-exit=0"))

        // With --no-mouse the same click on the Doctor tab does nothing.
        let plain = try TmuxSession(["sh", "-c", "ip netns exec \(ns.name) \(MCExpertBinary.path) tui --demo --no-mouse; echo mcexpert-exit=$?; sleep 60"],
                                    width: 100, height: 30)
        screen = plain.waitFor(seconds: 15) { (self.packetRate($0, "239.255.77.1:47000") ?? 0) > 0 }
        try plain.type(Self.click(x: doctorTab.x + 2, y: 1))
        // Keys are read in order: once p has paused the display, the click has been read too.
        try plain.press("p")
        screen = plain.waitFor(seconds: 5) { $0.contains("| PAUSED") }
        #expect(screen.contains("| PAUSED") && screen.contains("GROUP:PORT") && !screen.contains("FINDING"), "--no-mouse: the click did nothing: \(screen)")
        #expect(try Self.quit(plain).contains("mcexpert-exit=0"))
    }
}
