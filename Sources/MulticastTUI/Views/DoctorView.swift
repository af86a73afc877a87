import MulticastDoctor
import MulticastExpert
import MulticastMonitor

/// Doctor findings, worst first, one row each (cut with an ellipsis when long), and under them
/// the selected finding in full: its summary, explanation and fix, wrapped.
enum DoctorView {
    /// Rows of the list (header included) the detail leaves at least, when there are findings for them.
    static let minimumListRows = 6

    /// The selected finding's detail as wrapped lines for a view `width` wide.
    static func detailLines(_ finding: Finding, width: Int) -> [(text: String, style: Style)] {
        let wrap = max(width - 2, 10)
        var lines = Format.wrap("\(finding.severity.description.uppercased())  \(finding.interface ?? "host"): \(finding.summary)", width: wrap)
            .map { (text: $0, style: severityStyle(finding.severity)) }
        lines += Format.wrap(finding.explanation, width: wrap).map { ($0, .normal) }
        if let fix = finding.fix { lines += Format.wrap("fix: " + fix, width: wrap).map { ($0, .key) } }
        return lines
    }

    /// How the body splits: the list's rows (its header included) and the detail's rows (its
    /// rule included) below them. The detail takes what it needs while the list keeps
    /// ``minimumListRows``.
    static func split(_ state: AppState, _ area: BodyArea) -> (list: Int, detail: Int) {
        guard !state.doctor.findings.isEmpty else { return (area.height, 0) }
        let needed = detailLines(selected(state), width: area.width).count + 1
        let listFloor = min(state.doctor.findings.count + 1, minimumListRows)
        let detail = max(min(needed, area.height - listFloor), min(3, area.height))
        return (area.height - detail, detail)
    }

    /// The finding under the cursor (there must be findings).
    static func selected(_ state: AppState) -> Finding {
        state.doctor.findings[min(state.doctor.cursor.index, state.doctor.findings.count - 1)]
    }

    /// The IFACE column's width: the longest name, within bounds.
    static func interfaceWidth(_ findings: [Finding]) -> Int {
        min(max((findings.map { ($0.interface ?? "host").count }.max() ?? 0) + 2, 7), 17)
    }

    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        if state.doctor.running && state.doctor.findings.isEmpty {
            canvas.put(1, area.top + 1, "running the doctor" + (state.privileged ? " (listening for queriers for 3 s)..." : "..."), .dim)
            return
        }
        guard !state.doctor.findings.isEmpty else {
            canvas.put(1, area.top + 1, "press r to run the doctor", .dim)
            return
        }
        let (listRows, detailRows) = split(state, area)
        let findings = state.doctor.findings
        let iface = interfaceWidth(findings), summaryX = 6 + iface
        canvas.fillRow(area.top, .header)
        canvas.put(0, area.top, "SEV", .header)
        canvas.put(6, area.top, "IFACE", .header)
        canvas.put(summaryX, area.top, "FINDING" + (state.doctor.running ? "   (re-running...)" : ""), .header)
        let visible = listRows - 1
        let offset = scrollOffset(selection: state.doctor.cursor.index, count: findings.count, visible: visible)
        for (i, finding) in findings.enumerated().dropFirst(offset).prefix(visible) {
            let y = area.top + 1 + i - offset
            let selected = i == state.doctor.cursor.index
            if selected { canvas.fillRow(y, .selected) }
            canvas.put(0, y, finding.severity.description.uppercased(), selected ? .selected : severityStyle(finding.severity))
            canvas.put(6, y, finding.interface ?? "host", selected ? .selected : .normal, maxWidth: iface - 1)
            canvas.put(summaryX, y, finding.summary, selected ? .selected : .normal)
        }
        let finding = selected(state)
        let top = area.top + listRows
        let title = String(repeating: canvas.glyphs.horizontal, count: 2) + " [\(finding.id)] "
        canvas.put(0, top, title + String(repeating: canvas.glyphs.horizontal, count: max(area.width - title.count, 0)), .accent)
        canvas.putLines(1, top + 1, detailLines(finding, width: area.width), width: area.width - 2, rows: detailRows - 1)
    }
}
