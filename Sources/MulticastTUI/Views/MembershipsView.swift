import MulticastExpert
import MulticastMonitor

/// What this whole host has joined, from /proc/net/igmp, igmp6 and mcfilter.
enum MembershipsView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        let rows = state.memberships.memberships
        // The interface and group columns are as wide as their longest entry (IPv6 groups run to 39).
        let iface = min(max((rows.map(\.interfaceName.count).max() ?? 0) + 2, 7), 18)
        let group = min(max((rows.map { $0.group.description.count }.max() ?? 0) + 2, 12), 41)
        let usersX = iface + group, sourcesX = usersX + 7
        canvas.fillRow(area.top, .header)
        for (x, title) in [(0, "IFACE"), (iface, "GROUP"), (usersX, "USERS"), (sourcesX, "SOURCES")] { canvas.put(x, area.top, title, .header) }
        guard !rows.isEmpty else {
            canvas.put(1, area.top + 2, "no memberships (or not read yet: press r)", .dim)
            return
        }
        let visible = area.height - 1
        let offset = scrollOffset(selection: state.memberships.cursor.index, count: rows.count, visible: visible)
        for (i, membership) in rows.enumerated().dropFirst(offset).prefix(visible) {
            let y = area.top + 1 + i - offset
            let selected = i == state.memberships.cursor.index
            let style: Style = selected ? .selected : .normal
            if selected { canvas.fillRow(y, .selected) }
            let sources = membership.sources.map { "\($0.source)" }.joined(separator: " ")
            canvas.put(0, y, membership.interfaceName, style, maxWidth: iface - 1)
            canvas.put(iface, y, membership.group.description, style, maxWidth: group - 1)
            canvas.put(usersX, y, String(membership.users), style, maxWidth: 6)
            canvas.put(sourcesX, y, sources.isEmpty ? "any" : sources, style)
        }
    }
}
