/// The selected row of a list, kept inside the list as rows come and go.
public struct ListCursor: Sendable, Hashable {
    public var index = 0

    public init(index: Int = 0) { self.index = index }

    /// Moves through `count` rows; a page is `page` rows.
    mutating func move(_ move: ListMove, count: Int, page: Int) {
        let last = max(count - 1, 0)
        switch move {
        case .up: index = max(index - 1, 0)
        case .down: index = min(index + 1, last)
        case .pageUp: index = max(index - max(page, 1), 0)
        case .pageDown: index = min(index + max(page, 1), last)
        case .first: index = 0
        case .last: index = last
        }
    }

    /// Keeps the cursor on a row after the list shrank to `count` rows.
    mutating func clamp(count: Int) {
        index = min(index, max(count - 1, 0))
    }
}
