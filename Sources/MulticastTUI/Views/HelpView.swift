/// The help overlay: the key table's help lines, then what the colours and marks of the Groups
/// table (with their thresholds), of the IGMP/MLD list and of the mesh matrix mean, and what the
/// mouse does, in a centred box as wide as they need; on a terminal too narrow for that, the
/// texts wrap under their column. Scrolled by the overlay's state.
enum HelpView {
    /// One row of the box: the keys (empty on a continuation), the text and its style.
    typealias Row = (keys: String, text: String, style: Style)

    /// Where the box goes on a terminal `width` × `height`, and what it holds.
    struct Layout {
        var x: Int, y: Int, width: Int, height: Int
        /// The key column's width, its gap included.
        var keysWidth: Int
        var rows: [Row]
        /// How many rows show at once.
        var visible: Int
    }

    /// The widest the text column grows; longer texts wrap.
    static let maximumTextWidth = 72

    /// The entries before wrapping: the key table's help, the marks and the mouse.
    static func entries(_ glyphs: Glyphs) -> [Row] {
        var entries = KeyMap.helpLines.map { Row($0.keys, $0.text, .normal) }
        entries.append(("", "", .normal))
        entries.append(("GROUPS ROWS", "colour and mark by how the stream is doing:", .accent))
        entries += StreamSeverity.legend(glyphs).map { Row($0.mark, $0.text, $0.style) }
        entries.append(("", "", .normal))
        entries.append(("IGMP/MLD ROWS", "marks of queriers, warnings and this host's answers:", .accent))
        entries.append(("\(glyphs.failMark) red", "a querier whose queries this host's rp_filter drops; a failing warning", .fail))
        entries.append(("\(glyphs.warnMark) yellow", "a querier that is not elected; a warning; queries this host missed or was silenced on", .warn))
        entries.append(("\(glyphs.staleMark) dim", "a querier that stopped querying", .dim))
        entries.append(("", "", .normal))
        entries.append(("MESH CELLS", "loss of the sender's (column's) beacons at the receiver (row), same thresholds:", .accent))
        entries += MeshCellLook.legend(glyphs).map { Row($0.mark, $0.text, $0.style) }
        entries.append(("", "", .normal))
        entries.append(("mouse", "click a tab, a row or a mesh cell to select it, double-click a stream for its detail, a column's title to sort, a footer key to press it; the wheel scrolls (off with --no-mouse)", .normal))
        return entries
    }

    static func layout(width terminalWidth: Int, height terminalHeight: Int, glyphs: Glyphs) -> Layout {
        let entries = entries(glyphs)
        let keysWidth = (entries.map(\.keys.count).max() ?? 0) + 2
        let widest = entries.map(\.text.count).max() ?? 0
        let width = max(min(keysWidth + min(widest, maximumTextWidth) + 4, terminalWidth - 2), 20)
        let textWidth = max(width - 4 - keysWidth, 10)
        var rows: [Row] = []
        for entry in entries {
            let lines = entry.text.isEmpty ? [""] : Format.wrap(entry.text, width: textWidth)
            for (i, line) in lines.enumerated() { rows.append((i == 0 ? entry.keys : "", line, entry.style)) }
        }
        let height = min(rows.count + 4, terminalHeight - 2)
        return Layout(x: (terminalWidth - width) / 2, y: (terminalHeight - height) / 2, width: width, height: height,
                      keysWidth: keysWidth, rows: rows, visible: max(height - 4, 1))
    }

    static func draw(_ canvas: inout Canvas, _ state: AppState, _ help: HelpOverlay, glyphs: Glyphs) {
        let layout = layout(width: state.width, height: state.height, glyphs: glyphs)
        let first = min(help.scroll, max(layout.rows.count - layout.visible, 0))
        canvas.box(x: layout.x, y: layout.y, width: layout.width, height: layout.height, title: "Help", glyphs: glyphs)
        let textX = layout.x + 2 + layout.keysWidth, textWidth = layout.width - 4 - layout.keysWidth
        for (i, row) in layout.rows.dropFirst(first).prefix(layout.visible).enumerated() {
            canvas.put(layout.x + 2, layout.y + 2 + i, row.keys, row.style == .normal ? .key : row.style, maxWidth: layout.keysWidth - 1)
            canvas.put(textX, layout.y + 2 + i, row.text, row.style, maxWidth: textWidth)
        }
        if first + layout.visible < layout.rows.count {
            canvas.put(layout.x + 2, layout.y + layout.height - 2, "\(glyphs.arrow) more: ↓ PgDn End", .dim, maxWidth: layout.width - 4)
        }
    }
}
