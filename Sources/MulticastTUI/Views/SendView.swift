import MulticastExpert
import MulticastMonitor

/// Start and stop a probe stream to test a path.
enum SendView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        canvas.put(0, area.top, "Send a probe stream (receivers measure loss and jitter from it)", .header)
        for (i, field) in state.send.form.fields.enumerated() {
            let y = area.top + 2 + i
            let focused = i == state.send.form.focus
            canvas.put(1, y, field.label, focused ? .accent : .normal, maxWidth: 14)
            let value = field.text.isEmpty ? field.placeholder : Format.tail(field.text + (focused ? "_" : ""), width: area.width - 17, ellipsis: canvas.ellipsis)
            canvas.put(16, y, value, field.text.isEmpty ? .dim : (focused ? .selected : .normal), maxWidth: area.width - 17)
        }
        let y = area.top + 6
        if let sender = state.send.sender {
            let what = "\(GroupSpec.text(sender.request.group, port: sender.request.port)) on \(sender.request.interface) at \(Format.fixed(sender.request.rate, 0)) pkt/s"
            canvas.put(1, y, (sender.running ? "SENDING " : "stopped ") + what + "  sent \(sender.sent)", sender.running ? .ok : .dim)
            if let error = sender.error { canvas.putWrapped(1, y + 1, error, .error, width: area.width - 2, rows: max(area.top + area.height - y - 1, 0)) }
        } else {
            canvas.put(1, y, "not sending; fill in the fields and press Enter", .dim)
        }
    }
}
