import MulticastExpert
import MulticastMonitor

/// Doctor findings, worst first, with the selected one's explanation and fix.
enum DoctorView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        if state.doctor.running && state.doctor.findings.isEmpty {
            canvas.put(1, area.top + 1, "running the doctor" + (state.privileged ? " (listening for queriers for 3 s)..." : "..."), .dim)
            return
        }
        guard !state.doctor.findings.isEmpty else {
            canvas.put(1, area.top + 1, "press r to run the doctor", .dim)
            return
        }
        let detailHeight = min(7, area.height / 2)
        let listHeight = area.height - detailHeight - 1
        canvas.put(0, area.top, "SEV   " + "IFACE".fitted(10) + "FINDING" + (state.doctor.running ? "   (re-running...)" : ""), .header)
        let offset = scrollOffset(selection: state.doctor.cursor.index, count: state.doctor.findings.count, visible: listHeight)
        for (i, finding) in state.doctor.findings.enumerated().dropFirst(offset).prefix(listHeight) {
            let y = area.top + 1 + i - offset
            let row = finding.severity.description.uppercased().fitted(6) + (finding.interface ?? "host").fitted(10) + finding.summary
            if i == state.doctor.cursor.index {
                canvas.fillRow(y, .selected)
                canvas.put(0, y, row, .selected)
            } else {
                canvas.put(0, y, row, .normal)
                canvas.put(0, y, finding.severity.description.uppercased(), severityStyle(finding.severity))
            }
        }
        let selected = state.doctor.findings[min(state.doctor.cursor.index, state.doctor.findings.count - 1)]
        var y = area.top + listHeight + 1
        canvas.put(0, y, "[\(selected.id)]", .accent)
        y += 1
        var detail = Format.wrap(selected.explanation, width: area.width - 2)
        if let fix = selected.fix { detail += Format.wrap("fix: " + fix, width: area.width - 2) }
        for line in detail.prefix(area.top + area.height - y) {
            canvas.put(1, y, line, line.hasPrefix("fix: ") ? .key : .normal)
            y += 1
        }
    }
}
