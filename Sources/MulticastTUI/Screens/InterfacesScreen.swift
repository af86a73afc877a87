/// The Interfaces screen's own state: the selected row and which interfaces hold a default
/// route (the interface table itself is shared: the forms validate against it too).
public struct InterfacesScreen: Sendable, Hashable {
    public var cursor = ListCursor()
    /// `/`: moves the cursor to the rows that contain its text.
    public var search = ListSearch()
    /// Indexes of the interfaces the default routes go out of, marked `[default]`.
    public var defaultGateways: Set<UInt32> = []

    public init() {}
}
