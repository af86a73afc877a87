/// Columns the Groups table sorts by (`s` cycles, `S` flips the direction).
public enum GroupColumn: Int, Sendable, Hashable, CaseIterable {
    /// `name` is the stream list's name (`--streams`); `s` passes it by when no list is loaded.
    case group, interface, sources, kind, packetsPerSecond, bitsPerSecond, loss, jitter, lastSeen, name

    public var title: String {
        switch self {
        case .group: "GROUP:PORT"
        case .interface: "IFACE"
        case .sources: "SRC"
        case .kind: "KIND"
        case .packetsPerSecond: "PKT/S"
        case .bitsPerSecond: "KBIT/S"
        case .loss: "LOSS%"
        case .jitter: "JITTER"
        case .lastSeen: "LAST"
        case .name: "NAME"
        }
    }

    /// The next column in `s` order, wrapping around.
    var next: GroupColumn { GroupColumn(rawValue: (rawValue + 1) % GroupColumn.allCases.count) ?? .group }
}
