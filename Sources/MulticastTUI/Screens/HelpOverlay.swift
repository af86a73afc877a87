/// The help overlay: the key table's help lines (and the legend) in a box, scrolled when the
/// terminal is too short to show them all.
public struct HelpOverlay: Sendable, Hashable {
    /// The first row shown.
    public var scroll = 0

    public init() {}

    /// Scrolls by a line, a page or to an end through `rows` rows of which `visible` show, never
    /// past the last full page.
    mutating func scroll(_ move: ListMove, rows: Int, visible: Int) {
        let lastStart = max(rows - visible, 0)
        var cursor = ListCursor(index: min(scroll, lastStart))
        cursor.move(move, count: lastStart + 1, page: visible)
        scroll = cursor.index
    }
}
