/// A line in the status bar.
public struct StatusMessage: Sendable, Hashable {
    public var text: String
    public var style: Style
}
