import Foundation
import MulticastStreamList
import NetnsLab
import Testing

/// `tui --streams FILE` in a real terminal (tmux) in a namespace: the names on screen, and `w`
/// writing a file that loads back.
@Suite("TUI stream list in a real terminal", .enabled(if: Lab.shouldRun && (TmuxSession.isAvailable || Lab.isRequired), "needs root (namespaces) and tmux"))
struct TUIStreamListEndToEndTests {
    let port = TestPorts.unique()

    @Test("tui --streams joins and names the file's streams; w saves the joins (a form join too) to a file that loads back, overwriting only after a second Enter")
    func namesAndSave() throws {
        let hosts = try TwoHosts("tuisl")
        defer { hosts.tearDown() }
        let directory = NSTemporaryDirectory() + "mcexpert-tui-streams-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listPath = directory + "/in.yaml"
        try Data("""
            streams:
              - name: Studio feed
                group: 239.64.0.1:\(port)
                interface: vb
                payload: probe
                labels: {tier: gold}
              - name: Backup v6
                group: "[ff15::64]:\(port)"
                interface: vb
            """.utf8).write(to: URL(fileURLWithPath: listPath))
        var senders: [BackgroundProcess] = []
        for group in ["239.64.0.1:\(port)", "[ff15::64]:\(port)", "239.64.0.2:\(port)"] {
            senders.append(try hosts.a.spawn([MCExpertBinary.path, "send", group, "-i", "va", "--rate", "20"]))
        }
        defer { senders.forEach { _ = $0.stop() } }

        let tui = try TmuxSession(["sh", "-c", "cd \(directory) && ip netns exec \(hosts.b.name) \(MCExpertBinary.path) tui --no-igmp --streams \(listPath); echo mcexpert-exit=$?; sleep 60"],
                                  width: 120, height: 30)
        var screen = tui.waitFor(seconds: 15) { $0.contains("Studio feed") && $0.contains("Backup v6") && $0.contains("[ff15::64]:\(self.port)") }
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("GROUP:PORT") && $0.contains("NAME") }, "\(screen)")
        #expect(lines.contains { $0.contains("239.64.0.1:\(port)") && $0.contains("Studio feed") && $0.contains("vb") }, "\(screen)")
        #expect(lines.contains { $0.contains("[ff15::64]:\(port)") && $0.contains("Backup v6") }, "\(screen)")

        // A join from the form beside the file's: saved under its group:port.
        try tui.press("j")
        tui.waitFor(seconds: 5) { $0.contains("Join a group") }
        try tui.type("239.64.0.2:\(port)")
        try tui.press("Tab")
        try tui.type("vb")
        tui.waitFor(seconds: 10) { $0.contains("ok: Enter joins 239.64.0.2 port \(self.port)") }
        try tui.press("Enter")
        tui.waitFor(seconds: 10) { $0.contains("joined 239.64.0.2:\(self.port) on vb") }
        // The joins saved are the engine's, as of its latest snapshot: wait for the stream's row.
        screen = tui.waitFor(seconds: 15) { $0.contains("  239.64.0.2:\(self.port) -") }
        #expect(screen.contains("  239.64.0.2:\(port) -"), "the form's join, unnamed: \(screen)")

        try tui.press("w")
        screen = tui.waitFor(seconds: 5) { $0.contains("Save the joins as a stream list") && $0.contains("mcexpert-streams.yaml_") }
        #expect(screen.contains("3 joins"), "\(screen)")
        try tui.press("Enter")
        screen = tui.waitFor(seconds: 10) { $0.contains("saved 3 streams to mcexpert-streams.yaml") }
        #expect(screen.contains("saved 3 streams to mcexpert-streams.yaml"), "\(screen)")
        let savedPath = directory + "/mcexpert-streams.yaml"
        let saved = try StreamListFile.load(path: savedPath)
        #expect(saved.streams.map(\.name) == ["Studio feed", "Backup v6", "239.64.0.2:\(port)"])
        #expect(saved.streams.allSatisfy { $0.interface == "vb" })
        #expect(saved.streams[0].payload.choice == .forced(.probe) && saved.streams[0].labels == [StreamLabel(key: "tier", value: "gold")])
        #expect(saved == (try StreamListFile.load(path: listPath)).appending(saved.streams[2]), "the file's streams come back as they were")

        // Saving again: the file exists, so the first Enter only asks; Esc leaves it alone.
        try FileManager.default.removeItem(atPath: savedPath)
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: savedPath))
        try tui.press("w")
        tui.waitFor(seconds: 5) { $0.contains("Save the joins as a stream list") }
        try tui.press("Enter")
        screen = tui.waitFor(seconds: 10) { $0.contains("mcexpert-streams.yaml exists: Enter again overwrites it") }
        #expect(screen.contains("exists: Enter again overwrites it"), "\(screen)")
        #expect(try String(contentsOfFile: savedPath, encoding: .utf8) == "keep me\n")
        try tui.press("Enter")
        tui.waitFor(seconds: 10) { $0.contains("saved 3 streams") }
        #expect(try StreamListFile.load(path: savedPath) == saved, "overwritten after the second Enter")

        try tui.press("q")
        screen = tui.waitFor(seconds: 10) { $0.contains("mcexpert-exit=") }
        #expect(screen.contains("mcexpert-exit=0"), "\(screen)")
    }
}

extension StreamList {
    /// The list with one more stream at the end.
    func appending(_ stream: StreamDefinition) -> StreamList { StreamList(streams: streams + [stream]) }
}
