import MulticastExpert
import MulticastMonitor

/// The selected stream's last datagrams as a hexdump, one at a time, with probe headers decoded.
enum InspectorView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        guard let key = state.inspectedStream else {
            canvas.put(1, area.top + 1, "Select a stream on the Groups screen (2) and press x to inspect its packets.", .dim)
            return
        }
        let packets = state.inspectedPackets
        let title = "\(GroupSpec.text(key.group, port: key.port)) on \(key.interfaceName)" + (state.frozenPackets != nil ? "  [FROZEN]" : "")
        canvas.put(0, area.top, title, .title)
        guard !packets.isEmpty else {
            canvas.put(1, area.top + 2, "no packets captured yet", .dim)
            return
        }
        let index = min(state.inspectedIndex ?? packets.count - 1, packets.count - 1)
        let packet = packets[index]
        canvas.put(0, area.top + 1, "packet \(index + 1)/\(packets.count)  from \(packet.source)  \(packet.length) bytes  at \(TimeFormat.iso8601(packet.receivedAt))", .header)
        var y = area.top + 2
        if let probe = ProbeHeader(decoding: packet.payloadPrefix) {
            let latency = probe.latencyNanoseconds(receivedAt: packet.receivedAt)
                .flatMap { (-1_000_000...3_600_000_000_000).contains($0) ? $0 : nil }
                .map { Format.fixed(Double($0) / 1e6, 3) + " ms" } ?? "n/a (sender clock differs)"
            canvas.put(0, y, "probe: sender \(Hexdump.compactHex(bigEndian(probe.senderID)))  seq \(probe.sequence)  sent \(TimeFormat.iso8601(Timestamp(nanosecondsSinceEpoch: probe.sendTimeNanoseconds)))  latency \(latency)", .ok)
            y += 1
        }
        let lines = Hexdump.lines(packet.payloadPrefix)
        for line in lines.prefix(area.top + area.height - y) {
            canvas.put(0, y, line)
            y += 1
        }
        if packet.length > packet.payloadPrefix.count, y < area.top + area.height {
            canvas.put(0, y, "... \(packet.length - packet.payloadPrefix.count) more bytes not captured", .dim)
        }
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) } }
}

/// Doctor findings, worst first, with the selected one's explanation and fix.
enum DoctorView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        if state.doctorRunning && state.findings.isEmpty {
            canvas.put(1, area.top + 1, "running the doctor" + (state.privileged ? " (listening for queriers for 3 s)..." : "..."), .dim)
            return
        }
        guard !state.findings.isEmpty else {
            canvas.put(1, area.top + 1, "press r to run the doctor", .dim)
            return
        }
        let detailHeight = min(7, area.height / 2)
        let listHeight = area.height - detailHeight - 1
        canvas.put(0, area.top, "SEV   " + "IFACE".fitted(10) + "FINDING" + (state.doctorRunning ? "   (re-running...)" : ""), .header)
        let offset = scrollOffset(selection: state.doctorSelection, count: state.findings.count, visible: listHeight)
        for (i, finding) in state.findings.enumerated().dropFirst(offset).prefix(listHeight) {
            let y = area.top + 1 + i - offset
            let row = finding.severity.description.uppercased().fitted(6) + (finding.interface ?? "host").fitted(10) + finding.summary
            if i == state.doctorSelection {
                canvas.fillRow(y, .selected)
                canvas.put(0, y, row, .selected)
            } else {
                canvas.put(0, y, row, .normal)
                canvas.put(0, y, finding.severity.description.uppercased(), severityStyle(finding.severity))
            }
        }
        let selected = state.findings[min(state.doctorSelection, state.findings.count - 1)]
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

/// Start and stop a probe stream to test a path.
enum SendView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        canvas.put(0, area.top, "Send a probe stream (receivers measure loss and jitter from it)", .header)
        for (i, field) in state.sendForm.fields.enumerated() {
            let y = area.top + 2 + i
            let focused = i == state.sendForm.focus
            canvas.put(1, y, field.label.fitted(14), focused ? .accent : .normal)
            let value = field.text.isEmpty ? field.placeholder : field.text + (focused ? "_" : "")
            canvas.put(16, y, value, field.text.isEmpty ? .dim : (focused ? .selected : .normal), maxWidth: area.width - 17)
        }
        let y = area.top + 6
        if let sender = state.sender {
            let what = "\(GroupSpec.text(sender.request.group, port: sender.request.port)) on \(sender.request.interface) at \(Format.fixed(sender.request.rate, 0)) pkt/s"
            canvas.put(1, y, (sender.running ? "SENDING " : "stopped ") + what + "  sent \(sender.sent)", sender.running ? .ok : .dim)
            if let error = sender.error { canvas.put(1, y + 1, error, .error) }
        } else {
            canvas.put(1, y, "not sending; fill in the fields and press Enter", .dim)
        }
    }
}
