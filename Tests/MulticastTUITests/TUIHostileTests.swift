#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MulticastExpert
import NetnsLab
import Testing

/// The TUI in a real terminal facing traffic and names nobody friendly would produce.
@Suite("TUI under hostile input", .enabled(if: Lab.shouldRun && (TmuxSession.isAvailable || Lab.isRequired), "needs root (namespaces) and tmux"))
struct TUIHostileTests {
    let port = TestPorts.unique()

    /// The resident memory of a process, KiB, from /proc.
    func residentKiB(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    @Test("crafted probes, a random flood and an interface named with escape bytes leave the screen sane and the process up")
    func floodAndHostileName() throws {
        let hosts = try TwoHosts("tuih")
        defer { hosts.tearDown() }
        let hostileName = "e\u{1b}]0;x\u{07}$(id)"
        let printfName = "\"$(printf 'e\\033]0;x\\007$(id)')\""
        try hosts.b.sh("ip link add name \(printfName) type veth peer name hpeer && ip link set hpeer up && ip link set \(printfName) up && ip addr add 198.51.100.1/24 dev \(printfName)")
        let group = "239.66.0.1"
        let tui = try TmuxSession(["sh", "-c", "ip netns exec \(hosts.b.name) \(MCExpertBinary.path) tui --group \(group):\(port) --iface vb --iface \(printfName); echo mcexpert-exit=$?; sleep 60"],
                                  width: 110, height: 30)
        var screen = tui.waitFor(seconds: 15) { $0.contains("1 Interfaces") && $0.contains("q quit") }
        let looped = try hosts.b.spawn([MCExpertBinary.path, "send", "\(group):\(port)", "-i", hostileName, "--loopback", "--rate", "20"])
        defer { looped.stop() }
        try tui.press("2")
        screen = tui.waitFor(seconds: 15) { $0.contains("e.]0;x.$(id)") }
        #expect(screen.contains("e.]0;x.$(id)"), "the hostile name is drawn with its controls as dots: \(screen)")

        let multicastGroup = try MulticastGroup(parsing: group)
        for _ in 0..<3 {
            _ = try hosts.a.run { try HostileTraffic.send(to: multicastGroup, port: port, interface: "va") }
        }
        screen = tui.waitFor(seconds: 10) { $0.contains("\(group):\(self.port)") && $0.contains(" vb ") }
        #expect(screen.contains("\(group):\(port)"), "the flooded stream is listed: \(screen)")
        #expect(screen.contains("2 Groups"), "the tab bar is still drawn: \(screen)")
        #expect(tui.value("pane_title") != "x", "the name did not set the window title")
        #expect(tui.value("pane_dead") == "0", "the TUI is still running")
        let candidates = (try? Shell.run("pgrep -x mcexpert"))?.split(separator: "\n").compactMap { pid_t($0) } ?? []
        let pid = try #require(candidates.first { pid in
            let arguments = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            return arguments.contains("tui\u{0}--group\u{0}\(group)")
        }, "the TUI's pid among \(candidates)")
        let rss = try #require(residentKiB(pid), "VmRSS of \(pid)")
        #expect(rss < 300_000, "memory stays bounded: \(rss) KiB")
        try tui.press("x")
        screen = tui.waitFor(seconds: 5) { $0.contains("packet ") }
        #expect(screen.contains("packet "), "the inspector shows the flooded stream's packets: \(screen)")
        screen = try TUIEndToEndTests.quit(tui)
        #expect(screen.contains("mcexpert-exit=0"), "q quits normally after the flood: \(screen)")
    }

    @Test("a fatal signal restores the terminal and says so before the crash report")
    func fatalSignalRestoresTerminal() throws {
        let lab = try Lab("tuicrash")
        defer { lab.tearDown() }
        let ns = try lab.namespace("c")
        let marker = "tui-crash-\(port)"
        let tui = try TmuxSession(["sh", "-c", "SWIFT_BACKTRACE=interactive=no ip netns exec \(ns.name) \(MCExpertBinary.path) tui --demo --port \(port); echo \(marker)-exit=$?; sleep 60"], width: 100, height: 30)
        tui.waitFor(seconds: 15) { $0.contains("1 Interfaces") }
        #expect(tui.value("alternate_on") == "1", "curses mode is on while the TUI runs")
        let pids = try Shell.run("pgrep -f '\(MCExpertBinary.path) tui --demo --port \(port)'").split(separator: "\n").compactMap { pid_t($0) }
        let tuiPid = try #require(pids.first { pid in
            (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("mcexpert") == true
        }, "the TUI's pid among \(pids)")
        kill(tuiPid, SIGSEGV)
        let screen = tui.waitFor(seconds: 20) { $0.contains("the terminal has been restored") }
        #expect(screen.contains("the terminal UI crashed (fatal signal); the terminal has been restored"), "\(screen)")
        #expect(tui.value("alternate_on") == "0", "curses mode was left")
        try? tui.press("q")
        let after = tui.waitFor(seconds: 30) { $0.contains("\(marker)-exit=") }
        #expect(after.contains("\(marker)-exit=") && !after.contains("\(marker)-exit=0"), "the crash still ends the process with a failure: \(after)")
    }
}
