/// The Mesh screen's start form as a centred box, as the join form is drawn.
enum MeshFormView {
    /// The box's size on a terminal `width` wide.
    static func size(width: Int) -> (width: Int, height: Int) { (min(76, width - 2), MeshForm(hostName: "").fields.count + 7) }

    static func draw(_ canvas: inout Canvas, _ state: AppState, _ form: MeshForm, glyphs: Glyphs) {
        let (width, height) = size(width: state.width)
        let x = (state.width - width) / 2, y = max((state.height - height) / 2, 2)
        canvas.box(x: x, y: y, width: width, height: height, title: "Start a mesh", glyphs: glyphs)
        for (i, field) in form.fields.enumerated() {
            let focused = i == form.focus
            canvas.put(x + 2, y + 2 + i, field.label, focused ? .accent : .normal, maxWidth: 12)
            let value = field.text.isEmpty ? field.placeholder : Format.tail(field.text + (focused ? "_" : ""), width: width - 17, ellipsis: canvas.ellipsis)
            canvas.put(x + 15, y + 2 + i, value, field.text.isEmpty ? .dim : (focused ? .selected : .normal), maxWidth: width - 17)
        }
        let hintRow = y + 2 + form.fields.count, resultRow = hintRow + 1
        switch form.validated(against: state.interfaceTable) {
        case .success(let request):
            canvas.put(x + 2, resultRow, "ok: Enter starts \(request.summary)", .ok, maxWidth: width - 4)
        case .failure(let error):
            canvas.putWrapped(x + 2, resultRow, error.description, .error, width: width - 4, rows: 2)
        }
        let names = state.interfaceTable.interfaces.filter { $0.isUp }.map(\.name).joined(separator: " ")
        canvas.put(x + 2, hintRow, "interfaces: \(names)", .dim, maxWidth: width - 4)
        canvas.put(x + 2, y + height - 2, "Tab next field   Enter start   Esc cancel", .dim, maxWidth: width - 4)
    }
}
