import MulticastDoctor
import MulticastExpert
@testable import MulticastMonitor
@testable import MulticastTUI
import Testing

/// The key table against the behaviour: every key it lists (and so every key the footer and the
/// help show) does what the table says, in every context it names; no other key does anything.
@Suite("TUI key table")
struct KeyMapTests {
    static let table = InterfaceTable(interfaces: [
        NetworkInterface(name: "lo", index: 1, flags: [.up, .loopback, .running], ipv4Addresses: [InterfaceAddress(address: IPAddress("127.0.0.1")!, prefixLength: 8)]),
        NetworkInterface(name: "eth0", index: 2, flags: [.up, .running, .multicast, .lowerUp],
                         ipv4Addresses: [InterfaceAddress(address: IPAddress("198.18.0.2")!, prefixLength: 24)]),
        NetworkInterface(name: "eth1", index: 3, flags: [.up, .running, .multicast, .lowerUp],
                         ipv4Addresses: [InterfaceAddress(address: IPAddress("198.19.0.2")!, prefixLength: 24)]),
    ])

    /// Three streams of four probe datagrams each, one subscription per group.
    static func snapshot() -> MonitorSnapshot {
        var streams: [StreamStatistics] = []
        var subscriptions: [SubscriptionID: Subscription] = [:]
        for (i, text) in ["239.1.1.1", "239.1.1.2", "239.1.1.3"].enumerated() {
            let group = try! MulticastGroup(parsing: text)
            var stream = StreamStatistics(key: StreamKey(group: group, port: 5000, interfaceIndex: 2, interfaceName: "eth0"))
            for sequence in [0, 1, 2, 3] as [UInt64] {
                let bytes = ProbeHeader(senderID: 7, sequence: sequence, sendTimeNanoseconds: 1_000).datagram(size: 64)
                let datagram = Datagram(payload: bytes, source: SocketAddress(address: IPAddress("198.18.0.1")!, port: 4000), group: group, port: 5000,
                                        interfaceIndex: 2, interfaceName: "eth0", receivedAt: Timestamp(nanosecondsSinceEpoch: 2_000_000 + Int64(sequence)))
                stream.record(datagram, now: 5_000_000_000 + Int64(sequence) * 100_000_000)
            }
            streams.append(stream)
            subscriptions[SubscriptionID(rawValue: 10 + UInt64(i))] = Subscription(groups: [group], port: 5000, interfaces: ["eth0"])
        }
        return MonitorSnapshot(streams: streams, subscriptions: subscriptions, totalPackets: 12, totalPacketsPerSecond: 4)
    }

    static let findings = ["a", "b", "c"].map { Finding(id: "test.\($0)", severity: .warn, interface: "eth0", summary: "finding \($0)", explanation: "why \($0)") }
    static let memberships = ["239.1.1.1", "239.1.1.2", "239.1.1.3"].map {
        Membership(interfaceIndex: 2, interfaceName: "eth0", group: IPAddress($0)!, users: 1)
    }

    /// A state in `context` where every key of that context has something to do: lists of
    /// three with the cursor in the middle, a status line to clear, forms part filled.
    static func state(in context: KeyContext) -> AppState {
        var s = AppState(hostName: "testhost", privileged: false)
        _ = s.handle(.resize(width: 80, height: 24))
        _ = s.handle(.interfaces(table, defaultGateways: [2]))
        _ = s.handle(.snapshot(snapshot()))
        _ = s.handle(.memberships(memberships))
        _ = s.handle(.doctorFinished(findings))
        s.interfaces.cursor.index = 1
        s.groups.cursor.index = 1
        s.doctor.cursor.index = 1
        s.memberships.cursor.index = 1
        // A search kept on every list, matching every row, so n and N have somewhere to go.
        s.interfaces.search = ListSearch(text: ".")
        s.groups.search = ListSearch(text: "239.1.1")
        s.doctor.search = ListSearch(text: "finding")
        s.memberships.search = ListSearch(text: "239.1.1")
        s.inspector.inspect(s.visibleStreams[1].key)
        s.inspector.index = 1
        s.status = StatusMessage(text: "something to clear", style: .info)
        s.send.form.fields[0].text = "239.1.2.3:5000"
        s.send.form.fields[1].text = "eth0"
        switch context {
        case .interfaces: s.screen = .interfaces
        case .groups: s.screen = .groups
        case .streamDetail:
            // Short enough that the detail of a probe stream scrolls a few rows either way.
            _ = s.handle(.resize(width: 80, height: 16))
            s.screen = .groups
            s.detail.open(s.visibleStreams[1].key)
            s.detail.scroll = 1
        case .inspector: s.screen = .inspector
        case .doctor: s.screen = .doctor
        case .memberships: s.screen = .memberships
        case .igmp:
            s.privileged = true
            _ = s.handle(.igmp(IGMPFixtures.busyReport()))
            s.igmp.cursor.index = 1
            s.igmp.search = ListSearch(text: ".")
            s.screen = .igmp
        case .mesh:
            _ = s.handle(.mesh(MeshFixtures.snapshot()))
            s.mesh.cursor.index = 1
            s.mesh.column = 1
            s.mesh.search = ListSearch(text: ".")
            s.screen = .mesh
        case .meshForm:
            s.screen = .mesh
            s.mesh.form = MeshForm(hostName: "testhost")
            s.mesh.form?.focus = 1
            s.mesh.form?.fields[1].text = "eth0"
        case .sendForm:
            s.screen = .send
            s.send.form.focus = 1
            s.send.form.fields[1].text = ""
        case .sendFormTyping:
            s.screen = .send
            s.send.form.focus = 1
        case .saveForm:
            s.streamList.form = SaveStreamsForm(path: "/nonexistent/streams.yaml")
        case .joinForm:
            s.joinForm = JoinForm()
            s.joinForm?.fields[0].text = "239.1.2.3:5000"
            s.joinForm?.focus = 1
            s.joinForm?.fields[1].text = "eth0"
        case .search:
            s.groups.search = ListSearch(text: "239", typing: true)
        case .help:
            s.help = HelpOverlay()
            s.help?.scroll = 1
        }
        return s
    }

    /// Everything a key could change, to tell whether a key did anything.
    static func fingerprint(_ s: AppState) -> [AnyHashable] {
        [s.screen, s.status, s.paused, s.quitRequested, s.width, s.height, s.help, s.joinForm, s.interfaces, s.groups, s.detail, s.inspector,
         s.doctor, s.memberships, s.send, s.igmp, s.mesh, s.streamList.form, s.streamList.lastPath, s.snapshot?.streams, s.snapshot?.subscriptions, s.interfaceTable.interfaces]
    }

    /// Keys a terminal can deliver: every special key, printable ASCII, and some that are not.
    static let allKeys: [Key] = [Key.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab, .backspace, .delete, .f1]
        + (0x20...0x7e).map { Key.character(Character(UnicodeScalar(UInt8($0)))) }
        + ["\u{7}", "\u{1b}", "\u{7f}", "é", "\u{202e}"].map { Key.character($0) }

    /// The keys to press for a binding: its own, or a sample of printable characters.
    static func keys(of binding: KeyBinding) -> [Key] {
        switch binding.keys {
        case .keys(let keys): keys
        case .printable: ["a", "Z", "7", ".", ":", " "].map { Key.character($0) }
        }
    }

    func cursor(_ s: AppState) -> Int? {
        switch s.screen {
        case .interfaces: s.interfaces.cursor.index
        case .groups: s.groups.cursor.index
        case .doctor: s.doctor.cursor.index
        case .memberships: s.memberships.cursor.index
        case .igmp: s.igmp.cursor.index
        case .mesh: s.mesh.cursor.index
        case .inspector, .send: nil
        }
    }

    /// Moved the way `move` goes: back for up, page up and first, forward otherwise.
    func movedRightWay(_ move: ListMove, from before: Int?, to after: Int?) -> Bool {
        guard let before, let after else { return false }
        return [.up, .pageUp, .first].contains(move) ? after < before : after > before
    }

    /// The focused field's text in the context (join form, search line or send form).
    func fieldText(_ s: AppState, _ context: KeyContext) -> String? {
        switch context {
        case .joinForm: s.joinForm.map { $0.fields[$0.focus].text }
        case .meshForm: s.mesh.form.map { $0.fields[$0.focus].text }
        case .saveForm: s.streamList.form.map { $0.fields[$0.focus].text }
        case .search: s.currentSearch?.text
        case .sendForm, .sendFormTyping: s.send.form.fields[s.send.form.focus].text
        default: nil
        }
    }

    func focus(_ s: AppState, _ context: KeyContext) -> Int? {
        switch context {
        case .joinForm: s.joinForm?.focus
        case .meshForm: s.mesh.form?.focus
        default: s.send.form.focus
        }
    }

    /// Whether `action` visibly happened when `key` took `before` to `after`, judged from the
    /// outside rather than by how AppState implements it.
    func happened(_ action: KeyAction, key: Key, in context: KeyContext, before: AppState, after: AppState, effects: [Effect]) -> Bool {
        switch action {
        case .quit: return after.quitRequested && effects == [.stopSender, .quit]
        case .showHelp: return before.help == nil && after.help != nil
        case .closeHelp: return after.help == nil && effects.isEmpty
        case .scrollHelp(let move): return movedRightWay(move, from: before.help?.scroll, to: after.help?.scroll)
        case .nextScreen: return after.screen.rawValue == (before.screen.rawValue + 1) % ScreenID.allCases.count
        case .previousScreen: return after.screen.rawValue == (before.screen.rawValue + ScreenID.allCases.count - 1) % ScreenID.allCases.count
        case .jumpToScreen:
            guard case .character(let c) = key, let digit = c.wholeNumberValue else { return false }
            return after.screen.rawValue == digit - 1
        case .openJoinForm: return after.joinForm == JoinForm()
        case .togglePause: return after.paused != before.paused && after.status != before.status
        case .runDoctor, .rerunDoctor:
            guard case .runDoctor = effects.first, effects.count == 1 else { return false }
            return after.screen == .doctor && after.doctor.running
        case .showMemberships: return after.screen == .memberships && effects == [.refreshMemberships]
        case .refreshMemberships: return effects == [.refreshMemberships]
        case .resetIGMP: return effects == [.resetIGMP] && after.igmp.report == nil && before.igmp.report != nil
        case .startSearch: return after.currentSearch?.typing == true && after.currentSearch?.text.isEmpty == true
        case .nextMatch, .previousMatch:
            guard let was = cursor(before), let now = cursor(after) else { return false }
            let count = before.listCount
            return now == (was + (action == .nextMatch ? 1 : count - 1)) % count
        case .jump(let move):
            switch context {
            case .streamDetail: return movedRightWay(move, from: before.detail.scroll, to: after.detail.scroll)
            case .inspector: return movedRightWay(move, from: before.inspector.index, to: after.inspector.index)
            case .help: return movedRightWay(move, from: before.help?.scroll, to: after.help?.scroll)
            default: return movedRightWay(move, from: cursor(before), to: cursor(after))
            }
        case .back: return before.screen == .inspector ? after.screen == .groups : after.status == nil
        case .move(let move): return movedRightWay(move, from: cursor(before), to: cursor(after))
        case .cycleSortColumn: return after.groups.sortColumn.rawValue == (before.groups.sortColumn.rawValue + 1) % GroupColumn.allCases.count
        case .flipSortDirection: return after.groups.sortAscending != before.groups.sortAscending
        case .toggleSources:
            guard let key = before.selectedStream?.key else { return false }
            return after.groups.expanded.contains(key) != before.groups.expanded.contains(key)
        case .openDetail:
            guard let key = before.selectedStream?.key else { return false }
            return after.detail.stream == key && after.keyContext == .streamDetail && effects.isEmpty
        case .closeDetail: return before.detail.isOpen && !after.detail.isOpen && after.keyContext == .groups && effects.isEmpty
        case .scrollDetail(let move): return movedRightWay(move, from: before.detail.scroll, to: after.detail.scroll)
        case .inspect: return after.screen == .inspector && after.inspector.stream != nil && after.inspector.stream == before.selectedStream?.key
        case .leave:
            guard let stream = before.selectedStream,
                  let id = before.snapshot?.subscriptions.first(where: { $0.value.groups.contains(stream.key.group) })?.key else { return false }
            return effects == [.leave(id)]
        case .stepPacket(let move): return movedRightWay(move, from: before.inspector.index, to: after.inspector.index)
        case .toggleFreeze: return (after.inspector.frozenPackets == nil) != (before.inspector.frozenPackets == nil)
        case .nextField, .previousField:
            guard let was = focus(before, context), let now = focus(after, context) else { return false }
            let count = context == .joinForm ? JoinForm().fields.count : (context == .meshForm ? MeshForm(hostName: "").fields.count : SendForm().fields.count)
            return now == (was + (action == .nextField ? 1 : count - 1)) % count
        case .typeCharacter:
            guard case .character(let c) = key, let was = fieldText(before, context) else { return false }
            return fieldText(after, context) == was + String(c)
        case .deleteCharacter:
            guard let was = fieldText(before, context) else { return false }
            return fieldText(after, context) == String(was.dropLast())
        case .submitJoin:
            guard case .success(let subscription) = before.joinForm?.validated(against: Self.table) else { return false }
            return effects == [.join(subscription)] && after.joinForm == nil
        case .cancelJoin: return after.joinForm == nil && effects.isEmpty
        case .startOrStopSender:
            if before.send.sender?.running == true { return effects == [.stopSender] }
            switch before.send.form.validated(against: Self.table) {
            case .success(let request): return effects == [.startSender(request)]
            case .failure(let error): return effects.isEmpty && after.status == StatusMessage(text: error.description, style: .error)
            }
        case .startOrStopMesh:
            if before.mesh.isRunning { return effects == [.stopMesh] && after.mesh.stopping }
            return effects.isEmpty && after.mesh.form != nil && after.keyContext == .meshForm
        case .selectSender(let move): return movedRightWay(move, from: before.mesh.column, to: after.mesh.column)
        case .submitMesh:
            guard case .success(let request) = before.mesh.form?.validated(against: Self.table) else { return false }
            return effects == [.startMesh(request)] && after.mesh.form == nil && after.mesh.starting == request
        case .cancelMesh: return after.mesh.form == nil && effects.isEmpty
        case .openSaveForm: return after.streamList.form == SaveStreamsForm() && after.keyContext == .saveForm && effects.isEmpty
        case .submitSave:
            guard case .saveStreams(let path, let list, let overwrite) = effects.first, effects.count == 1 else { return false }
            return path == before.streamList.form?.path && !overwrite && list.streams.count == 3
        case .cancelSave: return after.streamList.form == nil && before.streamList.form != nil && effects.isEmpty
        case .keepFilter: return after.currentSearch?.typing == false && after.currentSearch?.text == before.currentSearch?.text
        case .clearFilter: return after.currentSearch == ListSearch()
        }
    }

    @Test("each fixture is in the context it is made for")
    func fixtures() {
        for context in KeyContext.allCases { #expect(Self.state(in: context).keyContext == context) }
    }

    @Test("no key has two exact bindings in one context, and every binding works somewhere")
    func tableIsConsistent() {
        for context in KeyContext.allCases {
            for key in Self.allKeys {
                let exact = KeyMap.bindings.filter { $0.contexts.contains(context) && $0.keys != .printable && $0.keys.matches(key) }
                #expect(exact.count <= 1, "\(key) in \(context) is bound \(exact.count) times: \(exact.map(\.action))")
            }
        }
        #expect(KeyMap.bindings.allSatisfy { !$0.contexts.isEmpty })
    }

    @Test("every key in the table does what the table says, in every context it names", arguments: KeyContext.allCases)
    func everyBindingDoesItsAction(context: KeyContext) {
        for binding in KeyMap.bindings where binding.contexts.contains(context) {
            for key in Self.keys(of: binding) {
                let dispatched = KeyMap.binding(for: key, in: context)
                if binding.keys == .printable, dispatched?.keys != .printable { continue }  // an exact binding wins, as documented
                #expect(dispatched?.action == binding.action,
                        "\(key.name) in \(context): the table says \(binding.action), dispatch finds \(String(describing: dispatched?.action))")
                let before = Self.state(in: context)
                var after = before
                let effects = after.handle(.key(key))
                let done = happened(binding.action, key: key, in: context, before: before, after: after, effects: effects)
                #expect(done, "\(key.name) in \(context) should \(binding.action); effects \(effects), status \(String(describing: after.status?.text))")
            }
        }
    }

    @Test("every key the footer shows does what its footer entry says, and the footer drawn is the table's", arguments: KeyContext.allCases)
    func footerKeysWork(context: KeyContext) {
        let state = Self.state(in: context)
        let footer = KeyMap.footer(for: state)
        #expect(!footer.isEmpty, "a footer in \(context)")
        for entry in footer {
            #expect(entry.keys == entry.bindings.map(\.label).joined(separator: "/"))
            for binding in entry.bindings {
                for key in Self.keys(of: binding) {
                    #expect(KeyMap.binding(for: key, in: context)?.action == binding.action, "footer \"\(entry.keys) \(entry.text)\" in \(context): \(key.name)")
                    var after = state
                    let effects = after.handle(.key(key))
                    let done = happened(binding.action, key: key, in: context, before: state, after: after, effects: effects)
                    #expect(done, "footer \"\(entry.keys) \(entry.text)\" in \(context): \(key.name)")
                }
            }
        }
        for glyphs in [Glyphs.unicode, .ascii] {
            let text = Renderer.render(state, glyphs: glyphs, now: .now).text
            let last = String(text.split(separator: "\n", omittingEmptySubsequences: false).last ?? "")
            #expect(last == Self.footerText(state, glyphs: glyphs), "the drawn footer is the table's as fitted to the width: \(last)")
        }
        // Every key of the context's own (all but those that work everywhere) fits at 80 columns.
        let line = KeyMap.footerLine(for: state, width: 80)
        #expect(!line.cut, "\(context): the footer drops a key of its own at 80 columns")
        let drawn = line.entries.map(\.entry.keys)
        for entry in footer where entry.rank > .general { #expect(drawn.contains(entry.keys), "\(context): \(entry.keys) \(entry.text) missing at 80 columns") }
    }

    /// The footer row as ``KeyMap/footerLine(for:width:)`` places it: each entry at its column,
    /// the ellipsis after the last when entries were left out.
    static func footerText(_ state: AppState, glyphs: Glyphs) -> String {
        let line = KeyMap.footerLine(for: state, width: state.width)
        var cells = Array(repeating: Character(" "), count: state.width)
        var end = 0
        for (entry, x) in line.entries {
            for (i, c) in "\(entry.keys) \(entry.text)".enumerated() { cells[x + i] = c }
            end = x + entry.keys.count + 1 + entry.text.count
        }
        if line.cut { for (i, c) in glyphs.ellipsis.enumerated() { cells[end + 1 + i] = c } }
        return String(cells).replacingTrailingSpaces()
    }

    @Test("every key the help shows does what the table says wherever the table says it works")
    func helpKeysWork() {
        let shown = KeyMap.helpLines.flatMap(\.bindings)
        #expect(shown.count == KeyMap.bindings.filter { $0.help != nil }.count)
        for line in KeyMap.helpLines {
            #expect(line.keys == line.bindings.map(\.label).joined(separator: " "))
            for binding in line.bindings {
                for context in binding.contexts {
                    for key in Self.keys(of: binding) {
                        #expect(KeyMap.binding(for: key, in: context)?.action == binding.action, "help \"\(line.keys)\" in \(context): \(key.name)")
                    }
                }
            }
        }
    }

    @Test("a key the table does not list for a context changes nothing there", arguments: KeyContext.allCases)
    func unlistedKeysDoNothing(context: KeyContext) {
        for key in Self.allKeys where KeyMap.binding(for: key, in: context) == nil {
            let before = Self.state(in: context)
            var after = before
            let effects = after.handle(.key(key))
            #expect(effects.isEmpty, "\(key) in \(context)")
            let unchanged = Self.fingerprint(after) == Self.fingerprint(before)
            #expect(unchanged, "\(key) in \(context) changed the state")
        }
    }

    @Test("the footer starts with q quit wherever q quits, gives up general keys first when narrow, and the help scrolls to its last line")
    func footerAndHelpText() {
        let groups = KeyMap.footer(for: Self.state(in: .groups)).map { "\($0.keys) \($0.text)" }.joined(separator: "  ")
        #expect(groups == "q quit  ? help  Tab screen  j join  w save  x hexdump  l leave  s/S sort  Enter detail  Space sources  n/N next  p pause  g/G top/end")
        var plain = Self.state(in: .groups)
        plain.groups.search = ListSearch()
        #expect(Self.footerText(plain, glyphs: .unicode) == "q quit ? help x hexdump l leave s/S sort Enter detail Space sources / search",
                "at 80 columns the keys that work everywhere give way to the screen's own")
        _ = plain.handle(.resize(width: 160, height: 24))
        #expect(Self.footerText(plain, glyphs: .unicode)
                == "q quit  ? help  Tab screen  j join  w save  x hexdump  l leave  s/S sort  Enter detail  Space sources  / search  p pause  g/G top/end")
        let detail = KeyMap.footer(for: Self.state(in: .streamDetail)).map { "\($0.keys) \($0.text)" }.joined(separator: "  ")
        #expect(detail == "? help  x hexdump  Esc/q back  ↑/↓ scroll  p pause")
        for context in KeyContext.allCases where KeyContext.screensOutsideSend.union([.sendForm]).contains(context) {
            #expect(KeyMap.footer(for: Self.state(in: context)).first.map { "\($0.keys) \($0.text)" } == "q quit", "\(context)")
        }
        var help = Self.state(in: .help)
        let top = Renderer.render(help, glyphs: .ascii, now: .now).text
        #expect(top.contains("join a group (form)") && top.contains("more: "), "\(top)")
        _ = help.handle(.key(.end))
        let bottom = Renderer.render(help, glyphs: .ascii, now: .now).text
        #expect(bottom.contains("--no-mouse)") && !bottom.contains("more: "), "the help ends with the mouse: \(bottom)")
    }
}
