/// A mouse event as the model sees it: the terminal layer turns ncurses' reports into these,
/// and ``AppState`` finds what is under the cell from the same layout the views draw with.
public struct MouseEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The left button was clicked (pressed and let go).
        case click
        /// A second click on the same cell soon after the first (which was reported as a click).
        case doubleClick
        case wheelUp, wheelDown
    }

    public var kind: Kind
    /// The cell: column and row from the top-left, from 0.
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
