/// The save form (`w`) as a centred box, as the join form is drawn.
enum SaveStreamsFormView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ form: SaveStreamsForm, glyphs: Glyphs) {
        let width = min(72, state.width - 2), height = 7
        let x = (state.width - width) / 2, y = max((state.height - height) / 2, 2)
        canvas.box(x: x, y: y, width: width, height: height, title: "Save the joins as a stream list", glyphs: glyphs)
        let field = form.fields[0]
        canvas.put(x + 2, y + 2, field.label, .accent, maxWidth: 12)
        let value = field.text.isEmpty ? field.placeholder : Format.tail(field.text + "_", width: width - 17, ellipsis: canvas.ellipsis)
        canvas.put(x + 15, y + 2, value, field.text.isEmpty ? .dim : .selected, maxWidth: width - 17)
        let count = state.snapshot?.subscriptions.count ?? 0
        let note = form.confirmingOverwrite == form.path && !form.path.isEmpty
            ? "the file exists: Enter overwrites it"
            : "\(count) join\(count == 1 ? "" : "s"); YAML that --streams reads back"
        canvas.put(x + 2, y + 3, note, form.confirmingOverwrite == form.path ? .warn : .dim, maxWidth: width - 4)
        canvas.put(x + 2, y + height - 2, "Enter save   Esc cancel", .dim, maxWidth: width - 4)
    }
}
