import MulticastMonitor

/// The stream detail: graphs, figures and decoded headers of one stream. On a terminal at least
/// ``StreamDetailView/minimumSplitWidth`` wide the Groups screen always shows it beside the table
/// for the selected row; Enter opens it over the whole body (the only way on narrower terminals),
/// pinned to the stream selected then, and scrolled with the arrow keys.
public struct StreamDetailScreen: Sendable, Hashable {
    /// The stream shown over the whole body; nil while the detail is closed (or only the pane).
    public var stream: StreamKey?
    /// Rows of the scrolled part (everything under the title) skipped at the top.
    public var scroll = 0

    public init() {}

    /// Whether the detail covers the body (and takes the keys).
    public var isOpen: Bool { stream != nil }

    /// Enter: shows `stream` over the whole body, from its top.
    mutating func open(_ stream: StreamKey) {
        self.stream = stream
        scroll = 0
    }

    /// Esc, Enter or q in the detail: back to the table.
    mutating func close() {
        stream = nil
        scroll = 0
    }

    /// Scrolls by a row, a page or to an end, never past `maximum` (the last row at the bottom).
    mutating func scroll(_ move: ListMove, maximum: Int, page: Int) {
        var cursor = ListCursor(index: min(scroll, max(maximum, 0)))
        cursor.move(move, count: max(maximum, 0) + 1, page: page)
        scroll = cursor.index
    }
}
