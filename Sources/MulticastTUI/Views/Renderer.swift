import MulticastDoctor
import MulticastExpert
import MulticastMonitor

/// Turns the state into a canvas: header, tabs, the current screen, status line and footer,
/// plus overlays (help, join form). Pure: the same state, size and time give the same canvas.
public enum Renderer {
    public static func render(_ state: AppState, glyphs: Glyphs, now: Timestamp) -> Canvas {
        var canvas = Canvas(width: state.width, height: state.height, glyphs: glyphs)
        guard state.width >= AppState.minimumWidth, state.height >= AppState.minimumHeight else {
            canvas.put(0, 0, "terminal too small: \(state.width)x\(state.height)", .warn)
            canvas.put(0, 1, "mcexpert needs at least \(AppState.minimumWidth)x\(AppState.minimumHeight)", .normal)
            canvas.put(0, 2, "enlarge the window, or press q to quit", .dim)
            return canvas
        }
        drawHeader(&canvas, state)
        let body = state.body
        switch state.screen {
        case .interfaces: InterfacesView.draw(&canvas, state, body)
        case .groups where state.detail.isOpen:
            let placeholder = state.detail.stream.map { "\(GroupSpec.text($0.group, port: $0.port)) on \($0.interfaceName) is no longer received (left?); Esc goes back" }
            canvas.draw(StreamDetailView.render(state.detailStream, width: body.width, height: body.height, scroll: state.detail.scroll, glyphs: glyphs,
                                                isPane: false, placeholder: placeholder ?? "", name: state.detailStream.flatMap { state.streamList.name(of: $0) }), atX: 0, y: body.top)
        case .groups: GroupsView.draw(&canvas, state, body, glyphs: glyphs, now: now)
        case .inspector: InspectorView.draw(&canvas, state, body)
        case .doctor: DoctorView.draw(&canvas, state, body)
        case .memberships: MembershipsView.draw(&canvas, state, body)
        case .send: SendView.draw(&canvas, state, body)
        case .igmp: IGMPView.draw(&canvas, state, body)
        case .mesh: MeshView.draw(&canvas, state, body)
        }
        drawStatusAndFooter(&canvas, state)
        if let help = state.help { HelpView.draw(&canvas, state, help, glyphs: glyphs) }
        if let form = state.joinForm { JoinFormView.draw(&canvas, state, form, glyphs: glyphs) }
        if let form = state.mesh.form { MeshFormView.draw(&canvas, state, form, glyphs: glyphs) }
        if let form = state.streamList.form { SaveStreamsFormView.draw(&canvas, state, form, glyphs: glyphs) }
        return canvas
    }

    /// The tabs on the second row for a terminal `width` wide: each screen's label and its first
    /// column (clicks find them here). Padded full titles when they fit; else unpadded, titles
    /// giving way to their short and then their tiny forms one at a time until the row fits:
    /// the one saving least that is enough, else the longest (the tiny titles fit the narrowest
    /// terminal drawn).
    static func tabs(width: Int) -> [(screen: ScreenID, label: String, x: Int)] {
        let screens = ScreenID.allCases
        func length(_ labels: [String]) -> Int { labels.reduce(-1) { $0 + $1.count + 1 } }
        var labels = screens.map { " \($0.rawValue + 1) \($0.title) " }
        if length(labels) > width {
            let forms = screens.map { [$0.title, $0.shortTitle, $0.tinyTitle] }
            var level = Array(repeating: 0, count: screens.count)
            func label(_ i: Int) -> String { "\(i + 1) \(forms[i][level[i]])" }
            labels = screens.indices.map(label)
            while length(labels) > width {
                let over = length(labels) - width
                let shrinkable = screens.indices.filter { level[$0] < 2 }
                func saving(_ i: Int) -> Int { forms[i][level[i]].count - forms[i][level[i] + 1].count }
                let enough = shrinkable.filter { saving($0) >= over }.min { saving($0) < saving($1) }
                guard let i = enough ?? shrinkable.max(by: { forms[$0][level[$0]].count < forms[$1][level[$1]].count }) else { break }
                level[i] += 1
                labels[i] = label(i)
            }
        }
        var x = 0
        return zip(screens, labels).map { screen, label in
            defer { x += label.count + 1 }
            return (screen, label, x)
        }
    }

    /// What the header says about the raw-socket checks: on only while the IGMP/MLD listener
    /// runs (not with `--no-igmp`, nor when its socket or thread could not start).
    static func headerPrivilege(_ state: AppState) -> String {
        guard state.privileged else { return "unprivileged: no raw-socket checks" }
        return state.igmp.unavailable == nil ? "root: querier checks on" : "root: querier checks off"
    }

    private static func drawHeader(_ canvas: inout Canvas, _ state: AppState) {
        canvas.fillRow(0, .title)
        let privilege = headerPrivilege(state)
        let total = Format.compact(state.snapshot?.totalPacketsPerSecond ?? 0)
        var header = " mcexpert | \(state.hostName) | \(privilege) | \(total) pkt/s"
        if state.paused { header += " | PAUSED" }
        canvas.put(0, 0, header, .title)
        for tab in tabs(width: state.width) { canvas.put(tab.x, 1, tab.label, tab.screen == state.screen ? .selected : .header) }
    }

    private static func drawStatusAndFooter(_ canvas: inout Canvas, _ state: AppState) {
        let statusRow = state.height - 2
        if let search = state.currentSearch, search.typing {
            canvas.put(0, statusRow, "/" + search.text + "_", .accent)
            if state.searchFindsNothing { canvas.put(search.text.count + 4, statusRow, "no row contains it", .warn) }
        } else if let status = state.status {
            canvas.put(0, statusRow, status.text, status.style)
        } else if let search = state.currentSearch, !search.text.isEmpty {
            let what = state.screen == .groups ? "filter: \(search.text)  (/ and Esc clears it)" : "search: \(search.text)  (n/N next, previous)"
            canvas.put(0, statusRow, what, .dim)
        }
        canvas.fillRow(state.height - 1, .header)
        let footer = KeyMap.footerLine(for: state, width: state.width)
        for (entry, x) in footer.entries {
            canvas.put(x, state.height - 1, entry.keys, .key)
            canvas.put(x + entry.keys.count, state.height - 1, " " + entry.text, .header)
        }
        if footer.cut, let (entry, x) = footer.entries.last {
            canvas.put(x + entry.keys.count + 1 + entry.text.count + 1, state.height - 1, "", .header, continues: true)
        }
    }
}

/// The rows between the tabs and the status line.
struct BodyArea {
    var top: Int
    var height: Int
    var width: Int
}

/// Keeps the selected row visible in a list of `count` rows shown in `visible` lines.
func scrollOffset(selection: Int, count: Int, visible: Int) -> Int {
    guard count > visible, visible > 0 else { return 0 }
    return min(max(selection - visible / 2, 0), count - visible)
}

func severityStyle(_ severity: Severity) -> Style {
    switch severity {
    case .ok: .ok
    case .info: .info
    case .warn: .warn
    case .fail: .fail
    }
}
