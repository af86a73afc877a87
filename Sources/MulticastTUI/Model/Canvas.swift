import MulticastMonitor
import MulticastText

/// What a cell looks like; the terminal layer maps styles to colours or, without colour, to
/// bold/reverse/underline.
public enum Style: Int, Sendable, Hashable, CaseIterable {
    case normal, dim, title, header, selected, key, ok, info, warn, fail, accent, error
}

/// The characters used for borders and sparklines: Unicode when the locale is UTF-8, ASCII otherwise.
public struct Glyphs: Sendable, Hashable {
    public var horizontal: Character
    public var vertical: Character
    public var corners: (Character, Character, Character, Character)  // top-left, top-right, bottom-left, bottom-right
    public var sparks: [Character]
    public var arrow: Character

    public static let unicode = Glyphs(horizontal: "─", vertical: "│", corners: ("┌", "┐", "└", "┘"),
                                       sparks: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], arrow: "↳")
    public static let ascii = Glyphs(horizontal: "-", vertical: "|", corners: ("+", "+", "+", "+"),
                                     sparks: [" ", ".", ",", ":", "-", "=", "+", "*", "#"], arrow: ">")

    public static func == (a: Glyphs, b: Glyphs) -> Bool { a.horizontal == b.horizontal && a.sparks == b.sparks }
    public func hash(into hasher: inout Hasher) { hasher.combine(horizontal) }
}

/// An in-memory screen: views draw into it, the terminal layer copies it to ncurses, and tests
/// read it back as text. Every string put here is sanitised: a character holding anything
/// ``TerminalText`` calls unsafe (controls, bidirectional and zero-width format characters)
/// becomes `.`, so nothing from the network can steer the terminal. Its size is capped, so a
/// terminal that reports an absurd size cannot make it allocate without bound.
public struct Canvas: Sendable {
    /// The widest canvas drawn; a wider terminal shows this many columns.
    public static let maximumWidth = 1000
    /// The tallest canvas drawn; a taller terminal shows this many rows.
    public static let maximumHeight = 500

    public let width: Int
    public let height: Int
    public private(set) var characters: [Character]
    public private(set) var styles: [Style]

    public init(width: Int, height: Int) {
        self.width = min(max(width, 0), Self.maximumWidth)
        self.height = min(max(height, 0), Self.maximumHeight)
        characters = Array(repeating: " ", count: self.width * self.height)
        styles = Array(repeating: .normal, count: self.width * self.height)
    }

    /// Writes `text` at (x, y), clipped to `maxWidth` and to the canvas.
    public mutating func put(_ x: Int, _ y: Int, _ text: String, _ style: Style = .normal, maxWidth: Int? = nil) {
        guard y >= 0, y < height else { return }
        var column = x
        let limit = min(width, x + (maxWidth ?? width))
        for character in text {
            guard column < limit else { break }
            if column >= 0 {
                characters[y * width + column] = Canvas.safe(character)
                styles[y * width + column] = style
            }
            column += 1
        }
    }

    /// Paints a whole row's style (for selection bars and headers) and blanks it.
    public mutating func fillRow(_ y: Int, _ style: Style) {
        guard y >= 0, y < height else { return }
        for x in 0..<width {
            characters[y * width + x] = " "
            styles[y * width + x] = style
        }
    }

    /// Copies another canvas onto this one with its top-left corner at (x, y), clipped to this
    /// canvas: how a pane drawn on a canvas of its own size lands on the screen. Its cells were
    /// sanitised when they were put there.
    public mutating func draw(_ other: Canvas, atX x: Int, y: Int) {
        for row in 0..<other.height where y + row >= 0 && y + row < height {
            for column in 0..<other.width where x + column >= 0 && x + column < width {
                characters[(y + row) * width + x + column] = other.characters[row * other.width + column]
                styles[(y + row) * width + x + column] = other.styles[row * other.width + column]
            }
        }
    }

    /// Draws a box with a title.
    public mutating func box(x: Int, y: Int, width w: Int, height h: Int, title: String, glyphs: Glyphs) {
        guard w >= 2, h >= 2 else { return }
        for row in y..<(y + h) {
            guard row >= 0, row < height else { continue }
            for column in x..<(x + w) where column >= 0 && column < width {
                characters[row * width + column] = " "
                styles[row * width + column] = .normal
            }
        }
        put(x, y, String(glyphs.corners.0) + String(repeating: glyphs.horizontal, count: w - 2) + String(glyphs.corners.1), .accent)
        put(x, y + h - 1, String(glyphs.corners.2) + String(repeating: glyphs.horizontal, count: w - 2) + String(glyphs.corners.3), .accent)
        for row in (y + 1)..<(y + h - 1) {
            put(x, row, String(glyphs.vertical), .accent)
            put(x + w - 1, row, String(glyphs.vertical), .accent)
        }
        put(x + 2, y, " \(title) ", .title, maxWidth: w - 4)
    }

    public func character(_ x: Int, _ y: Int) -> Character { characters[y * width + x] }
    public func style(_ x: Int, _ y: Int) -> Style { styles[y * width + x] }

    /// One row as text (trailing spaces kept).
    public func row(_ y: Int) -> String { String(characters[(y * width)..<((y + 1) * width)]) }

    /// The whole canvas as lines with trailing spaces removed — what tests compare.
    public var text: String {
        (0..<height).map { row($0).replacingTrailingSpaces() }.joined(separator: "\n")
    }

    /// A printable stand-in for characters that could control a terminal or would not take
    /// exactly one cell: controls and format characters become `.`; a mark or joiner that would
    /// fuse with the neighbouring cell becomes `.`; double-width characters become `?`.
    static func safe(_ character: Character) -> Character {
        if character.isASCII { return character.asciiValue.map { (0x20...0x7e).contains($0) } == true ? character : "." }
        if character.unicodeScalars.contains(where: TerminalText.isUnsafe) { return "." }
        guard let first = character.unicodeScalars.first else { return "." }
        switch first.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format, .control, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator:
            return "."
        default:
            break
        }
        if isConjoiningJamo(first) { return "?" }
        // Anything else that would fuse with a neighbour (prepended marks, extenders) once the
        // cells are joined into one line of text.
        guard (String(character) + "a").count == 2, ("a" + String(character)).count == 2 else { return "." }
        if first.properties.isEmojiPresentation || isWide(first) {
            return "?"  // double-width characters would shift the columns
        }
        return character
    }

    /// Hangul jamo that combine with the cell before them into one syllable.
    private static func isConjoiningJamo(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x1100...0x11ff).contains(v) || (0xa960...0xa97f).contains(v) || (0xd7b0...0xd7ff).contains(v)
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x1100...0x115f).contains(v) || (0x2e80...0xa4cf).contains(v) || (0xac00...0xd7a3).contains(v)
            || (0xf900...0xfaff).contains(v) || (0xfe30...0xfe4f).contains(v) || (0xff00...0xff60).contains(v) || (0xffe0...0xffe6).contains(v)
            || (0x1f300...0x1faff).contains(v) || (0x20000...0x3fffd).contains(v)
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    /// Pads or cuts to exactly `width` characters.
    func fitted(_ width: Int) -> String {
        guard width > 0 else { return "" }
        if count > width { return String(prefix(max(width - 1, 0))) + "~" }
        return self + String(repeating: " ", count: width - count)
    }

    /// Right-aligns in `width` characters.
    func rightAligned(_ width: Int) -> String {
        count >= width ? String(suffix(width)) : String(repeating: " ", count: width - count) + self
    }
}
