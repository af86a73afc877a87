/// The form `w` opens: where to save the current joins as a stream list. One field, the path
/// (relative paths are from the directory the TUI was started in); Enter saves, and when the
/// file exists the status line asks for a second Enter before it is overwritten.
public struct SaveStreamsForm: Sendable, Hashable, FormFields {
    /// The file offered first: in the current directory, named for what it is.
    public static let defaultPath = "mcexpert-streams.yaml"

    public var fields = [TextField(label: "File", text: SaveStreamsForm.defaultPath, placeholder: "a path, e.g. streams.yaml")]
    public var focus = 0
    /// The path found to exist on the last Enter: a second Enter on the same path overwrites it.
    public var confirmingOverwrite: String?

    /// A form offering `path` (the last one saved to, or the default).
    public init(path: String = SaveStreamsForm.defaultPath) {
        fields[0].text = path
    }

    /// The path typed, without surrounding spaces.
    public var path: String { fields[0].text.trimmed }
}
