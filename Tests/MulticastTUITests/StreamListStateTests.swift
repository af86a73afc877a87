import MulticastExpert
import MulticastMonitor
import MulticastStreamList
@testable import MulticastTUI
import Testing

/// The TUI's stream list as plain state: names from `--streams`, the NAME column and the
/// detail's title, and what `w` saves.
@Suite("TUI stream list")
struct StreamListStateTests {
    static let list = try! StreamListFile.parse("""
        streams:
          - {name: Studio A, group: 239.1.1.1:5000, interface: eth0, payload: rtp, rate: 50, labels: {tier: gold}}
          - {name: Backup feed, group: "[ff15::1]:5002"}
        """, path: "t.yaml")

    @Test("launching with a list joins each stream with its own subscription")
    func launchJoins() {
        var s = AppState(hostName: "h", privileged: false)
        let effects = s.handle(.launched(TUIOptions(mouse: false, igmp: false, streamList: Self.list)))
        #expect(effects.contains(.join(Self.list.streams[0].subscription)))
        #expect(effects.contains(.join(Self.list.streams[1].subscription)))
        #expect(Self.list.streams[0].subscription.interfaces == ["eth0"] && Self.list.streams[0].subscription.payload.choice == .forced(.rtp))
    }

    @Test("the Groups table shows a NAME column with the file's names, and the detail's title leads with the name")
    func namesDrawn() {
        var s = AppState(hostName: "h", privileged: false)
        _ = s.handle(.launched(TUIOptions(mouse: false, igmp: false, streamList: Self.list)))
        _ = s.handle(.resize(width: 120, height: 30))
        _ = s.handle(.interfaces(KeyMapTests.table, defaultGateways: []))
        var snapshot = KeyMapTests.snapshot()  // 239.1.1.1-3:5000 on eth0
        snapshot.subscriptions = [SubscriptionID(rawValue: 1): Self.list.streams[0].subscription]
        _ = s.handle(.snapshot(snapshot))
        let screen = Renderer.render(s, glyphs: .ascii, now: Timestamp(nanosecondsSinceEpoch: 6_000_000_000)).text
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("GROUP:PORT") && $0.contains("NAME") }, "\(screen)")
        #expect(lines.contains { $0.contains("239.1.1.1:5000") && $0.contains("Studio A") }, "\(screen)")
        #expect(lines.contains { $0.contains("239.1.1.2:5000") && $0.contains(" - ") }, "an unnamed stream shows -: \(screen)")
        #expect(lines.contains { $0.contains("Studio A  239.1.1.1:5000 on eth0") }, "the detail pane's title: \(screen)")

        var plain = AppState(hostName: "h", privileged: false)
        _ = plain.handle(.resize(width: 120, height: 30))
        _ = plain.handle(.snapshot(KeyMapTests.snapshot()))
        let without = Renderer.render(plain, glyphs: .ascii, now: Timestamp(nanosecondsSinceEpoch: 6_000_000_000)).text
        #expect(!without.contains("NAME"), "no list, no NAME column")
    }

    @Test("w saves file entries whole and other joins as group:port, once each, with unique names that load back")
    func listToSave() throws {
        var state = StreamListState()
        state.load(Self.list, interfaces: nil)
        let g = { (text: String) in try! MulticastGroup(parsing: text) }
        let subscriptions: [SubscriptionID: Subscription] = [
            SubscriptionID(rawValue: 1): Self.list.streams[0].subscription,
            SubscriptionID(rawValue: 2): Subscription(groups: [g("239.2.2.2")], port: 6000, interfaces: ["eth0", "eth1"], payload: PayloadOptions(choice: .forced(.ts))),
            SubscriptionID(rawValue: 3): Subscription(groups: [g("232.1.1.1")], port: 6001, sources: [IPAddress("10.0.0.1")!, IPAddress("10.0.0.2")!]),
            SubscriptionID(rawValue: 4): Subscription(groups: [g("239.2.2.2")], port: 6000, interfaces: ["eth0"]),  // the same stream again
            SubscriptionID(rawValue: 5): Subscription(groups: [g("239.1.1.1")], port: 5000),  // named like entry 1 would be if unnamed
        ]
        let saved = state.listToSave(subscriptions)
        #expect(saved.streams.map(\.name) == ["Studio A", "239.2.2.2:6000@eth0", "239.2.2.2:6000@eth1",
                                               "232.1.1.1:6001 from 10.0.0.1", "232.1.1.1:6001 from 10.0.0.2", "239.1.1.1:5000"])
        #expect(saved.streams[0] == Self.list.streams[0], "the file's entry keeps its rate and labels")
        #expect(saved.streams[1].payload.choice == .forced(.ts) && saved.streams[1].interface == "eth0")
        #expect(saved.streams[3].source == IPAddress("10.0.0.1"))
        let back = try StreamListFile.parse(StreamListFile.render(saved), path: "saved.yaml")
        #expect(back == saved)
    }

    @Test("Enter on the form asks the app to save; an existing file needs a second Enter, which overwrites")
    func saveFlow() {
        var s = KeyMapTests.state(in: .groups)
        #expect(s.handle(.key(.character("w"))).isEmpty)
        #expect(s.streamList.form?.path == SaveStreamsForm.defaultPath)
        guard case .saveStreams(let path, let list, false) = s.handle(.key(.enter)).first else {
            Issue.record("no save effect")
            return
        }
        #expect(path == SaveStreamsForm.defaultPath && list.streams.map(\.name) == ["239.1.1.1:5000", "239.1.1.2:5000", "239.1.1.3:5000"])
        _ = s.handle(.streamsFileExists(path: path))
        #expect(s.status?.text == "\(path) exists: Enter again overwrites it, Esc cancels")
        guard case .saveStreams(_, _, true) = s.handle(.key(.enter)).first else {
            Issue.record("the second Enter does not overwrite")
            return
        }
        _ = s.handle(.streamsSaved(path: path, count: 3))
        #expect(s.streamList.form == nil && s.status?.style == .ok)

        var empty = AppState(hostName: "h", privileged: false)
        _ = empty.handle(.key(.character("w")))
        #expect(empty.streamList.form == nil && empty.status?.text.hasPrefix("nothing joined to save") == true)
    }
}
