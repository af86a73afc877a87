import MulticastMonitor
import MulticastText

/// How bad a finding is. Ordered: `ok < info < warn < fail`.
public enum Severity: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// Checked and fine.
    case ok
    /// Worth knowing; not a problem by itself.
    case info
    /// Likely to cause trouble in some setups.
    case warn
    /// Will stop multicast from arriving (or from being sent).
    case fail

    public var description: String {
        switch self {
        case .ok: "ok"
        case .info: "info"
        case .warn: "warn"
        case .fail: "fail"
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}

/// One thing the doctor found: stable id, severity, what it is about, and what to do.
public struct Finding: Sendable, Hashable {
    /// A stable identifier scripts can match on, e.g. `rp_filter.source-dropped`.
    public var id: String
    public var severity: Severity
    /// The interface, group and source the finding is about, where it is about one.
    public var interface: String?
    public var group: String?
    public var source: String?
    /// One line.
    public var summary: String
    /// A few sentences in plain words: why it matters.
    public var explanation: String
    /// A shell command that fixes it, when there is one. The doctor never runs it.
    public var fix: String?

    public init(id: String, severity: Severity, interface: String? = nil, group: String? = nil, source: String? = nil,
                summary: String, explanation: String, fix: String? = nil) {
        self.id = id
        self.severity = severity
        self.interface = interface
        self.group = group
        self.source = source
        self.summary = summary
        self.explanation = explanation
        self.fix = fix
    }
}

extension Array where Element == Finding {
    /// Worst first; within a severity, by interface, then id.
    public func sortedWorstFirst() -> [Finding] {
        sorted { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            if (a.interface ?? "") != (b.interface ?? "") { return (a.interface ?? "") < (b.interface ?? "") }
            return a.id < b.id
        }
    }

    /// The worst severity present (`ok` for an empty list).
    public var worst: Severity { map(\.severity).max() ?? .ok }
}

/// Outside text (an interface name, a rule line, /proc content) as the doctor embeds it in a
/// finding's summary or explanation: through ``TerminalText/sanitize(_:)``, so text and JSON
/// output both carry the visible escapes. The `interface`, `group` and `source` fields stay raw
/// for scripts that match on them; printers sanitise those themselves.
func shown(_ text: String) -> String { TerminalText.sanitize(text) }

/// A value (interface name, address) as one shell word in a `fix:` command.
func arg(_ value: String) -> String { ShellQuote.word(value) }
