import MulticastDoctor
import MulticastExpert
import MulticastMonitor

/// The Doctor screen: the last findings, whether a run is under way, and the selected finding.
/// At most one doctor runs at a time: ``requestRun(for:)`` refuses while ``running`` is set, so
/// every path that clears it (finished, failed, thread not started) must come through here.
public struct DoctorScreen: Sendable, Hashable {
    public var findings: [Finding] = []
    public var running = false
    public var hasRun = false
    public var cursor = ListCursor()

    public init() {}

    /// The worst finding per interface name, for the Interfaces screen's badge.
    public var badges: [String: Severity] {
        var badges: [String: Severity] = [:]
        for finding in findings { if let name = finding.interface { badges[name] = max(badges[name] ?? .ok, finding.severity) } }
        return badges
    }

    /// Starts a run for the interfaces and groups in use (all interfaces when none is named),
    /// or returns nil when one is already running.
    mutating func requestRun(for snapshot: MonitorSnapshot?) -> Effect? {
        guard !running else { return nil }
        running = true
        let subscriptions = snapshot?.subscriptions.values.map { $0 } ?? []
        let interfaces = Array(Set(subscriptions.flatMap { $0.interfaces.map(\.description) })).sorted()
        let groups = Array(Set(subscriptions.flatMap(\.groups))).sorted()
        return .runDoctor(interfaces: interfaces, groups: groups)
    }

    /// Takes a finished run's findings; returns the status line summarising them.
    mutating func finish(_ findings: [Finding]) -> StatusMessage {
        self.findings = findings
        running = false
        hasRun = true
        cursor.clamp(count: findings.count)
        let worst = findings.worst
        let fails = findings.filter { $0.severity == .fail }.count, warns = findings.filter { $0.severity == .warn }.count
        return StatusMessage(text: "doctor: \(fails) fail, \(warns) warn", style: worst == .fail ? .fail : worst == .warn ? .warn : .ok)
    }

    /// Ends a run that could not finish (or never started); returns the status line saying why.
    mutating func fail(_ reason: String) -> StatusMessage {
        running = false
        return StatusMessage(text: "doctor: \(reason)", style: .error)
    }
}
