/// The one table of key bindings. ``AppState`` dispatches keys through it, the footer shows its
/// rows for the current context and the help screen lists them, so the three cannot disagree.
/// DESIGN.md's conventions: `?`/F1 help, `q` quit, Tab between screens, arrows/PgUp/PgDn/Home/End,
/// `/` search, `s`/`S` sort, `p` pause, `f` freeze, `j` join, `l` leave, `x` hexdump, `d` doctor;
/// from less and htop, `n`/`N` for the next and previous match and `g`/`G` for the top and the
/// bottom. Enter opens the selected stream's detail (the only way to see it below 100 columns,
/// where there is no room for it beside the table) and Space shows a stream's sources.
public enum KeyMap {
    /// The bindings, in the order the footer and the help show them.
    public static let bindings: [KeyBinding] = [
        // Any screen
        KeyBinding([.character("q")], in: KeyContext.screensOutsideSend.union([.sendForm]), .quit, footer: always("quit"), rank: .essential, help: "quit"),
        KeyBinding([.character("?")], in: KeyContext.screensOutsideSend.union([.sendForm, .streamDetail]), .showHelp, footer: always("help"), rank: .essential,
                   help: "this help"),
        KeyBinding([.f1], in: KeyContext.screens.union([.streamDetail]), .showHelp, help: "this help"),
        KeyBinding([.tab], in: KeyContext.screens, .nextScreen, footer: always("screen"), rank: .general, help: "next / previous screen"),
        KeyBinding([.backTab], in: KeyContext.screens, .previousScreen, help: "next / previous screen"),
        KeyBinding((1...ScreenID.allCases.count).map { .character(Character(String($0))) }, in: KeyContext.screensOutsideSend, .jumpToScreen,
                   label: "1-\(ScreenID.allCases.count)", help: "jump to a screen"),
        KeyBinding([.character("j")], in: KeyContext.screensOutsideSend, .openJoinForm, footer: always("join"), rank: .general, help: "join a group (form)"),
        KeyBinding([.character("w")], in: KeyContext.screensOutsideSend, .openSaveForm, footer: only(on: .groups, "save"), rank: .general,
                   help: "save the joins as a stream list (mcexpert tui/listen --streams FILE)"),
        // Groups
        KeyBinding([.character("x")], in: [.groups, .streamDetail], .inspect, footer: always("hexdump"), help: "inspect the selected stream (hexdump, decoded headers)"),
        KeyBinding([.character("l")], in: [.groups], .leave, footer: always("leave"), help: "leave the selected group"),
        KeyBinding([.character("s")], in: [.groups], .cycleSortColumn, footer: always("sort"), help: "sort column / direction (or click a column's title)"),
        KeyBinding([.character("S")], in: [.groups], .flipSortDirection, footer: always("sort"), help: "sort column / direction (or click a column's title)"),
        KeyBinding([.enter], in: [.groups], .openDetail, footer: always("detail"), help: "the selected stream's detail: graphs, decoded headers (or double-click)"),
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
        // Searching the lists
        KeyBinding([.character("/")], in: KeyContext.lists, .startSearch, footer: { $0.currentSearch?.text.isEmpty == false ? nil : "search" },
                   help: "search the list (on Groups: filter the streams)"),
        KeyBinding([.character("n")], in: KeyContext.lists, .nextMatch, footer: { $0.currentSearch?.text.isEmpty == false ? "next" : nil },
                   help: "next / previous match of the search"),
        KeyBinding([.character("N")], in: KeyContext.lists, .previousMatch, footer: { $0.currentSearch?.text.isEmpty == false ? "next" : nil },
                   help: "next / previous match of the search"),
        KeyBinding([.character("p")], in: KeyContext.screensOutsideSend.union([.streamDetail]), .togglePause,
                   footer: { [.groups, .igmp, .mesh].contains($0.screen) ? ($0.paused ? "resume" : "pause") : nil }, rank: .general, help: "pause the display"),
        // Inspector
        KeyBinding([.left, .up, .character("k")], in: [.inspector], .stepPacket(.up), footer: always("packet"), help: "step through the inspected packets"),
        KeyBinding([.right, .down], in: [.inspector], .stepPacket(.down), footer: always("packet"), help: "step through the inspected packets"),
        KeyBinding([.pageUp], in: [.inspector], .stepPacket(.pageUp), help: "step through the inspected packets"),
        KeyBinding([.pageDown], in: [.inspector], .stepPacket(.pageDown), help: "step through the inspected packets"),
        KeyBinding([.home], in: [.inspector], .stepPacket(.first), help: "step through the inspected packets"),
        KeyBinding([.end], in: [.inspector], .stepPacket(.last), help: "step through the inspected packets"),
        KeyBinding([.character("f")], in: [.inspector], .toggleFreeze,
                   footer: { $0.inspector.frozenPackets == nil ? "freeze" : "unfreeze" }, help: "freeze the inspector"),
        KeyBinding([.escape], in: KeyContext.screens, .back, footer: only(on: .inspector, "back"), help: "back to Groups; clear the status line"),
        // Doctor and IGMP/MLD, then the lists
        KeyBinding([.character("r")], in: [.doctor], .rerunDoctor, footer: always("re-run"), help: "re-run the doctor (Doctor screen)"),
        KeyBinding([.character("r")], in: [.igmp], .resetIGMP, footer: always("reset"), help: "forget what was heard and listen afresh (IGMP/MLD screen)"),
        // Mesh: the arrows up and down choose the receiver (the lists' keys), left and right the sender
        KeyBinding([.enter], in: [.mesh], .startOrStopMesh, footer: { $0.mesh.isRunning ? "stop" : "start" },
                   help: "start a mesh (a form: group, interface, name, rate) / stop it (Mesh screen)"),
        KeyBinding([.left], in: [.mesh], .selectSender(.up), footer: always("sender"), help: "the previous / next sender, the matrix's columns (Mesh screen)"),
        KeyBinding([.right], in: [.mesh], .selectSender(.down), footer: always("sender"), help: "the previous / next sender, the matrix's columns (Mesh screen)"),
        KeyBinding([.up], in: KeyContext.lists, .move(.up), footer: moveFooter, help: "move"),
        KeyBinding([.down], in: KeyContext.lists, .move(.down), footer: moveFooter, help: "move"),
        KeyBinding([.pageUp], in: KeyContext.lists, .move(.pageUp), help: "move"),
        KeyBinding([.pageDown], in: KeyContext.lists, .move(.pageDown), help: "move"),
        KeyBinding([.home], in: KeyContext.lists, .move(.first), help: "move"),
        KeyBinding([.end], in: KeyContext.lists, .move(.last), help: "move"),
        // Top and bottom of whatever scrolls, as in less
        KeyBinding([.character("g")], in: KeyContext.lists.union([.streamDetail, .inspector, .help]), .jump(.first), footer: onLists("top/end"), rank: .general,
                   help: "top / bottom: the first or last row, packet or line"),
        KeyBinding([.character("G")], in: KeyContext.lists.union([.streamDetail, .inspector, .help]), .jump(.last), footer: onLists("top/end"), rank: .general,
                   help: "top / bottom: the first or last row, packet or line"),
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
        KeyBinding([.tab, .down], in: [.joinForm, .meshForm], .nextField, footer: always("next field")),
        KeyBinding([.backTab, .up], in: [.joinForm, .meshForm], .previousField),
        KeyBinding([.enter], in: [.joinForm], .submitJoin, footer: always("join")),
        KeyBinding([.escape], in: [.joinForm], .cancelJoin, footer: always("cancel")),
        // The mesh's start form
        KeyBinding([.enter], in: [.meshForm], .submitMesh, footer: always("start")),
        KeyBinding([.escape], in: [.meshForm], .cancelMesh, footer: always("cancel")),
        // The save form
        KeyBinding([.enter], in: [.saveForm], .submitSave, footer: always("save")),
        KeyBinding([.escape], in: [.saveForm], .cancelSave, footer: always("cancel")),
        // The search line
        KeyBinding([.enter], in: [.search], .keepFilter, footer: always("keep")),
        KeyBinding([.escape], in: [.search], .clearFilter, footer: always("clear")),
        // Typing, wherever there is a field
        KeyBinding(printableIn: [.joinForm, .meshForm, .saveForm, .search, .sendForm, .sendFormTyping], .typeCharacter),
        KeyBinding([.backspace, .delete], in: [.joinForm, .meshForm, .saveForm, .search, .sendForm, .sendFormTyping], .deleteCharacter),
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
        /// How long it holds on when the footer is too long: its first binding's.
        public var rank: KeyBinding.FooterRank { bindings.first?.rank ?? .screen }
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

    /// The footer as drawn on a terminal `width` wide: each entry and its first column. Entries
    /// are two spaces apart, one when that does not fit; then keys that work everywhere (Tab, j,
    /// p, g/G) give way, and last the screen's own keys from the end, with `cut` set so the line
    /// ends with an ellipsis (room for the widest, `...`, is kept). The bottom-right cell is left
    /// free: the terminal cannot draw it.
    public static func footerLine(for state: AppState, width: Int) -> (entries: [(entry: FooterEntry, x: Int)], cut: Bool) {
        var entries = footer(for: state)
        func length(_ entries: [FooterEntry], gap: Int) -> Int {
            entries.reduce(0) { $0 + $1.keys.count + 1 + $1.text.count } + max(entries.count - 1, 0) * gap
        }
        func placed(gap: Int) -> [(entry: FooterEntry, x: Int)] {
            var x = 0
            return entries.map { entry in
                defer { x += entry.keys.count + 1 + entry.text.count + gap }
                return (entry, x)
            }
        }
        let room = width - 1
        if length(entries, gap: 2) <= room { return (placed(gap: 2), false) }
        while length(entries, gap: 1) > room, let i = entries.lastIndex(where: { $0.rank == .general }) { entries.remove(at: i) }
        var cut = false
        while length(entries, gap: 1) + (cut ? 4 : 0) > room, let i = entries.lastIndex(where: { $0.rank < .essential }) {
            entries.remove(at: i)
            cut = true
        }
        return (placed(gap: 1), cut)
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

    /// A footer text shown on the list screens only, for a key that works elsewhere too.
    private static func onLists(_ text: String) -> @Sendable (AppState) -> String? { { KeyContext.lists.contains($0.keyContext) ? text : nil } }

    /// The arrows' footer text: what they select on the screens with a detail of the selected row.
    private static let moveFooter: @Sendable (AppState) -> String? = { state in
        switch state.screen {
        case .doctor: "finding"
        case .igmp: "select"
        case .mesh: "receiver"
        default: nil
        }
    }

    /// A footer text shown only on one screen, for a key that works on several.
    private static func only(on screen: ScreenID, _ text: String) -> @Sendable (AppState) -> String? { { $0.screen == screen ? text : nil } }
}
