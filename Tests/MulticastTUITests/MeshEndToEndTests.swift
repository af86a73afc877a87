import Foundation
@testable import MulticastTUI
import NetnsLab
import Testing

/// The Mesh screen of the built binary in a real terminal (tmux) inside a namespace, with a
/// second participant run by `mcexpert mesh` on the same group over lo.
@Suite("TUI Mesh screen in a real terminal", .enabled(if: Lab.shouldRun && (TmuxSession.isAvailable || Lab.isRequired), "needs root (namespaces) and tmux"))
struct MeshEndToEndTests {
    /// The cells of a receiver's row (its mark and label left out) on a screen with named columns.
    func cells(_ screen: String, _ label: String) -> [String]? {
        screen.split(separator: "\n").first { $0.dropFirst(2).hasPrefix(label + " ") }
            .map { $0.dropFirst(2 + label.count).split(separator: " ").map(String.init) }
    }

    @Test("start a mesh from the Mesh tab; mcexpert mesh on the same group appears as a row and a column with 0% both ways and sees this host; it goes, Enter stops, the matrix stays")
    func meshWithTheCLI() throws {
        let lab = try Lab("tuimesh")
        defer { lab.tearDown() }
        let ns = try lab.namespace("m")
        let target = "239.255.77.78:\(TestPorts.unique())"
        let tui = try TmuxSession(["sh", "-c", "ip netns exec \(ns.name) \(MCExpertBinary.path) tui; echo mcexpert-exit=$?; sleep 60"], width: 100, height: 30)
        var screen = tui.waitFor(seconds: 15) { $0.contains("8 Mesh") && $0.contains("q quit") }
        try tui.press("8")
        screen = tui.waitFor(seconds: 5) { $0.contains("Press Enter to start one here.") }
        #expect(screen.contains("Mesh: does every host hear every other host?"), "\(screen)")
        try tui.press("Enter")
        tui.waitFor(seconds: 5) { $0.contains("Start a mesh") }
        for (i, text) in [target, "lo", "tui-host"].enumerated() {
            for _ in 0..<8 { try tui.press("BSpace", "BSpace", "BSpace", "BSpace", "BSpace") }
            try tui.type(text)
            if i < 2 { try tui.press("Tab") }
        }
        screen = tui.waitFor(seconds: 10) { $0.contains("ok: Enter starts \(target) on lo as tui-host, 5 beacons/s") }
        #expect(screen.contains("ok: Enter starts \(target) on lo as tui-host, 5 beacons/s"), "the form: \(screen)")
        try tui.press("Enter")
        screen = tui.waitFor(seconds: 10) { $0.contains("RUNNING") && self.cells($0, "tui-host *") == ["0%"] }
        #expect(cells(screen, "tui-host *") == ["0%"], "this host hears its own beacons: \(screen)")

        let cli = try ns.spawn([MCExpertBinary.path, "mesh", target, "-i", "lo", "--name", "cli-host", "-d", "8"])
        defer { cli.stop() }
        screen = tui.waitFor(seconds: 15) {
            self.cells($0, "tui-host *") == ["0%", "0%"] && self.cells($0, "cli-host") == ["0%", "0%"] && $0.contains("every pair clean")
        }
        #expect(cells(screen, "tui-host *") == ["0%", "0%"] && cells(screen, "cli-host") == ["0%", "0%"], "both rows and columns, no loss: \(screen)")
        #expect(screen.contains("RUNNING") && screen.contains("2 participants, every pair clean"), "\(screen)")
        let title = try #require(screen.split(separator: "\n").first { $0.hasPrefix("  RX \\ TX") })
        #expect(title.split(separator: " ").suffix(2) == ["tui-host", "cli-host"], "\(title)")
        // The pair cli-host hears tui-host, reported by cli-host.
        try tui.press("Down")
        screen = tui.waitFor(seconds: 5) { $0.contains("── cli-host hears tui-host ") && $0.contains("Reported by cli-host") }
        #expect(screen.contains("Reported by cli-host in its beacon") && screen.contains("lost 0 (0.0%)"), "\(screen)")
        #expect(screen.contains("TTL/hop limit on arrival: 1."), "\(screen)")

        let status = cli.waitForExit(seconds: 20)
        let output = cli.output
        #expect(status == 0, "mcexpert mesh hears this host and every pair is clean: \(output)")
        #expect(output.contains("tui-host"), "\(output)")
        screen = tui.waitFor(seconds: 10) { $0.contains("(1 gone)") }
        #expect(screen.contains("2 participants (1 gone)"), "the CLI stopped: gone, kept: \(screen)")
        #expect(cells(screen, "cli-host")?.allSatisfy { $0.hasPrefix("~") } == true, "\(screen)")

        try tui.press("Enter")
        screen = tui.waitFor(seconds: 10) { $0.contains("STOPPED after") }
        #expect(screen.contains("STOPPED after") && cells(screen, "tui-host *") != nil && cells(screen, "cli-host") != nil,
                "stopped, the last matrix still on screen: \(screen)")
        try tui.press("q")
        screen = tui.waitFor(seconds: 10) { $0.contains("mcexpert-exit=") }
        #expect(screen.contains("mcexpert-exit=0") && !screen.contains("Fatal error"), "\(screen)")
    }
}
