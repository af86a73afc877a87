/// A key press, as the model sees it (the terminal layer translates ncurses codes).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, f1

    /// How the footer and the help screen name the key.
    public var name: String {
        switch self {
        case .character(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .f1: "F1"
        }
    }

    /// Whether the key types a character into a text field or the search line: printable
    /// ASCII (non-ASCII and control characters are never typed, so nothing pasted can smuggle
    /// terminal controls into a field).
    public var isPrintable: Bool {
        guard case .character(let c) = self else { return false }
        return c.isASCII && !c.isNewline && c != "\t" && !(c.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? true)
    }
}
