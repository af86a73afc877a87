/// One editable line of a form.
public struct TextField: Sendable, Hashable {
    public var label: String
    public var text: String
    public var placeholder: String

    public init(label: String, text: String = "", placeholder: String = "") {
        self.label = label
        self.text = text
        self.placeholder = placeholder
    }

    /// Applies an editing key; returns false for keys that are not edits.
    mutating func edit(_ key: Key) -> Bool {
        switch key {
        case .character(let c) where c.isASCII && !c.isNewline && c != "\t":
            if text.count < 200 { text.append(c) }
            return true
        case .backspace, .delete:
            if !text.isEmpty { text.removeLast() }
            return true
        default:
            return false
        }
    }

    /// Comma- or space-separated items.
    var items: [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }
}
