import MulticastDoctor
import MulticastExpert
import MulticastMonitor

/// Turns the state into a canvas: header, tabs, the current screen, status line and footer,
/// plus overlays (help, join form). Pure: the same state, size and time give the same canvas.
public enum Renderer {
    public static func render(_ state: AppState, glyphs: Glyphs, now: Timestamp) -> Canvas {
        var canvas = Canvas(width: state.width, height: state.height)
        guard state.width >= AppState.minimumWidth, state.height >= AppState.minimumHeight else {
            canvas.put(0, 0, "terminal too small: \(state.width)x\(state.height)", .warn)
            canvas.put(0, 1, "mcexpert needs at least \(AppState.minimumWidth)x\(AppState.minimumHeight)", .normal)
            canvas.put(0, 2, "enlarge the window, or press q to quit", .dim)
            return canvas
        }
        drawHeader(&canvas, state)
        let body = BodyArea(top: 2, height: state.height - 4, width: state.width)
        switch state.screen {
        case .interfaces: InterfacesView.draw(&canvas, state, body)
        case .groups where state.detail.isOpen:
            let placeholder = state.detail.stream.map { "\(GroupSpec.text($0.group, port: $0.port)) on \($0.interfaceName) is no longer received (left?); Esc goes back" }
            canvas.draw(StreamDetailView.render(state.detailStream, width: body.width, height: body.height, scroll: state.detail.scroll, glyphs: glyphs,
                                                isPane: false, placeholder: placeholder ?? ""), atX: 0, y: body.top)
        case .groups: GroupsView.draw(&canvas, state, body, glyphs: glyphs, now: now)
        case .inspector: InspectorView.draw(&canvas, state, body)
        case .doctor: DoctorView.draw(&canvas, state, body)
        case .memberships: MembershipsView.draw(&canvas, state, body)
        case .send: SendView.draw(&canvas, state, body)
        }
        drawStatusAndFooter(&canvas, state)
        if let help = state.help { HelpView.draw(&canvas, state, help, glyphs: glyphs) }
        if let form = state.joinForm { JoinFormView.draw(&canvas, state, form, glyphs: glyphs) }
        return canvas
    }

    private static func drawHeader(_ canvas: inout Canvas, _ state: AppState) {
        canvas.fillRow(0, .title)
        let privilege = state.privileged ? "root: querier checks on" : "unprivileged: no raw-socket checks"
        let total = Format.compact(state.snapshot?.totalPacketsPerSecond ?? 0)
        var header = " mcexpert | \(state.hostName) | \(privilege) | \(total) pkt/s"
        if state.paused { header += " | PAUSED" }
        canvas.put(0, 0, header, .title)
        var x = 0
        for screen in ScreenID.allCases {
            let label = " \(screen.rawValue + 1) \(screen.title) "
            canvas.put(x, 1, label, screen == state.screen ? .selected : .header)
            x += label.count + 1
        }
    }

    private static func drawStatusAndFooter(_ canvas: inout Canvas, _ state: AppState) {
        let statusRow = state.height - 2
        if state.groups.searching {
            canvas.put(0, statusRow, "/" + state.groups.search + "_", .accent)
        } else if let status = state.status {
            canvas.put(0, statusRow, status.text, status.style)
        } else if !state.groups.search.isEmpty {
            canvas.put(0, statusRow, "filter: \(state.groups.search)", .dim)
        }
        canvas.fillRow(state.height - 1, .header)
        var x = 0
        for entry in KeyMap.footer(for: state) {
            guard x < state.width else { break }
            canvas.put(x, state.height - 1, entry.keys, .key)
            canvas.put(x + entry.keys.count, state.height - 1, " " + entry.text + "  ", .header)
            x += entry.keys.count + entry.text.count + 3
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
