/// A key press, as the model sees it (the terminal layer translates ncurses codes).
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, f1
}

/// The screens of the TUI, in Tab order; the number keys 1–6 jump to them.
public enum ScreenID: Int, Sendable, Hashable, CaseIterable {
    case interfaces, groups, inspector, doctor, memberships, send

    public var title: String {
        switch self {
        case .interfaces: "Interfaces"
        case .groups: "Groups"
        case .inspector: "Inspector"
        case .doctor: "Doctor"
        case .memberships: "Memberships"
        case .send: "Send"
        }
    }
}
