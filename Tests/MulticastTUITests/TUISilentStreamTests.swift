import Foundation
import MulticastExpert
import MulticastMonitor
import MulticastStreamList
@testable import MulticastTUI
import NetnsLab
import Testing

/// `tui --streams FILE` with a stream that never sends: its row is in the Groups table from the
/// start, named, with no data, instead of the table saying it waits for traffic.
@Suite("TUI silent named streams")
struct TUISilentStreamTests {
    static let list = try! StreamListFile.parse("""
        streams:
          - {name: Studio A, group: 239.1.1.1:5000, interface: eth0}
          - {name: Dark feed, group: 239.1.1.9:5000, interface: eth0}
          - {name: Left later, group: 239.1.1.8:5000, interface: eth1}
        """, path: "t.yaml")

    @Test("a joined named stream with no datagrams is a row (name, group, interface, 0 packets, no data) in group order; a left one is not")
    func silentRowInState() {
        var s = AppState(hostName: "h", privileged: false)
        _ = s.handle(.launched(TUIOptions(mouse: false, igmp: false, streamList: Self.list)))
        _ = s.handle(.resize(width: 120, height: 30))
        _ = s.handle(.interfaces(KeyMapTests.table, defaultGateways: []))
        var snapshot = KeyMapTests.snapshot()  // 239.1.1.1-3:5000 on eth0, with datagrams
        snapshot.subscriptions = [SubscriptionID(rawValue: 1): Self.list.streams[0].subscription,
                                  SubscriptionID(rawValue: 2): Self.list.streams[1].subscription]
        _ = s.handle(.snapshot(snapshot))
        let rows = s.visibleStreams
        #expect(rows.map { "\($0.key.group)" } == ["239.1.1.1", "239.1.1.2", "239.1.1.3", "239.1.1.9"], "the stream list's third entry was not joined")
        let dark = rows.last
        #expect(dark?.packets == 0 && dark?.key.interfaceName == "eth0" && dark?.key.interfaceIndex == 2)
        #expect(dark.flatMap { s.streamList.name(of: $0) } == "Dark feed")
        let screen = Renderer.render(s, glyphs: .ascii, now: Timestamp(nanosecondsSinceEpoch: 6_000_000_000)).text
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("~ ") && $0.contains("239.1.1.9:5000") && $0.contains("Dark feed") && $0.contains("no data") },
                "marked stale (~), no data where the sparkline goes: \(screen)")
        #expect(lines.contains { $0.contains("239.1.1.1:5000") && $0.contains("Studio A") && !$0.hasPrefix("~") && !$0.contains("no data") })
        #expect(!screen.contains("waiting for traffic"))

        // Only the dark stream joined and nothing at all arrived: its row, not the waiting hint.
        var quiet = AppState(hostName: "h", privileged: false)
        _ = quiet.handle(.launched(TUIOptions(mouse: false, igmp: false, streamList: Self.list)))
        _ = quiet.handle(.resize(width: 120, height: 30))
        _ = quiet.handle(.snapshot(MonitorSnapshot(streams: [], subscriptions: [SubscriptionID(rawValue: 1): Self.list.streams[1].subscription],
                                                   totalPackets: 0, totalPacketsPerSecond: 0)))
        #expect(quiet.visibleStreams.count == 1)
        // Enter opens its detail, which says there is no data.
        _ = quiet.handle(.key(.enter))
        let detail = Renderer.render(quiet, glyphs: .ascii, now: Timestamp(nanosecondsSinceEpoch: 6_000_000_000)).text
        #expect(detail.contains("Dark feed") && detail.contains("no data: nothing has arrived since the join"), "\(detail)")
        // Left: the row goes.
        _ = quiet.handle(.snapshot(MonitorSnapshot(streams: [], subscriptions: [:], totalPackets: 0, totalPacketsPerSecond: 0)))
        #expect(quiet.visibleStreams.isEmpty)
    }

    @Test("in a real terminal in a namespace, a listed stream that never sends shows by name with no data beside one that sends",
          .enabled(if: Lab.shouldRun && (TmuxSession.isAvailable || Lab.isRequired), "needs root (namespaces) and tmux"))
    func silentRowOnScreen() throws {
        let port = TestPorts.unique()
        let hosts = try TwoHosts("tuisil")
        defer { hosts.tearDown() }
        let directory = NSTemporaryDirectory() + "mcexpert-tui-silent-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listPath = directory + "/in.yaml"
        try Data("""
            streams:
              - {name: Live feed, group: 239.64.9.1:\(port), interface: vb}
              - {name: Dark feed, group: 239.64.9.2:\(port), interface: vb}
            """.utf8).write(to: URL(fileURLWithPath: listPath))
        let sender = try hosts.a.spawn([MCExpertBinary.path, "send", "239.64.9.1:\(port)", "-i", "va", "--rate", "20"])
        defer { _ = sender.stop() }
        let tui = try TmuxSession(["sh", "-c", "ip netns exec \(hosts.b.name) \(MCExpertBinary.path) tui --no-igmp --streams \(listPath); echo mcexpert-exit=$?; sleep 60"],
                                  width: 120, height: 30)
        let screen = tui.waitFor(seconds: 15) { $0.contains("Live feed") && $0.contains("Dark feed") && $0.contains("no data") }
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("239.64.9.1:\(port)") && $0.contains("Live feed") && !$0.contains("no data") }, "\(screen)")
        #expect(lines.contains { $0.contains("239.64.9.2:\(port)") && $0.contains("Dark feed") && $0.contains("vb") && $0.contains("no data") }, "\(screen)")
        #expect(!screen.contains("waiting for traffic"))
        try tui.press("q")
        #expect(tui.waitFor(seconds: 10) { $0.contains("mcexpert-exit=") }.contains("mcexpert-exit=0"))
    }
}
