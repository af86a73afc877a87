/// The one table of key bindings. ``AppState`` dispatches keys through it, the footer shows its
/// rows for the current context and the help screen lists them, so the three cannot disagree.
/// DESIGN.md's conventions: `?`/F1 help, `q` quit, Tab between screens, arrows/PgUp/PgDn/Home/End,
/// `/` search, `s`/`S` sort, `p` pause, `f` freeze, `j` join, `l` leave, `x` hexdump, `d` doctor;
/// Enter opens the selected stream's detail (the only way to see it below 100 columns, where
/// there is no room for it beside the table) and Space shows a stream's sources.
public enum KeyMap {
    /// The bindings, in the order the footer and the help show them.
    public static let bindings: [KeyBinding] = [
        // Any screen
        KeyBinding([.character("q")], in: KeyContext.screensOutsideSend.union([.sendForm]), .quit, footer: always("quit"), help: "quit"),
        KeyBinding([.character("?")], in: KeyContext.screensOutsideSend.union([.sendForm, .streamDetail]), .showHelp, footer: always("help"), help: "this help"),
        KeyBinding([.f1], in: KeyContext.screens.union([.streamDetail]), .showHelp, help: "this help"),
        KeyBinding([.tab], in: KeyContext.screens, .nextScreen, footer: always("screen"), help: "next / previous screen"),
        KeyBinding([.backTab], in: KeyContext.screens, .previousScreen, help: "next / previous screen"),
        KeyBinding((1...ScreenID.allCases.count).map { .character(Character(String($0))) }, in: KeyContext.screensOutsideSend, .jumpToScreen,
                   label: "1-\(ScreenID.allCases.count)", help: "jump to a screen"),
        KeyBinding([.character("j")], in: KeyContext.screensOutsideSend, .openJoinForm, footer: always("join"), help: "join a group (form)"),
        // Groups
        KeyBinding([.character("x")], in: [.groups, .streamDetail], .inspect, footer: always("hexdump"), help: "inspect the selected stream (hexdump, decoded headers)"),
        KeyBinding([.character("l")], in: [.groups], .leave, footer: always("leave"), help: "leave the selected group"),
        KeyBinding([.character("s")], in: [.groups], .cycleSortColumn, footer: always("sort"), help: "sort column / direction"),
        KeyBinding([.character("S")], in: [.groups], .flipSortDirection, footer: always("sort"), help: "sort column / direction"),
        KeyBinding([.enter], in: [.groups], .openDetail, footer: always("detail"), help: "the selected stream's detail: graphs, decoded headers"),
        KeyBinding([.character(" ")], in: [.groups], .toggleSources, label: "Space", footer: always("sources"), help: "show a stream's sources"),
        // Stream detail (Enter on Groups)
        KeyBinding([.escape, .enter, .character("q")], in: [.streamDetail], .closeDetail, label: "Esc/q", footer: always("back"),
                   help: "back from the stream detail to the table"),
        KeyBinding([.up], in: [.streamDetail], .scrollDetail(.up), footer: always("scroll"), help: "scroll the stream detail"),
        KeyBinding([.down], in: [.streamDetail], .scrollDetail(.down), footer: always("scroll"), help: "scroll the stream detail"),
        KeyBinding([.pageUp], in: [.streamDetail], .scrollDetail(.pageUp), help: "scroll the stream detail"),
        KeyBinding([.pageDown], in: [.streamDetail], .scrollDetail(.pageDown), help: "scroll the stream detail"),
        KeyBinding([.home], in: [.streamDetail], .scrollDetail(.first), help: "scroll the stream detail"),
        KeyBinding([.end], in: [.streamDetail], .scrollDetail(.last), help: "scroll the stream detail"),
        KeyBinding([.character("/")], in: KeyContext.screensOutsideSend, .startSearch, footer: only(on: .groups, "search"), help: "filter streams"),
        KeyBinding([.character("p")], in: KeyContext.screensOutsideSend.union([.streamDetail]), .togglePause,
                   footer: { $0.screen == .groups ? ($0.paused ? "resume" : "pause") : nil }, help: "pause the display"),
        // Inspector
        KeyBinding([.left, .up, .character("k")], in: [.inspector], .stepPacket(.up), footer: always("packet"), help: "step through the inspected packets"),
        KeyBinding([.right, .down], in: [.inspector], .stepPacket(.down), footer: always("packet"), help: "step through the inspected packets"),
        KeyBinding([.home], in: [.inspector], .stepPacket(.first), help: "step through the inspected packets"),
        KeyBinding([.end], in: [.inspector], .stepPacket(.last), help: "step through the inspected packets"),
        KeyBinding([.character("f")], in: [.inspector], .toggleFreeze,
                   footer: { $0.inspector.frozenPackets == nil ? "freeze" : "unfreeze" }, help: "freeze the inspector"),
        KeyBinding([.escape], in: KeyContext.screens, .back, footer: only(on: .inspector, "back"), help: "back to Groups; clear the status line"),
        // Doctor, then the lists
        KeyBinding([.character("r")], in: [.doctor], .rerunDoctor, footer: always("re-run"), help: "re-run the doctor (Doctor screen)"),
        KeyBinding([.up], in: KeyContext.lists, .move(.up), footer: only(on: .doctor, "finding"), help: "move"),
        KeyBinding([.down], in: KeyContext.lists, .move(.down), footer: only(on: .doctor, "finding"), help: "move"),
        KeyBinding([.pageUp], in: KeyContext.lists, .move(.pageUp), help: "move"),
        KeyBinding([.pageDown], in: KeyContext.lists, .move(.pageDown), help: "move"),
        KeyBinding([.home], in: KeyContext.lists, .move(.first), help: "move"),
        KeyBinding([.end], in: KeyContext.lists, .move(.last), help: "move"),
        // Memberships
        KeyBinding([.character("r")], in: [.memberships], .refreshMemberships, footer: always("refresh"), help: "re-read memberships (Memberships screen)"),
        // Send
        KeyBinding([.enter], in: KeyContext.send, .startOrStopSender,
                   footer: { $0.send.sender?.running == true ? "stop" : "start" }, help: "start / stop sending (Send screen)"),
        KeyBinding([.up], in: KeyContext.send, .previousField, footer: always("field"), help: "move between the send form's fields"),
        KeyBinding([.down], in: KeyContext.send, .nextField, footer: always("field"), help: "move between the send form's fields"),
        // Any screen, rarely in the footer
        KeyBinding([.character("d")], in: KeyContext.screensOutsideSend, .runDoctor, footer: only(on: .interfaces, "doctor"), help: "doctor (runs it)"),
        KeyBinding([.character("m")], in: KeyContext.screensOutsideSend, .showMemberships, help: "memberships of this host"),
        // The join form
        KeyBinding([.tab, .down], in: [.joinForm], .nextField, footer: always("next field")),
        KeyBinding([.backTab, .up], in: [.joinForm], .previousField),
        KeyBinding([.enter], in: [.joinForm], .submitJoin, footer: always("join")),
        KeyBinding([.escape], in: [.joinForm], .cancelJoin, footer: always("cancel")),
        // The search line
        KeyBinding([.enter], in: [.search], .keepFilter, footer: always("keep filter")),
        KeyBinding([.escape], in: [.search], .clearFilter, footer: always("clear")),
        // Typing, wherever there is a field
        KeyBinding(printableIn: [.joinForm, .search, .sendForm, .sendFormTyping], .typeCharacter),
        KeyBinding([.backspace, .delete], in: [.joinForm, .search, .sendForm, .sendFormTyping], .deleteCharacter),
        // The help overlay
        KeyBinding([.escape, .character("?"), .f1, .character("q")], in: [.help], .closeHelp, footer: always("close")),
        KeyBinding([.up], in: [.help], .scrollHelp(.up), footer: always("scroll")),
        KeyBinding([.down], in: [.help], .scrollHelp(.down), footer: always("scroll")),
        KeyBinding([.pageUp], in: [.help], .scrollHelp(.pageUp)),
        KeyBinding([.pageDown], in: [.help], .scrollHelp(.pageDown)),
        KeyBinding([.home], in: [.help], .scrollHelp(.first)),
        KeyBinding([.end], in: [.help], .scrollHelp(.last)),
    ]

    /// The binding a key has in a context: one naming the key exactly, else a typing binding.
    public static func binding(for key: Key, in context: KeyContext) -> KeyBinding? {
        let candidates = bindings.filter { $0.contexts.contains(context) && $0.keys.matches(key) }
        return candidates.first { $0.keys != .printable } ?? candidates.first
    }

    /// One entry of the footer: the keys' names, what they do, and the bindings it shows.
    public struct FooterEntry: Sendable {
        public var keys: String
        public var text: String
        public var bindings: [KeyBinding]
    }

    /// The footer for a state: the bindings of the current context that have footer text there,
    /// in table order; neighbours with the same text share an entry (`s/S sort`).
    public static func footer(for state: AppState) -> [FooterEntry] {
        let context = state.keyContext
        var entries: [FooterEntry] = []
        for binding in bindings where binding.contexts.contains(context) {
            guard let text = binding.footer(state) else { continue }
            if let last = entries.last, last.text == text {
                entries[entries.count - 1].keys += "/" + binding.label
                entries[entries.count - 1].bindings.append(binding)
            } else {
                entries.append(FooterEntry(keys: binding.label, text: text, bindings: [binding]))
            }
        }
        return entries
    }

    /// One line of the help screen.
    public struct HelpLine: Sendable {
        public var keys: String
        public var text: String
        public var bindings: [KeyBinding]
    }

    /// The help screen: every binding with help text, in table order; neighbours with the same
    /// text share a line (`? F1  this help`).
    public static let helpLines: [HelpLine] = {
        var lines: [HelpLine] = []
        for binding in bindings {
            guard let text = binding.help else { continue }
            if let last = lines.last, last.text == text {
                lines[lines.count - 1].keys += " " + binding.label
                lines[lines.count - 1].bindings.append(binding)
            } else {
                lines.append(HelpLine(keys: binding.label, text: text, bindings: [binding]))
            }
        }
        return lines
    }()

    /// A footer text that does not depend on the state.
    private static func always(_ text: String) -> @Sendable (AppState) -> String? { { _ in text } }

    /// A footer text shown only on one screen, for a key that works on several.
    private static func only(on screen: ScreenID, _ text: String) -> @Sendable (AppState) -> String? { { $0.screen == screen ? text : nil } }
}
