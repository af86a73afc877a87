/// The screens of the TUI, in Tab order; the number keys 1–8 jump to them (a new screen goes
/// at the end, so the keys keep their meaning).
public enum ScreenID: Int, Sendable, Hashable, CaseIterable {
    case interfaces, groups, inspector, doctor, memberships, send, igmp, mesh

    public var title: String {
        switch self {
        case .interfaces: "Interfaces"
        case .groups: "Groups"
        case .inspector: "Inspector"
        case .doctor: "Doctor"
        case .memberships: "Memberships"
        case .send: "Send"
        case .igmp: "IGMP/MLD"
        case .mesh: "Mesh"
        }
    }

    /// The title on a terminal too narrow for every tab's full title.
    public var shortTitle: String {
        switch self {
        case .interfaces: "Ifaces"
        case .inspector: "Inspect"
        case .memberships: "Members"
        case .igmp: "IGMP"
        default: title
        }
    }

    /// The title on the narrowest terminal drawn, where not even the short titles fit.
    public var tinyTitle: String {
        switch self {
        case .interfaces: "If"
        case .groups: "Grp"
        case .inspector: "Insp"
        case .doctor: "Doc"
        case .memberships: "Memb"
        default: shortTitle
        }
    }

    /// The next screen in Tab order, wrapping around.
    var next: ScreenID { ScreenID(rawValue: (rawValue + 1) % ScreenID.allCases.count) ?? .interfaces }

    /// The previous screen in Tab order, wrapping around.
    var previous: ScreenID { ScreenID(rawValue: (rawValue + ScreenID.allCases.count - 1) % ScreenID.allCases.count) ?? .interfaces }
}
