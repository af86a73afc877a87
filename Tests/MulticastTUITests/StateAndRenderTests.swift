import MulticastDoctor
import MulticastExpert
@testable import MulticastMonitor
@testable import MulticastTUI
import Testing

/// The TUI's state and views, without a terminal.
@Suite("TUI state and rendering")
struct StateAndRenderTests {
    static let table = InterfaceTable(interfaces: [
        NetworkInterface(name: "lo", index: 1, flags: [.up, .loopback, .running], ipv4Addresses: [InterfaceAddress(address: IPAddress("127.0.0.1")!, prefixLength: 8)]),
        NetworkInterface(name: "eth0", index: 2, flags: [.up, .running, .multicast, .lowerUp],
                         ipv4Addresses: [InterfaceAddress(address: IPAddress("198.18.0.2")!, prefixLength: 24)]),
    ])

    func state(width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(hostName: "testhost", privileged: false)
        _ = state.handle(.resize(width: width, height: height))
        _ = state.handle(.interfaces(Self.table, defaultGateways: [2]))
        return state
    }

    func type(_ text: String, into state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        for c in text { effects += state.handle(.key(.character(c))) }
        return effects
    }

    /// A snapshot with one stream per group, each with `count` probe datagrams (sequence 2 missing).
    func snapshot(groups: [String], payload: [UInt8]? = nil, subscriptionID: UInt64 = 1) throws -> MonitorSnapshot {
        var streams: [StreamStatistics] = []
        var subscriptions: [SubscriptionID: Subscription] = [:]
        for (i, text) in groups.enumerated() {
            let group = try MulticastGroup(parsing: text)
            var stream = StreamStatistics(key: StreamKey(group: group, port: 5000, interfaceIndex: 2, interfaceName: "eth0"))
            for sequence in [0, 1, 3, 4] as [UInt64] {
                let bytes = payload ?? ProbeHeader(senderID: 7, sequence: sequence, sendTimeNanoseconds: 1_000).datagram(size: 64)
                let datagram = Datagram(payload: bytes, source: SocketAddress(address: IPAddress("198.18.0.1")!, port: 4000), group: group, port: 5000,
                                        interfaceIndex: 2, interfaceName: "eth0", receivedAt: Timestamp(nanosecondsSinceEpoch: 2_000_000 + Int64(sequence)))
                stream.record(datagram, now: 5_000_000_000 + Int64(sequence) * 100_000_000)
            }
            stream.advance(to: 5_500_000_000)
            streams.append(stream)
            subscriptions[SubscriptionID(rawValue: subscriptionID + UInt64(i))] = Subscription(groups: [group], port: 5000, interfaces: ["eth0"])
        }
        return MonitorSnapshot(streams: streams, subscriptions: subscriptions, totalPackets: UInt64(4 * groups.count), totalPacketsPerSecond: 4,
                               untrackedStreamPackets: 0, lastError: nil)
    }

    @Test("the join form validates as you type with the CLI's messages, and Enter joins")
    func joinForm() {
        var s = state()
        _ = s.handle(.key(.character("j")))
        #expect(s.joinForm != nil)
        _ = type("10.0.0.1:5000", into: &s)
        if case .failure(let error) = s.joinForm!.validated(against: Self.table) {
            #expect(error.description.hasPrefix("10.0.0.1 is not a multicast address"))
        } else { Issue.record("a unicast group must not validate") }
        for _ in 0..<13 { _ = s.handle(.key(.backspace)) }
        _ = type("239.1.2.3:5000", into: &s)
        _ = s.handle(.key(.tab))
        _ = type("eth7", into: &s)
        if case .failure(let error) = s.joinForm!.validated(against: Self.table) {
            #expect(error.description == "interface \"eth7\" not found; available: lo, eth0")
        } else { Issue.record("an unknown interface must not validate") }
        #expect(s.handle(.key(.enter)).isEmpty, "Enter with an error does not join")
        #expect(s.status?.style == .error)
        for _ in 0..<4 { _ = s.handle(.key(.backspace)) }
        _ = type("eth0", into: &s)
        let effects = s.handle(.key(.enter))
        #expect(effects == [.join(Subscription(groups: [try! MulticastGroup(parsing: "239.1.2.3")], port: 5000, interfaces: ["eth0"]))])
        #expect(s.joinForm == nil)
    }

    @Test("Esc closes the join form; q quits and stops the sender")
    func escapeAndQuit() {
        var s = state()
        _ = s.handle(.key(.character("j")))
        _ = s.handle(.key(.escape))
        #expect(s.joinForm == nil)
        #expect(s.handle(.key(.character("q"))) == [.stopSender, .quit])
        #expect(s.quitRequested)
    }

    @Test("s cycles the sort column, S flips the direction, and the table follows")
    func sorting() throws {
        var s = state()
        _ = s.handle(.snapshot(try snapshot(groups: ["239.1.1.2", "239.1.1.1", "239.1.1.3"])))
        #expect(s.visibleStreams.map(\.key.group.description) == ["239.1.1.1", "239.1.1.2", "239.1.1.3"])
        _ = s.handle(.key(.character("S")))
        #expect(s.visibleStreams.map(\.key.group.description) == ["239.1.1.3", "239.1.1.2", "239.1.1.1"])
        _ = s.handle(.key(.character("s")))
        #expect(s.groups.sortColumn == .interface)
        // Without a stream list, NAME is passed by: one column fewer to come round.
        for _ in 0..<GroupColumn.allCases.count - 2 { _ = s.handle(.key(.character("s"))) }
        #expect(s.groups.sortColumn == .group)
    }

    @Test("l leaves the selected stream's subscription; / filters; p freezes the display")
    func leaveSearchPause() throws {
        var s = state()
        _ = s.handle(.snapshot(try snapshot(groups: ["239.1.1.1", "239.1.1.2"], subscriptionID: 10)))
        _ = s.handle(.key(.down))
        #expect(s.handle(.key(.character("l"))) == [.leave(SubscriptionID(rawValue: 11))])
        _ = s.handle(.key(.character("/")))
        _ = type(".2", into: &s)
        _ = s.handle(.key(.enter))
        #expect(s.visibleStreams.map(\.key.group.description) == ["239.1.1.2"])
        _ = s.handle(.key(.character("p")))
        _ = s.handle(.snapshot(try snapshot(groups: ["239.9.9.9"])))
        #expect(s.snapshot?.streams.count == 2, "paused: snapshots are not applied")
        _ = s.handle(.key(.character("p")))
        _ = s.handle(.snapshot(try snapshot(groups: ["239.9.9.9"])))
        #expect(s.snapshot?.streams.count == 1)
    }

    @Test("the groups table shows group, interface, rate, loss from probes, and fits 80 columns")
    func groupsTable() throws {
        var s = state()
        _ = s.handle(.snapshot(try snapshot(groups: ["239.1.2.3"])))
        let canvas = Renderer.render(s, glyphs: .ascii, now: Timestamp(nanosecondsSinceEpoch: 3_000_000_000))
        let text = canvas.text
        #expect(text.contains("GROUP:PORT+"))
        let row = try #require(text.split(separator: "\n").first { $0.contains("239.1.2.3:5000") })
        #expect(row.hasPrefix("x 239.1.2.3:5000"), "a stream losing 20% is marked failing (x in ASCII): \(row)")
        #expect(row.contains("eth0"))
        #expect(row.contains("20.00"), "1 of 5 probes lost is 20.00%: \(row)")
        #expect(canvas.width == 80 && text.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(text.contains("q quit"))
    }

    @Test("the inspector shows a hexdump; escape bytes from the network are harmless; f freezes")
    func inspectorSanitises() throws {
        var s = state()
        let hostile = Array("\u{1b}[2J\u{1b}]0;pwned\u{07}hello".utf8)
        _ = s.handle(.snapshot(try snapshot(groups: ["239.1.2.3"], payload: hostile)))
        _ = s.handle(.key(.character("x")))
        #expect(s.screen == .inspector)
        let canvas = Renderer.render(s, glyphs: .unicode, now: .now)
        #expect(canvas.text.contains("00000000  1b 5b 32 4a 1b 5d 30 3b  70 77 6e 65 64 07 68 65  |.[2J.]0;pwned.he|"))
        #expect(!canvas.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        _ = s.handle(.key(.character("f")))
        _ = s.handle(.snapshot(try snapshot(groups: ["239.1.2.3"])))
        #expect(s.inspectedPackets.first?.payloadPrefix == hostile, "frozen: the shown packets stay")
        _ = s.handle(.key(.character("f")))
        #expect(s.inspectedPackets.first?.payloadPrefix != hostile)
    }

    @Test("a terminal below the minimum size says so instead of garbling")
    func tooSmall() {
        let s = state(width: 40, height: 10)
        let text = Renderer.render(s, glyphs: .ascii, now: .now).text
        #expect(text.hasPrefix("terminal too small: 40x10\nmcexpert needs at least 60x16"))
    }

    @Test("the canvas replaces control characters, whatever the source")
    func canvasSanitises() {
        var canvas = Canvas(width: 20, height: 1)
        canvas.put(0, 0, "a\u{1b}b\u{9b}c\u{7f}d\te\u{202e}f")
        #expect(canvas.row(0).hasPrefix("a.b.c.d.e.f"))
    }

    @Test("doctor findings show worst first with explanation and fix; d asks for a run")
    func doctorScreen() {
        var s = state()
        #expect(s.handle(.key(.character("d"))) == [.runDoctor(interfaces: [], groups: [], receiving: [])])
        _ = s.handle(.doctorFinished([
            Finding(id: "rp_filter.strict", severity: .warn, interface: "eth0", summary: "strict rp_filter on eth0", explanation: "Strict reverse-path filtering drops.", fix: "sysctl -w net.ipv4.conf.all.rp_filter=2"),
            Finding(id: "interface.ok", severity: .ok, interface: "eth0", summary: "eth0 is up", explanation: "fine"),
        ]))
        let text = Renderer.render(s, glyphs: .ascii, now: .now).text
        #expect(text.contains("WARN  eth0   strict rp_filter on eth0"))
        #expect(text.contains("fix: sysctl -w net.ipv4.conf.all.rp_filter=2"))
        #expect(s.doctorBadges["eth0"] == .warn)
    }

    @Test("help, interfaces and the send form render; the send form validates", arguments: [ScreenID.interfaces, .memberships, .send])
    func screens(screen: ScreenID) {
        var s = state()
        _ = s.handle(.key(.character(Character(String(screen.rawValue + 1)))))
        #expect(s.screen == screen)
        let text = Renderer.render(s, glyphs: .ascii, now: .now).text
        #expect(text.split(separator: "\n")[1].contains("\(screen.rawValue + 1) \(screen.title)"), "its tab")
        if screen == .interfaces { #expect(text.contains("[default] 198.18.0.2/24")) }
        if screen == .send {
            _ = type("239.1.2.3:5000", into: &s)
            _ = s.handle(.key(.down))
            _ = type("eth0", into: &s)
            let effects = s.handle(.key(.enter))
            #expect(effects == [.startSender(SendRequest(group: try! MulticastGroup(parsing: "239.1.2.3"), port: 5000, interface: "eth0", rate: 10))])
        }
        _ = s.handle(.key(.f1))
        #expect(Renderer.render(s, glyphs: .ascii, now: .now).text.contains("join a group (form)"))
    }

    @Test("marks, joiners and format characters cannot fuse cells or shift columns", arguments: [
        "e\u{301}x", "\u{301}\u{301}\u{301}", "a\u{600}b", "\u{1161}\u{11a8}", "\u{1f1fa}\u{1f1f8}", "a\u{200d}b", "x\u{fe0f}y",
    ])
    func canvasCellsStayCells(text: String) {
        var canvas = Canvas(width: 10, height: 1)
        canvas.put(0, 0, "e")
        canvas.put(1, 0, text)
        #expect(canvas.row(0).count == 10, "row: \(canvas.row(0).debugDescription)")
        #expect(canvas.text.count <= 10)
    }

    @Test("a terminal that claims an absurd size gets a capped canvas")
    func canvasCap() {
        let canvas = Canvas(width: 1_000_000, height: 1_000_000)
        #expect(canvas.width == Canvas.maximumWidth && canvas.height == Canvas.maximumHeight)
    }
}
