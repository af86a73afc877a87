import MulticastExpert
import MulticastMonitor

/// What this whole host has joined, from /proc/net/igmp, igmp6 and mcfilter.
enum MembershipsView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        canvas.put(0, area.top, "IFACE".fitted(12) + "GROUP".fitted(28) + "USERS ".fitted(7) + "SOURCES", .header)
        let rows = state.memberships.memberships
        guard !rows.isEmpty else {
            canvas.put(1, area.top + 2, "no memberships (or not read yet: press r)", .dim)
            return
        }
        let visible = area.height - 1
        let offset = scrollOffset(selection: state.memberships.cursor.index, count: rows.count, visible: visible)
        for (i, membership) in rows.enumerated().dropFirst(offset).prefix(visible) {
            let y = area.top + 1 + i - offset
            let sources = membership.sources.map { "\($0.source)" }.joined(separator: " ")
            let row = membership.interfaceName.fitted(12) + membership.group.description.fitted(28) + String(membership.users).fitted(7) + (sources.isEmpty ? "any" : sources)
            if i == state.memberships.cursor.index {
                canvas.fillRow(y, .selected)
                canvas.put(0, y, row, .selected)
            } else {
                canvas.put(0, y, row)
            }
        }
    }
}
