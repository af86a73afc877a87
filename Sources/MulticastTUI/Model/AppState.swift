import MulticastDoctor
import MulticastExpert
import MulticastMonitor
import MulticastText

/// Everything the TUI shows, as plain values. Events arrive through ``handle(_:)``, the only way
/// the state changes; it returns the ``Effect``s for the app to carry out. What every screen
/// shares (the current screen, the engine's snapshot, the interface table, the status line,
/// quitting) lives here; each screen's own state and key handling lives in its own type
/// (``GroupsScreen``, ``InspectorScreen``, ...), and keys reach them through ``KeyMap``.
/// Nothing here touches curses.
public struct AppState: Sendable {
    public var screen: ScreenID = .groups
    public var status: StatusMessage?
    public var paused = false
    public var quitRequested = false
    public var width = 80
    public var height = 24

    public var hostName: String
    public var privileged: Bool
    public var snapshot: MonitorSnapshot?
    public var interfaceTable = InterfaceTable(interfaces: [])

    /// The help overlay, while shown.
    public var help: HelpOverlay?
    /// The join form, while open.
    public var joinForm: JoinForm?

    public var interfaces = InterfacesScreen()
    public var groups = GroupsScreen()
    /// The stream detail opened over the Groups screen with Enter.
    public var detail = StreamDetailScreen()
    public var inspector = InspectorScreen()
    public var doctor = DoctorScreen()
    public var memberships = MembershipsScreen()
    public var send = SendScreen()
    /// What the IGMP/MLD listener heard (it runs from the start when the process may listen).
    public var igmp = IGMPScreen()
    /// The mesh started from the Mesh screen, its matrix and the selected pair.
    public var mesh = MeshScreen()
    /// The names from `--streams FILE` and the save form (`w`).
    public var streamList = StreamListState()

    public init(hostName: String, privileged: Bool) {
        self.hostName = hostName
        self.privileged = privileged
    }

    /// The smallest terminal the layout is made for.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    // MARK: Derived data

    /// Streams as the Groups table shows them: filtered by the search text and sorted.
    public var visibleStreams: [StreamStatistics] { groups.visibleStreams(in: snapshot, names: streamNames) }

    /// The stream under the cursor of the Groups table.
    public var selectedStream: StreamStatistics? { groups.selectedStream(in: snapshot, names: streamNames) }

    /// A stream's name from the stream list, for the Groups table's search and NAME sort; nil
    /// when no list is loaded.
    var streamNames: ((StreamStatistics) -> String?)? {
        guard streamList.names != nil else { return nil }
        let list = streamList
        return { list.name(of: $0) }
    }

    /// The stream the open detail shows (nil when closed, or when the stream has gone).
    public var detailStream: StreamStatistics? {
        guard let key = detail.stream else { return nil }
        return snapshot?.streams.first { $0.key == key }
    }

    /// The inspected stream's captured datagrams (frozen copy while frozen).
    public var inspectedPackets: [CapturedDatagram] { inspector.packets(in: snapshot) }

    /// The IGMP/MLD screen's rows: none when this process cannot listen.
    var igmpRows: IGMPRows { IGMPRows(privileged ? igmp.report : nil) }

    /// The worst doctor finding per interface name, for the Interfaces screen's badge.
    public var doctorBadges: [String: Severity] { doctor.badges }

    /// Where keys go now: the open overlay, else the screen.
    public var keyContext: KeyContext {
        if joinForm != nil { return .joinForm }
        if mesh.form != nil { return .meshForm }
        if streamList.form != nil { return .saveForm }
        if currentSearch?.typing == true { return .search }
        if help != nil { return .help }
        switch screen {
        case .interfaces: return .interfaces
        case .groups: return detail.isOpen ? .streamDetail : .groups
        case .inspector: return .inspector
        case .doctor: return .doctor
        case .memberships: return .memberships
        case .igmp: return .igmp
        case .mesh: return .mesh
        case .send: return send.form.focusedField.text.isEmpty ? .sendForm : .sendFormTyping
        }
    }

    /// A page of a list: the body's rows less the headers.
    var page: Int { max(height - 8, 1) }

    /// The rows between the tabs and the status line.
    var bodyHeight: Int { height - 4 }

    /// Where the screens draw: under the header and the tabs, above the status line and footer.
    var body: BodyArea { BodyArea(top: 2, height: bodyHeight, width: width) }

    // MARK: Events

    /// Applies one event and returns what the app should do about it.
    public mutating func handle(_ event: Event) -> [Effect] {
        switch event {
        case .launched(let options):
            var effects: [Effect] = [.refreshInterfaces]
            // Queriers query every 125 s or so: the listener runs from the start, whatever the
            // screen, so the IGMP/MLD and Interfaces screens know them when they are looked at.
            if privileged && options.igmp {
                effects.append(.startIGMPListener)
            } else if privileged {
                igmp.unavailable = "not listening: started with --no-igmp"
            }
            effects += options.subscriptions.map { .join($0) }
            if let list = options.streamList {
                streamList.load(list, interfaces: nil)
                effects += list.streams.map { .join($0.subscription) }
            }
            if options.demo {
                let request = SendRequest(group: TUIOptions.demoGroup, port: TUIOptions.demoPort, interface: "lo", rate: 20)
                send.prepareDemo(request)
                effects += [.join(Subscription(groups: [TUIOptions.demoGroup], port: TUIOptions.demoPort, interfaces: ["lo"])), .startSender(request)]
            }
            return effects
        case .key(let key):
            guard let binding = KeyMap.binding(for: key, in: keyContext) else { return [] }
            return perform(binding.action, key: key)
        case .mouse(let mouse):
            return click(mouse)
        case .snapshot(let snapshot):
            if !paused { self.snapshot = streamList.seeded(snapshot, interfaces: interfaceTable) }
            clampCursors()
            return []
        case .interfacesStale:
            return [.refreshInterfaces]
        case .interfaces(let table, let gateways):
            interfaceTable = table
            interfaces.defaultGateways = gateways
            streamList.interfacesChanged(table)
            clampCursors()
            return []
        case .doctorFinished(let findings):
            status = doctor.finish(findings)
            return []
        case .doctorFailed(let reason):
            status = doctor.fail(reason)
            return []
        case .memberships(let memberships):
            self.memberships.update(memberships)
            return []
        case .igmp(let report):
            if !paused { igmp.update(report) }
            return []
        case .igmpUnavailable(let reason):
            status = igmp.fail(reason)
            return []
        case .joined(_, let subscription):
            let groupsText = subscription.groups.map { GroupSpec.text($0, port: subscription.port) }.joined(separator: ", ")
            let place = subscription.interfaces.isEmpty ? "all interfaces" : subscription.interfaces.map(\.description).joined(separator: ",")
            status = StatusMessage(text: "joined \(groupsText) on \(place)", style: .ok)
            return []
        case .failed(let message):
            status = StatusMessage(text: message, style: .error)
            return []
        case .sender(let report):
            if let message = send.update(report) { status = message }
            return []
        case .mesh(let snapshot):
            if let message = mesh.update(snapshot, frozen: paused) { status = message }
            return []
        case .meshFailed(let reason):
            status = mesh.fail(reason)
            return []
        case .receiveBufferGranted(let grant):
            if grant.isShort {
                status = StatusMessage(text: "receive buffer capped at \(NumberFormat.byteSize(grant.usable)) per socket by net.core.rmem_max; run as root or raise it for \(NumberFormat.byteSize(grant.requested))",
                                       style: .warn)
            }
            return []
        case .threadFailed(let job, let reason):
            switch job {
            case .doctor:
                status = doctor.fail("could not start its thread: \(reason)")
            case .igmpListener:
                status = igmp.fail("could not start its thread: \(reason)")
            case .sender(let request):
                if let message = send.update(SenderStatus(request: request, sent: 0, running: false, error: "could not start its thread: \(reason)")) { status = message }
            case .mesh:
                status = mesh.fail("could not start its thread: \(reason)")
            }
            return []
        case .resize(let width, let height):
            self.width = width
            self.height = height
            return []
        case .streamsSaved, .streamsFileExists:
            return handleSave(event)
        }
    }

    // MARK: Key actions

    /// Carries out a key's action (from ``KeyMap``) on the type whose state it changes.
    mutating func perform(_ action: KeyAction, key: Key) -> [Effect] {
        switch action {
        case .quit:
            quitRequested = true
            return [.stopSender, .quit]
        case .showHelp:
            help = HelpOverlay()
        case .closeHelp:
            help = nil
        case .scrollHelp(let move):
            let layout = HelpView.layout(width: width, height: height, glyphs: .ascii)
            help?.scroll(move, rows: layout.rows.count, visible: layout.visible)
        case .nextScreen:
            return show(screen.next)
        case .previousScreen:
            return show(screen.previous)
        case .jumpToScreen:
            guard case .character(let c) = key, let number = c.wholeNumberValue, let chosen = ScreenID(rawValue: number - 1) else { return [] }
            return show(chosen)
        case .openJoinForm:
            joinForm = JoinForm()
        case .togglePause:
            paused.toggle()
            status = StatusMessage(text: paused ? "paused: the display is frozen, the engine keeps counting (p resumes)" : "resumed", style: .info)
        case .runDoctor:
            screen = .doctor
            guard let effect = doctor.requestRun(for: snapshot) else {
                status = StatusMessage(text: "the doctor is still running; its findings appear when it is done", style: .info)
                return []
            }
            return [effect]
        case .showMemberships:
            screen = .memberships
            return [.refreshMemberships]
        case .startSearch:
            startSearch()
        case .nextMatch:
            nextMatch(backwards: false)
        case .previousMatch:
            nextMatch(backwards: true)
        case .jump(let move):
            jump(move)
        case .back:
            if screen == .inspector { screen = .groups } else { status = nil }
        case .move(let move):
            moveCursor(move)
        case .cycleSortColumn:
            status = groups.cycleSortColumn(hasNames: streamList.names != nil)
        case .flipSortDirection:
            status = groups.flipSortDirection()
        case .toggleSources:
            groups.toggleSources(in: snapshot)
        case .openDetail:
            guard let stream = selectedStream else {
                status = StatusMessage(text: "no stream selected: join a group with j first", style: .warn)
                return []
            }
            detail.open(stream.key)
        case .closeDetail:
            detail.close()
        case .scrollDetail(let move):
            let maximum = StreamDetailView.maximumScroll(detailStream, width: width, height: bodyHeight)
            detail.scroll(move, maximum: maximum, page: max(bodyHeight - StreamDetailView.titleRows - 1, 1))
        case .inspect:
            guard let key = detail.stream ?? selectedStream?.key else {
                status = StatusMessage(text: "no stream selected: join a group with j first", style: .warn)
                return []
            }
            inspector.inspect(key)
            screen = .inspector
        case .leave:
            let (effects, message) = groups.leaveSelected(in: snapshot)
            status = message
            return effects
        case .stepPacket(let move):
            inspector.step(move, count: inspectedPackets.count)
        case .toggleFreeze:
            status = inspector.toggleFreeze(inspectedPackets)
        case .rerunDoctor:
            return doctor.requestRun(for: snapshot).map { [$0] } ?? []
        case .refreshMemberships:
            return [.refreshMemberships]
        case .resetIGMP:
            guard privileged, igmp.unavailable == nil else {
                status = StatusMessage(text: "IGMP/MLD: not listening, nothing to reset" + (privileged ? "" : " (needs CAP_NET_RAW)"), style: .warn)
                return []
            }
            igmp.report = nil
            igmp.cursor = ListCursor()
            status = StatusMessage(text: "IGMP/MLD: forgot what was heard; listening afresh", style: .info)
            return [.resetIGMP]
        case .nextField:
            if joinForm != nil { joinForm?.focusNext() } else if mesh.form != nil { mesh.form?.focusNext() } else { send.form.focusNext() }
        case .previousField:
            if joinForm != nil { joinForm?.focusPrevious() } else if mesh.form != nil { mesh.form?.focusPrevious() } else { send.form.focusPrevious() }
        case .typeCharacter:
            guard case .character(let c) = key else { return [] }
            if joinForm != nil {
                joinForm?.type(c)
            } else if mesh.form != nil {
                mesh.form?.type(c)
            } else if streamList.form != nil {
                streamList.form?.type(c)
            } else if keyContext == .search {
                typeInSearch(c)
            } else {
                send.form.type(c)
            }
        case .deleteCharacter:
            if joinForm != nil {
                joinForm?.deleteCharacter()
            } else if mesh.form != nil {
                mesh.form?.deleteCharacter()
            } else if streamList.form != nil {
                streamList.form?.deleteCharacter()
            } else if keyContext == .search {
                deleteFromSearch()
            } else {
                send.form.deleteCharacter()
            }
        case .submitJoin:
            guard let form = joinForm else { return [] }
            switch form.validated(against: interfaceTable) {
            case .success(let subscription):
                joinForm = nil
                // Joined from the IGMP/MLD screen, stay to see this host's report; else see the stream arrive.
                if screen != .igmp { screen = .groups }
                status = StatusMessage(text: "joining \(GroupSpec.text(subscription.groups[0], port: subscription.port))…", style: .info)
                return [.join(subscription)]
            case .failure(let error):
                status = StatusMessage(text: error.description, style: .error)
            }
        case .cancelJoin:
            joinForm = nil
        case .startOrStopSender:
            let (effects, message) = send.startOrStop(against: interfaceTable)
            if let message { status = message }
            return effects
        case .startOrStopMesh, .selectSender, .submitMesh, .cancelMesh:
            return performMesh(action)
        case .openSaveForm, .submitSave, .cancelSave:
            return performSave(action)
        case .keepFilter:
            keepSearch()
        case .clearFilter:
            clearSearch()
        }
        return []
    }

    /// Switches screens; entering one may read what it shows (the doctor runs the first time).
    mutating func show(_ chosen: ScreenID) -> [Effect] {
        screen = chosen
        switch chosen {
        case .doctor where !doctor.hasRun: return doctor.requestRun(for: snapshot).map { [$0] } ?? []
        case .memberships: return [.refreshMemberships]
        case .interfaces: return [.refreshInterfaces]
        default: return []
        }
    }

    mutating func moveCursor(_ move: ListMove, by rows: Int? = nil) {
        guard var cursor = listCursor else { return }
        if let rows {
            cursor.move(move, count: listCount, page: rows)
        } else {
            cursor.move(move, count: listCount, page: page)
        }
        listCursor = cursor
    }

    /// `g` and `G`: the first or last of what the screen moves through (through the actions
    /// of the keys that scroll it; those read no key, so any is passed).
    private mutating func jump(_ move: ListMove) {
        if help != nil {
            _ = perform(.scrollHelp(move), key: .home)
        } else if screen == .groups && detail.isOpen {
            _ = perform(.scrollDetail(move), key: .home)
        } else if screen == .inspector {
            inspector.step(move, count: inspectedPackets.count)
        } else {
            moveCursor(move)
        }
    }

    // MARK: Lists

    /// The list on screen, its cursor and its search as one value to read or write; nil on a
    /// screen without one (or the Groups screen with the detail open over it). Setting it on
    /// such a screen does nothing.
    var list: ListState? {
        get {
            switch screen {
            case .interfaces: ListState(cursor: interfaces.cursor, search: interfaces.search)
            case .groups: detail.isOpen ? nil : ListState(cursor: groups.cursor, search: groups.search)
            case .doctor: ListState(cursor: doctor.cursor, search: doctor.search)
            case .memberships: ListState(cursor: memberships.cursor, search: memberships.search)
            case .igmp: ListState(cursor: igmp.cursor, search: igmp.search)
            case .mesh: ListState(cursor: mesh.cursor, search: mesh.search)
            case .inspector, .send: nil
            }
        }
        set {
            guard let newValue else { return }
            switch screen {
            case .interfaces: (interfaces.cursor, interfaces.search) = (newValue.cursor, newValue.search)
            case .groups: (groups.cursor, groups.search) = (newValue.cursor, newValue.search)
            case .doctor: (doctor.cursor, doctor.search) = (newValue.cursor, newValue.search)
            case .memberships: (memberships.cursor, memberships.search) = (newValue.cursor, newValue.search)
            case .igmp: (igmp.cursor, igmp.search) = (newValue.cursor, newValue.search)
            case .mesh: (mesh.cursor, mesh.search) = (newValue.cursor, newValue.search)
            case .inspector, .send: break
            }
        }
    }

    /// The cursor of the list on screen (see ``list``).
    var listCursor: ListCursor? {
        get { list?.cursor }
        set { if let newValue { list?.cursor = newValue } }
    }

    /// How many rows the list on screen has.
    var listCount: Int {
        switch screen {
        case .interfaces: interfaceTable.interfaces.count
        case .groups: visibleStreams.count
        case .doctor: doctor.findings.count
        case .memberships: memberships.memberships.count
        case .igmp: igmpRows.count
        case .mesh: mesh.participantCount
        case .inspector, .send: 0
        }
    }

    private mutating func clampCursors() {
        groups.cursor.clamp(count: visibleStreams.count)
        interfaces.cursor.clamp(count: interfaceTable.interfaces.count)
        doctor.cursor.clamp(count: doctor.findings.count)
        memberships.cursor.clamp(count: memberships.memberships.count)
        igmp.cursor.clamp(count: igmpRows.count)
        mesh.clamp()
    }
}
