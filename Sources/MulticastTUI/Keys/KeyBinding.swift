/// One row of the key table: which keys, where they work, what they do, and how the footer and
/// the help screen describe them. Dispatch, footer and help all read these rows.
public struct KeyBinding: Sendable {
    /// The keys a binding answers to.
    public enum Keys: Sendable, Hashable {
        /// These keys exactly.
        case keys([Key])
        /// Any printable character (typing into a field); a binding for an exact key wins.
        case printable

        func matches(_ key: Key) -> Bool {
            switch self {
            case .keys(let keys): keys.contains(key)
            case .printable: key.isPrintable
            }
        }
    }

    /// What the footer gives up first when the terminal is too narrow for all of it: keys that
    /// work everywhere go before a screen's own keys; quit and help stay.
    public enum FooterRank: Int, Sendable, Comparable {
        case general, screen, essential
        public static func < (a: FooterRank, b: FooterRank) -> Bool { a.rawValue < b.rawValue }
    }

    public var keys: Keys
    /// The contexts the binding works in.
    public var contexts: Set<KeyContext>
    public var action: KeyAction
    /// How the footer and help name the keys; by default the first key's name.
    public var label: String
    /// The footer's text for this binding in a state, or nil to leave it out of the footer there.
    /// Only consulted in the binding's own contexts.
    public var footer: @Sendable (AppState) -> String?
    /// How long its footer entry holds on in a narrow terminal.
    public var rank: FooterRank
    /// The help screen's text, or nil to leave the binding out of the help.
    public var help: String?

    public init(_ keys: [Key], in contexts: Set<KeyContext>, _ action: KeyAction, label: String? = nil,
                footer: @escaping @Sendable (AppState) -> String? = { _ in nil }, rank: FooterRank = .screen, help: String? = nil) {
        self.keys = .keys(keys)
        self.contexts = contexts
        self.action = action
        self.label = label ?? keys.first?.name ?? ""
        self.footer = footer
        self.rank = rank
        self.help = help
    }

    /// A binding for every printable character.
    public init(printableIn contexts: Set<KeyContext>, _ action: KeyAction) {
        keys = .printable
        self.contexts = contexts
        self.action = action
        label = "a-z"
        footer = { _ in nil }
        rank = .screen
        help = nil
    }
}
