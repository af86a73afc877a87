import MulticastDoctor
import MulticastExpert
import MulticastMonitor

/// Something that happened: a key, fresh data from the engine, a finished background job.
public enum Event: Sendable {
    case key(Key)
    case snapshot(MonitorSnapshot)
    case interfaces(InterfaceTable, defaultGateways: Set<UInt32>)
    case doctorFinished([Finding])
    case memberships([Membership])
    case joined(SubscriptionID, Subscription)
    case failed(String)
    case sender(SenderStatus)
    case resize(width: Int, height: Int)
}

/// Something the model asks the outside world to do; results come back as events.
public enum Effect: Sendable, Hashable {
    case join(Subscription)
    case leave(SubscriptionID)
    case runDoctor(interfaces: [String], groups: [MulticastGroup])
    case refreshMemberships
    case refreshInterfaces
    case startSender(SendRequest)
    case stopSender
    case quit
}

/// The state of a probe sender started from the Send screen.
public struct SenderStatus: Sendable, Hashable {
    public var request: SendRequest
    public var sent: UInt64
    public var running: Bool
    public var error: String?

    public init(request: SendRequest, sent: UInt64, running: Bool, error: String? = nil) {
        self.request = request
        self.sent = sent
        self.running = running
        self.error = error
    }
}

/// A line in the status bar.
public struct StatusMessage: Sendable, Hashable {
    public var text: String
    public var style: Style
}

/// Columns the Groups table sorts by (`s` cycles, `S` flips the direction).
public enum GroupColumn: Int, Sendable, Hashable, CaseIterable {
    case group, interface, sources, packetsPerSecond, bitsPerSecond, loss, jitter, lastSeen

    public var title: String {
        switch self {
        case .group: "GROUP:PORT"
        case .interface: "IFACE"
        case .sources: "SRC"
        case .packetsPerSecond: "PKT/S"
        case .bitsPerSecond: "KBIT/S"
        case .loss: "LOSS%"
        case .jitter: "JITTER"
        case .lastSeen: "LAST"
        }
    }
}

/// Everything the TUI shows, as plain values. Keys and data arrive as ``Event``s; the state
/// changes and returns ``Effect``s for the app to carry out. Nothing here touches curses.
public struct AppState: Sendable {
    public var screen: ScreenID = .groups
    public var showHelp = false
    public var joinForm: JoinForm?
    public var sendForm = SendForm()
    public var status: StatusMessage?
    public var paused = false
    public var quitRequested = false
    public var width = 80
    public var height = 24

    public var hostName: String
    public var privileged: Bool
    public var snapshot: MonitorSnapshot?
    public var interfaceTable = InterfaceTable(interfaces: [])
    public var defaultGateways: Set<UInt32> = []
    public var findings: [Finding] = []
    public var doctorRunning = false
    public var doctorHasRun = false
    public var memberships: [Membership] = []
    public var sender: SenderStatus?

    public var sortColumn: GroupColumn = .group
    public var sortAscending = true
    public var groupSelection = 0
    public var expanded: Set<StreamKey> = []
    public var search = ""
    public var searching = false
    public var interfaceSelection = 0
    public var doctorSelection = 0
    public var membershipSelection = 0
    public var inspectedStream: StreamKey?
    public var inspectedIndex: Int?
    public var frozenPackets: [CapturedDatagram]?

    public init(hostName: String, privileged: Bool) {
        self.hostName = hostName
        self.privileged = privileged
    }

    /// The smallest terminal the layout is made for.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    // MARK: Derived data

    /// Streams as the Groups table shows them: filtered by the search text and sorted.
    public var visibleStreams: [StreamStatistics] {
        let streams = (snapshot?.streams ?? []).filter { search.isEmpty || "\(GroupSpec.text($0.key.group, port: $0.key.port)) \($0.key.interfaceName)".contains(search) }
        let sorted = streams.sorted { a, b in
            let ordered: Bool
            switch sortColumn {
            case .group: ordered = a.key < b.key
            case .interface: ordered = (a.key.interfaceName, a.key.group) < (b.key.interfaceName, b.key.group)
            case .sources: ordered = a.sources.count < b.sources.count
            case .packetsPerSecond: ordered = a.rate.packetsPerSecond < b.rate.packetsPerSecond
            case .bitsPerSecond: ordered = a.rate.bitsPerSecond < b.rate.bitsPerSecond
            case .loss: ordered = (a.lossPercent ?? -1) < (b.lossPercent ?? -1)
            case .jitter: ordered = (a.jitterNanoseconds ?? -1) < (b.jitterNanoseconds ?? -1)
            case .lastSeen: ordered = (a.lastSeen ?? Timestamp(nanosecondsSinceEpoch: 0)) < (b.lastSeen ?? Timestamp(nanosecondsSinceEpoch: 0))
            }
            return sortAscending ? ordered : !ordered
        }
        return sorted
    }

    /// The stream under the cursor of the Groups table.
    public var selectedStream: StreamStatistics? {
        let streams = visibleStreams
        return streams.indices.contains(groupSelection) ? streams[groupSelection] : nil
    }

    /// The inspected stream's captured datagrams (frozen copy while frozen).
    public var inspectedPackets: [CapturedDatagram] {
        if let frozenPackets { return frozenPackets }
        guard let key = inspectedStream, let stream = snapshot?.streams.first(where: { $0.key == key }) else { return [] }
        return Array(stream.captured)
    }

    /// The worst doctor finding per interface name, for the Interfaces screen's badge.
    public var doctorBadges: [String: Severity] {
        var badges: [String: Severity] = [:]
        for finding in findings { if let name = finding.interface { badges[name] = max(badges[name] ?? .ok, finding.severity) } }
        return badges
    }

    // MARK: Events

    /// Applies one event and returns what the app should do about it.
    public mutating func handle(_ event: Event) -> [Effect] {
        switch event {
        case .key(let key):
            return handleKey(key)
        case .snapshot(let snapshot):
            if !paused { self.snapshot = snapshot }
            clampSelections()
            return []
        case .interfaces(let table, let gateways):
            interfaceTable = table
            defaultGateways = gateways
            clampSelections()
            return []
        case .doctorFinished(let findings):
            self.findings = findings
            doctorRunning = false
            doctorHasRun = true
            let worst = findings.worst
            status = StatusMessage(text: "doctor: \(findings.filter { $0.severity == .fail }.count) fail, \(findings.filter { $0.severity == .warn }.count) warn", style: worst == .fail ? .fail : worst == .warn ? .warn : .ok)
            return []
        case .memberships(let memberships):
            self.memberships = memberships
            clampSelections()
            return []
        case .joined(_, let subscription):
            status = StatusMessage(text: "joined \(subscription.groups.map { GroupSpec.text($0, port: subscription.port) }.joined(separator: ", ")) on \(subscription.interfaces.isEmpty ? "all interfaces" : subscription.interfaces.map(\.description).joined(separator: ","))", style: .ok)
            return []
        case .failed(let message):
            status = StatusMessage(text: message, style: .error)
            doctorRunning = false
            return []
        case .sender(let status):
            sender = status
            if let error = status.error { self.status = StatusMessage(text: "sender: \(error)", style: .error) }
            return []
        case .resize(let width, let height):
            self.width = width
            self.height = height
            return []
        }
    }

    private mutating func handleKey(_ key: Key) -> [Effect] {
        if joinForm != nil { return handleJoinFormKey(key) }
        if searching { return handleSearchKey(key) }
        if screen == .send, let effects = handleSendFormKey(key) { return effects }
        if showHelp {
            if key == .escape || key == .character("?") || key == .f1 || key == .character("q") { showHelp = false }
            return []
        }
        switch key {
        case .character("q"):
            quitRequested = true
            return [.stopSender, .quit]
        case .character("?"), .f1:
            showHelp = true
        case .tab:
            screen = ScreenID(rawValue: (screen.rawValue + 1) % ScreenID.allCases.count)!
            return effectsOnEntering(screen)
        case .backTab:
            screen = ScreenID(rawValue: (screen.rawValue + ScreenID.allCases.count - 1) % ScreenID.allCases.count)!
            return effectsOnEntering(screen)
        case .character(let c) where ("1"..."6").contains(c):
            guard let number = c.wholeNumberValue, let chosen = ScreenID(rawValue: number - 1) else { return [] }
            screen = chosen
            return effectsOnEntering(screen)
        case .character("j"):
            joinForm = JoinForm()
        case .character("p"):
            paused.toggle()
            status = StatusMessage(text: paused ? "paused: the display is frozen, the engine keeps counting (p resumes)" : "resumed", style: .info)
        case .character("d"):
            screen = .doctor
            guard !doctorRunning else {
                status = StatusMessage(text: "the doctor is still running; its findings appear when it is done", style: .info)
                return []
            }
            return effectsOnEntering(.doctor, force: true)
        case .character("m"):
            screen = .memberships
            return [.refreshMemberships]
        case .character("/"):
            searching = true
            search = ""
        case .escape:
            if screen == .inspector { screen = .groups } else { status = nil }
        default:
            return handleScreenKey(key)
        }
        return []
    }

    private func effectsOnEntering(_ screen: ScreenID, force: Bool = false) -> [Effect] {
        switch screen {
        case .doctor where !doctorRunning && (force || !doctorHasRun): return [doctorEffect]  // one doctor at a time
        case .memberships: return [.refreshMemberships]
        case .interfaces: return [.refreshInterfaces]
        default: return []
        }
    }

    /// A doctor run for the interfaces and groups in use (all interfaces when none is named).
    public var doctorEffect: Effect {
        let subscriptions = snapshot?.subscriptions.values.map { $0 } ?? []
        let interfaces = Array(Set(subscriptions.flatMap { $0.interfaces.map(\.description) })).sorted()
        let groups = Array(Set(subscriptions.flatMap(\.groups))).sorted()
        return .runDoctor(interfaces: interfaces, groups: groups)
    }

    private mutating func handleScreenKey(_ key: Key) -> [Effect] {
        switch screen {
        case .groups:
            let count = visibleStreams.count
            if let next = moved(groupSelection, count: count, key) {
                groupSelection = next
                return []
            }
            switch key {
            case .character("s"):
                sortColumn = GroupColumn(rawValue: (sortColumn.rawValue + 1) % GroupColumn.allCases.count)!
                status = StatusMessage(text: "sorted by \(sortColumn.title) \(sortAscending ? "ascending" : "descending")", style: .info)
            case .character("S"):
                sortAscending.toggle()
                status = StatusMessage(text: "sorted by \(sortColumn.title) \(sortAscending ? "ascending" : "descending")", style: .info)
            case .enter:
                if let key = selectedStream?.key {
                    if expanded.contains(key) { expanded.remove(key) } else { expanded.insert(key) }
                }
            case .character("x"):
                guard let stream = selectedStream else {
                    status = StatusMessage(text: "no stream selected: join a group with j first", style: .warn)
                    return []
                }
                inspectedStream = stream.key
                inspectedIndex = nil
                frozenPackets = nil
                screen = .inspector
            case .character("l"):
                return leaveSelected()
            default:
                break
            }
        case .inspector:
            let count = inspectedPackets.count
            var index = inspectedIndex ?? max(count - 1, 0)
            switch key {
            case .left, .up, .character("k"): index = max(index - 1, 0)
            case .right, .down: index = min(index + 1, max(count - 1, 0))
            case .home: index = 0
            case .end: index = max(count - 1, 0)
            case .character("f"):
                if frozenPackets == nil {
                    frozenPackets = inspectedPackets
                    status = StatusMessage(text: "inspector frozen (f unfreezes)", style: .info)
                } else {
                    frozenPackets = nil
                    status = StatusMessage(text: "inspector live", style: .info)
                }
                return []
            default:
                return []
            }
            inspectedIndex = index
        case .interfaces:
            if let next = moved(interfaceSelection, count: interfaceTable.interfaces.count, key) { interfaceSelection = next }
        case .doctor:
            if let next = moved(doctorSelection, count: findings.count, key) {
                doctorSelection = next
                return []
            }
            if key == .character("r") && !doctorRunning {
                doctorRunning = true
                return [doctorEffect]
            }
        case .memberships:
            if let next = moved(membershipSelection, count: memberships.count, key) {
                membershipSelection = next
                return []
            }
            if key == .character("r") { return [.refreshMemberships] }
        case .send:
            break
        }
        return []
    }

    private mutating func leaveSelected() -> [Effect] {
        guard let stream = selectedStream, let subscriptions = snapshot?.subscriptions else {
            status = StatusMessage(text: "no stream selected", style: .warn)
            return []
        }
        guard let (id, _) = subscriptions.first(where: { $0.value.groups.contains(stream.key.group) && $0.value.port == stream.key.port }) else {
            status = StatusMessage(text: "\(GroupSpec.text(stream.key.group, port: stream.key.port)) was already left", style: .warn)
            return []
        }
        status = StatusMessage(text: "left \(GroupSpec.text(stream.key.group, port: stream.key.port))", style: .info)
        return [.leave(id)]
    }

    /// The selection after a movement key, or nil when `key` does not move.
    private func moved(_ selection: Int, count: Int, _ key: Key) -> Int? {
        let page = max(height - 8, 1)
        switch key {
        case .up: return max(selection - 1, 0)
        case .down: return min(selection + 1, max(count - 1, 0))
        case .pageUp: return max(selection - page, 0)
        case .pageDown: return min(selection + page, max(count - 1, 0))
        case .home: return 0
        case .end: return max(count - 1, 0)
        default: return nil
        }
    }

    private mutating func handleJoinFormKey(_ key: Key) -> [Effect] {
        guard var form = joinForm else { return [] }
        switch key {
        case .escape:
            joinForm = nil
            return []
        case .tab, .down:
            form.focus = (form.focus + 1) % form.fields.count
        case .backTab, .up:
            form.focus = (form.focus + form.fields.count - 1) % form.fields.count
        case .enter:
            switch form.validated(against: interfaceTable) {
            case .success(let subscription):
                joinForm = nil
                screen = .groups
                status = StatusMessage(text: "joining \(GroupSpec.text(subscription.groups[0], port: subscription.port))…", style: .info)
                return [.join(subscription)]
            case .failure(let error):
                status = StatusMessage(text: error.description, style: .error)
            }
        default:
            _ = form.fields[form.focus].edit(key)
        }
        joinForm = form
        return []
    }

    private mutating func handleSendFormKey(_ key: Key) -> [Effect]? {
        switch key {
        case .tab, .backTab, .escape, .f1: return nil
        case .character("?") where sendForm.fields[sendForm.focus].text.isEmpty: return nil
        case .character("q") where sendForm.fields[sendForm.focus].text.isEmpty: return nil
        case .down:
            sendForm.focus = (sendForm.focus + 1) % sendForm.fields.count
        case .up:
            sendForm.focus = (sendForm.focus + sendForm.fields.count - 1) % sendForm.fields.count
        case .enter:
            if sender?.running == true { return [.stopSender] }
            switch sendForm.validated(against: interfaceTable) {
            case .success(let request):
                status = StatusMessage(text: "sending probes to \(GroupSpec.text(request.group, port: request.port)) on \(request.interface) at \(Int(request.rate)) pkt/s", style: .ok)
                return [.startSender(request)]
            case .failure(let error):
                status = StatusMessage(text: error.description, style: .error)
            }
        default:
            if !sendForm.fields[sendForm.focus].edit(key) { return nil }
        }
        return []
    }

    private mutating func handleSearchKey(_ key: Key) -> [Effect] {
        switch key {
        case .enter: searching = false
        case .escape:
            searching = false
            search = ""
        case .backspace, .delete: if !search.isEmpty { search.removeLast() }
        case .character(let c) where c.isASCII && !c.isNewline: search.append(c)
        default: break
        }
        groupSelection = 0
        return []
    }

    private mutating func clampSelections() {
        groupSelection = min(groupSelection, max(visibleStreams.count - 1, 0))
        interfaceSelection = min(interfaceSelection, max(interfaceTable.interfaces.count - 1, 0))
        doctorSelection = min(doctorSelection, max(findings.count - 1, 0))
        membershipSelection = min(membershipSelection, max(memberships.count - 1, 0))
    }

    /// The keys that work on the current screen, for the footer.
    public var footerKeys: [(String, String)] {
        if joinForm != nil { return [("Tab", "next field"), ("Enter", "join"), ("Esc", "cancel")] }
        if searching { return [("Enter", "keep filter"), ("Esc", "clear")] }
        var keys: [(String, String)] = [("q", "quit"), ("?", "help"), ("Tab", "screen"), ("j", "join")]
        switch screen {
        case .groups: keys += [("x", "hexdump"), ("l", "leave"), ("s/S", "sort"), ("Enter", "sources"), ("/", "search"), ("p", paused ? "resume" : "pause")]
        case .inspector: keys += [("←/→", "packet"), ("f", frozenPackets == nil ? "freeze" : "unfreeze"), ("Esc", "back")]
        case .doctor: keys += [("r", "re-run"), ("↑/↓", "finding")]
        case .memberships: keys += [("r", "refresh")]
        case .send: keys += [("Enter", sender?.running == true ? "stop" : "start"), ("↑/↓", "field")]
        case .interfaces: keys += [("d", "doctor")]
        }
        return keys
    }
}
