/// The help overlay: the key table's help lines in a centred box, scrolled by the overlay's state.
enum HelpView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ help: HelpOverlay, glyphs: Glyphs) {
        let lines = KeyMap.helpLines
        let width = min(64, state.width - 4), height = HelpOverlay.boxHeight(terminalHeight: state.height)
        let visible = HelpOverlay.visibleLines(terminalHeight: state.height)
        let x = (state.width - width) / 2, y = (state.height - height) / 2
        let first = min(help.scroll, max(lines.count - visible, 0))
        canvas.box(x: x, y: y, width: width, height: height, title: "Help", glyphs: glyphs)
        for (i, line) in lines.dropFirst(first).prefix(visible).enumerated() {
            canvas.put(x + 2, y + 2 + i, line.keys.fitted(26), .key)
            canvas.put(x + 28, y + 2 + i, line.text, .normal, maxWidth: width - 30)
        }
        if first + visible < lines.count {
            canvas.put(x + 2, y + height - 2, "\(glyphs.arrow) more: ↓ PgDn End", .dim, maxWidth: width - 4)
        }
    }
}
