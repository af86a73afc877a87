/// Where a field of a stream list was written: what a tool needs to point at the file when a
/// value that read well fails later, e.g. an interface that does not exist on this host.
public struct StreamListPlace: Sendable, Hashable {
    /// 1-based line of the value.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the value.
    public var column: Int
    /// The field's path in the document: `streams[2].interface`, or `defaults.interface` when
    /// the stream inherits it.
    public var field: String

    /// A place as the parser found it.
    public init(line: Int, column: Int, field: String) {
        self.line = line
        self.column = column
        self.field = field
    }
}

extension StreamList {
    /// An error about a stream's interface, at the place the interface was written (its own
    /// `interface:` or the defaults'), naming the stream: `s.yaml:4:16: streams[1].interface:
    /// stream "B": interface "nosuch0" not found; ...`. Without a recorded place (a list built
    /// in code) it names the stream only.
    public func interfaceError(_ stream: StreamDefinition, path: String, message: String) -> StreamListError {
        let place = interfacePlaces[stream.name]
        let named = "stream \(StreamListFile.quotedForMessage(stream.name)): \(message)"
        return StreamListError(path: path, line: place?.line, column: place?.column, field: place?.field, message: named)
    }
}
