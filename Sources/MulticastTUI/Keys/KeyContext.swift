/// Where keys are being pressed: the open overlay, or else the screen. Each ``KeyBinding``
/// lists the contexts it works in; ``AppState/keyContext`` says which one is current.
public enum KeyContext: Sendable, Hashable, CaseIterable {
    case interfaces, groups, inspector, doctor, memberships, igmp, mesh
    /// The Groups screen with a stream's detail open over it (Enter): arrows scroll it, Esc, Enter
    /// and q go back to the table.
    case streamDetail
    /// The Send screen with its focused field empty: `q` and `?` still quit and help.
    case sendForm
    /// The Send screen with text in its focused field: every printable key types.
    case sendFormTyping
    case joinForm
    /// The Mesh screen's start form.
    case meshForm
    /// The form `w` opens: where to save the joins as a stream list.
    case saveForm
    /// Typing a list's search after `/` (on the Groups screen, its filter).
    case search
    case help

    /// Every screen, with no overlay open.
    static let screens: Set<KeyContext> = [.interfaces, .groups, .inspector, .doctor, .memberships, .igmp, .mesh, .sendForm, .sendFormTyping]
    /// Every screen but Send, whose form takes the printable keys.
    static let screensOutsideSend: Set<KeyContext> = [.interfaces, .groups, .inspector, .doctor, .memberships, .igmp, .mesh]
    /// The screens showing a list moved through with the arrow, page and Home/End keys.
    static let lists: Set<KeyContext> = [.interfaces, .groups, .doctor, .memberships, .igmp, .mesh]
    /// The Send screen, whatever its focused field holds.
    static let send: Set<KeyContext> = [.sendForm, .sendFormTyping]
}
