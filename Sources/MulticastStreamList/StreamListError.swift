/// Why a stream-list file was refused, with the place in the file and the field, so the line
/// printed reads like a compiler's: `streams.yaml:12:5: streams[3].group: "239.1.2" is not ...`.
///
/// The parser quotes what it takes from the file cut to 80 characters with control characters
/// escaped, and ``description`` escapes any control character left in `field` or `message`
/// (`\u{1b}`), so the description is one line without terminal escapes. The `path` is the
/// caller's own and is printed as given.
public struct StreamListError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the caller named it.
    public var path: String
    /// 1-based line of the offending node, when the problem has a place.
    public var line: Int?
    /// 1-based column (in Unicode scalars) of the offending node.
    public var column: Int?
    /// The field's path in the document, e.g. `streams[3].group` or `defaults.labels.site`.
    public var field: String?
    /// What is wrong and what would be right.
    public var message: String

    /// Makes an error; the parser fills every part it knows.
    public init(path: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = path
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if let field { text += "\(StreamListFile.escapingControlCharacters(field)): " }
        return text + StreamListFile.escapingControlCharacters(message)
    }
}
