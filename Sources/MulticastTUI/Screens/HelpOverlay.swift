/// The help overlay: the key table's help lines in a box, scrolled when the terminal is too
/// short to show them all.
public struct HelpOverlay: Sendable, Hashable {
    /// The first help line shown.
    public var scroll = 0

    public init() {}

    /// The box's height on a terminal `terminalHeight` rows high.
    static func boxHeight(terminalHeight: Int) -> Int { min(KeyMap.helpLines.count + 4, terminalHeight - 2) }

    /// How many help lines fit in the box.
    static func visibleLines(terminalHeight: Int) -> Int { max(boxHeight(terminalHeight: terminalHeight) - 4, 1) }

    /// Scrolls by a line, a page or to an end, never past the last full page.
    mutating func scroll(_ move: ListMove, terminalHeight: Int) {
        let visible = Self.visibleLines(terminalHeight: terminalHeight)
        let lastStart = max(KeyMap.helpLines.count - visible, 0)
        var cursor = ListCursor(index: scroll)
        cursor.move(move, count: lastStart + 1, page: visible)
        scroll = cursor.index
    }
}
