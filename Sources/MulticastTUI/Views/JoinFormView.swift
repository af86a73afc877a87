/// The join form as a centred box.
enum JoinFormView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ form: JoinForm, glyphs: Glyphs) {
        let fieldCount = form.fields.count
        let width = min(72, state.width - 2), height = fieldCount + 7
        let x = (state.width - width) / 2, y = max((state.height - height) / 2, 2)
        canvas.box(x: x, y: y, width: width, height: height, title: "Join a group", glyphs: glyphs)
        for (i, field) in form.fields.enumerated() {
            let focused = i == form.focus
            canvas.put(x + 2, y + 2 + i, field.label, focused ? .accent : .normal, maxWidth: 12)
            let value = field.text.isEmpty ? field.placeholder : Format.tail(field.text + (focused ? "_" : ""), width: width - 17, ellipsis: canvas.ellipsis)
            canvas.put(x + 15, y + 2 + i, value, field.text.isEmpty ? .dim : (focused ? .selected : .normal), maxWidth: width - 17)
        }
        let hintRow = y + 2 + fieldCount, resultRow = hintRow + 1
        switch form.validated(against: state.interfaceTable) {
        case .success(let subscription):
            canvas.put(x + 2, resultRow, "ok: Enter joins \(subscription.groups[0]) port \(subscription.port)"
                       + (subscription.payload.choice == .auto ? "" : " as \(subscription.payload.choice)"), .ok, maxWidth: width - 4)
        case .failure(let error):
            canvas.putWrapped(x + 2, resultRow, error.description, .error, width: width - 4, rows: 2)
        }
        let names = state.interfaceTable.interfaces.filter { $0.isUp }.map(\.name).joined(separator: " ")
        canvas.put(x + 2, hintRow, "interfaces: all  \(names)", .dim, maxWidth: width - 4)
        canvas.put(x + 2, y + height - 2, "Tab next field   Enter join   Esc cancel", .dim, maxWidth: width - 4)
    }
}
