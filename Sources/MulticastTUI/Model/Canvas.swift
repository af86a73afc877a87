import MulticastMonitor
import MulticastText

/// What a cell looks like; the terminal layer maps styles to colours or, without colour, to
/// bold/reverse/underline.
public enum Style: Int, Sendable, Hashable, CaseIterable {
    case normal, dim, title, header, selected, key, ok, info, warn, fail, accent, error
}

/// The characters used for borders, sparklines, cut text and severity marks: Unicode when the
/// locale is UTF-8, ASCII otherwise.
public struct Glyphs: Sendable, Hashable {
    public var horizontal: Character
    public var vertical: Character
    public var corners: (Character, Character, Character, Character)  // top-left, top-right, bottom-left, bottom-right
    public var sparks: [Character]
    public var arrow: Character
    /// What ends a line that was cut: `…`, or `...` in ASCII.
    public var ellipsis: String
    /// The marks that keep a row's severity readable without colour: failing, warning, stale.
    public var failMark: Character
    public var warnMark: Character
    public var staleMark: Character

    public static let unicode = Glyphs(horizontal: "─", vertical: "│", corners: ("┌", "┐", "└", "┘"),
                                       sparks: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], arrow: "↳", ellipsis: "…",
                                       failMark: "×", warnMark: "!", staleMark: "~")
    public static let ascii = Glyphs(horizontal: "-", vertical: "|", corners: ("+", "+", "+", "+"),
                                     sparks: [" ", ".", ",", ":", "-", "=", "+", "*", "#"], arrow: ">", ellipsis: "...",
                                     failMark: "x", warnMark: "!", staleMark: "~")

    public static func == (a: Glyphs, b: Glyphs) -> Bool { a.horizontal == b.horizontal && a.sparks == b.sparks }
    public func hash(into hasher: inout Hasher) { hasher.combine(horizontal) }
}

/// An in-memory screen: views draw into it, the terminal layer copies it to ncurses, and tests
/// read it back as text. Every string put here is sanitised: a character holding anything
/// ``TerminalText`` calls unsafe (controls, bidirectional and zero-width format characters)
/// becomes `.`, so nothing from the network can steer the terminal. Its size is capped, so a
/// terminal that reports an absurd size cannot make it allocate without bound.
///
/// Text that does not fit is never cut silently: ``put(_:_:_:_:maxWidth:continues:)`` ends a cut
/// line with the glyphs' ellipsis, so every screen shows where something was left out, and the
/// canvas remembers where it did (``cuts``), so tests can check no later drawing hid the mark.
public struct Canvas: Sendable {
    /// The widest canvas drawn; a wider terminal shows this many columns.
    public static let maximumWidth = 1000
    /// The tallest canvas drawn; a taller terminal shows this many rows.
    public static let maximumHeight = 500

    public let width: Int
    public let height: Int
    /// The glyphs views draw with; the ellipsis of cut text is theirs.
    public let glyphs: Glyphs
    public private(set) var characters: [Character]
    public private(set) var styles: [Style]

    /// Where a cut line's ellipsis was drawn: its first cell and its length.
    struct Cut: Hashable {
        var x: Int
        var y: Int
        var length: Int
    }

    /// Every ellipsis drawn for a cut, less those later covered by a box, a pane or a cleared row.
    private(set) var cuts: [Cut] = []

    public init(width: Int, height: Int, glyphs: Glyphs = .unicode) {
        self.width = min(max(width, 0), Self.maximumWidth)
        self.height = min(max(height, 0), Self.maximumHeight)
        self.glyphs = glyphs
        characters = Array(repeating: " ", count: self.width * self.height)
        styles = Array(repeating: .normal, count: self.width * self.height)
    }

    /// What ends a cut line.
    public var ellipsis: String { glyphs.ellipsis }

    /// Writes `text` at (x, y), clipped to `maxWidth` and to the canvas. When characters other
    /// than spaces did not fit, the last cells show the ellipsis instead; `continues` says the
    /// text goes on where it cannot be seen (a wrapped paragraph with rows left out), so the
    /// ellipsis follows it (or ends it, when there is no room after it).
    public mutating func put(_ x: Int, _ y: Int, _ text: String, _ style: Style = .normal, maxWidth: Int? = nil, continues: Bool = false) {
        guard y >= 0, y < height else { return }
        var column = x
        let limit = min(width, x + max(maxWidth ?? width, 0))
        var rest = Substring(text)
        while let character = rest.first, column < limit {
            if column >= 0 {
                characters[y * width + column] = Canvas.safe(character)
                styles[y * width + column] = style
            }
            column += 1
            rest.removeFirst()
        }
        let cut = rest.contains { $0 != " " }
        guard cut || continues else { return }
        if !cut, column + ellipsis.count <= limit {
            // Room after the text: the ellipsis follows it.
            mark(from: column, y, count: ellipsis.count, style: style)
        } else {
            // The text reaches the limit: its last cells give way to the ellipsis.
            let start = max(limit - ellipsis.count, x, 0)
            mark(from: start, y, count: limit - start, style: style)
        }
    }

    /// Writes runs of text in their styles one after the other from (x, y), as one line: clipped
    /// to `maxWidth` and the canvas, with the ellipsis at the end when anything did not fit.
    public mutating func put(_ x: Int, _ y: Int, spans: [(text: String, style: Style)], maxWidth: Int? = nil) {
        guard y >= 0, y < height else { return }
        let limit = min(width, x + max(maxWidth ?? width, 0))
        var column = x
        var dropped = false
        for span in spans {
            guard column < limit else {
                dropped = dropped || span.text.contains { $0 != " " }
                continue
            }
            put(column, y, span.text, span.style, maxWidth: limit - column)
            column += span.text.count
        }
        guard dropped, limit > 0 else { return }
        let start = max(limit - ellipsis.count, x, 0)
        mark(from: start, y, count: limit - start, style: styles[y * width + limit - 1])
    }

    /// Writes `text` wrapped at spaces into lines `width` wide from (x, y), at most `rows` of
    /// them; when it needs more, the last one shown ends with the ellipsis. Returns the rows used.
    @discardableResult
    public mutating func putWrapped(_ x: Int, _ y: Int, _ text: String, _ style: Style = .normal, width: Int, rows: Int) -> Int {
        putLines(x, y, Format.wrap(text, width: width).map { ($0, style) }, width: width, rows: rows)
    }

    /// Writes lines one under the other from (x, y), each cut at `width`, at most `rows` of them;
    /// when there are more, the last one shown ends with the ellipsis. Returns the rows used.
    @discardableResult
    public mutating func putLines(_ x: Int, _ y: Int, _ lines: [(text: String, style: Style)], width: Int, rows: Int) -> Int {
        let shown = lines.prefix(max(rows, 0))
        for (i, line) in shown.enumerated() {
            put(x, y + i, line.text, line.style, maxWidth: width, continues: i == shown.count - 1 && lines.count > shown.count)
        }
        return shown.count
    }

    /// Draws the first `count` characters of the ellipsis from column `x` and remembers them.
    private mutating func mark(from x: Int, _ y: Int, count: Int, style: Style) {
        guard count > 0, x >= 0, x + count <= width else { return }
        for (i, character) in ellipsis.prefix(count).enumerated() {
            characters[y * width + x + i] = character
            styles[y * width + x + i] = style
        }
        cuts.removeAll { $0.y == y && $0.x < x + count && x < $0.x + $0.length }
        cuts.append(Cut(x: x, y: y, length: count))
    }

    /// Forgets the cuts inside a rectangle that something new now covers.
    private mutating func uncover(x: Int, y: Int, width w: Int, height h: Int) {
        cuts.removeAll { $0.y >= y && $0.y < y + h && $0.x < x + w && x < $0.x + $0.length }
    }

    /// Paints a whole row's style (for selection bars and headers) and blanks it.
    public mutating func fillRow(_ y: Int, _ style: Style) {
        guard y >= 0, y < height else { return }
        uncover(x: 0, y: y, width: width, height: 1)
        for x in 0..<width {
            characters[y * width + x] = " "
            styles[y * width + x] = style
        }
    }

    /// Copies another canvas onto this one with its top-left corner at (x, y), clipped to this
    /// canvas: how a pane drawn on a canvas of its own size lands on the screen. Its cells were
    /// sanitised when they were put there, and its cuts become this canvas's.
    public mutating func draw(_ other: Canvas, atX x: Int, y: Int) {
        uncover(x: x, y: y, width: other.width, height: other.height)
        for cut in other.cuts where y + cut.y >= 0 && y + cut.y < height && x + cut.x >= 0 && x + cut.x + cut.length <= width {
            cuts.append(Cut(x: x + cut.x, y: y + cut.y, length: cut.length))
        }
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
        uncover(x: x, y: y, width: w, height: h)
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

    /// Pads or cuts to exactly `width` characters; a cut ends with `ellipsis` (the canvas's, so
    /// ASCII terminals get `...`).
    func fitted(_ width: Int, _ ellipsis: String) -> String {
        guard width > 0 else { return "" }
        if count > width { return String(prefix(max(width - ellipsis.count, 0))) + ellipsis.prefix(width) }
        return self + String(repeating: " ", count: width - count)
    }

    /// Right-aligns in `width` characters.
    func rightAligned(_ width: Int) -> String {
        count >= width ? String(suffix(width)) : String(repeating: " ", count: width - count) + self
    }
}
