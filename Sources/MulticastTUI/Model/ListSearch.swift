/// The search of a list screen (`/`): its text, whether keys type into it, and the row the cursor
/// was on when it began. On the Groups screen the text filters the table; on the other lists the
/// cursor goes to the first row from there that contains it, and `n`/`N` to the next and
/// previous, wrapping around, as in less.
public struct ListSearch: Sendable, Hashable {
    public var text = ""
    /// Whether keys type into it (from `/` until Enter or Esc).
    public var typing = false
    /// The cursor's row when `/` was pressed: typing searches from there.
    var origin = 0

    public init(text: String = "", typing: Bool = false) {
        self.text = text
        self.typing = typing
    }

    /// Whether a row's text contains the search, ignoring case.
    func matches(_ row: String) -> Bool { text.isEmpty || row.lowercased().contains(text.lowercased()) }

    /// The first row at or after `start` (at or before it, going `backwards`) that matches,
    /// wrapping around the `rows`; nil when none does or there is no text.
    func match(in rows: [String], from start: Int, backwards: Bool = false) -> Int? {
        guard !text.isEmpty, !rows.isEmpty else { return nil }
        let count = rows.count
        let first = ((start % count) + count) % count
        for step in 0..<count {
            let index = backwards ? (first - step + count) % count : (first + step) % count
            if matches(rows[index]) { return index }
        }
        return nil
    }
}

/// A list screen's cursor and search together: what ``AppState/list`` reads and writes for the
/// list on screen.
struct ListState: Hashable {
    var cursor: ListCursor
    var search: ListSearch
}
