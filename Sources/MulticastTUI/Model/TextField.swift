/// One editable line of a form.
public struct TextField: Sendable, Hashable {
    public var label: String
    public var text: String
    public var placeholder: String

    /// The longest text a field holds, so a paste cannot grow it without bound.
    static let maximumLength = 200

    public init(label: String, text: String = "", placeholder: String = "") {
        self.label = label
        self.text = text
        self.placeholder = placeholder
    }

    /// Appends a typed character (the key table only sends printable ones).
    mutating func type(_ character: Character) {
        if text.count < Self.maximumLength { text.append(character) }
    }

    /// Removes the last character (Backspace and Delete both do this; there is no cursor).
    mutating func deleteLast() {
        if !text.isEmpty { text.removeLast() }
    }

    /// Comma- or space-separated items.
    var items: [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }
}

extension String {
    /// The text without leading and trailing spaces (no Foundation).
    var trimmed: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
