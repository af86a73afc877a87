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
    /// `/`: moves the cursor to the rows that contain its text.
    public var search = ListSearch()

    public init() {}

    /// The worst finding per interface name, for the Interfaces screen's badge.
    public var badges: [String: Severity] {
        var badges: [String: Severity] = [:]
        for finding in findings { if let name = finding.interface { badges[name] = max(badges[name] ?? .ok, finding.severity) } }
        return badges
    }

    /// Starts a run for the interfaces and groups in use (all interfaces when none is named),
    /// with the streams that are arriving, or returns nil when one is already running.
    mutating func requestRun(for snapshot: MonitorSnapshot?) -> Effect? {
        guard !running else { return nil }
        running = true
        let subscriptions = snapshot?.subscriptions.values.map { $0 } ?? []
        let interfaces = Array(Set(subscriptions.flatMap { $0.interfaces.map(\.description) })).sorted()
        let groups = Array(Set(subscriptions.flatMap(\.groups))).sorted()
        return .runDoctor(interfaces: interfaces, groups: groups, receiving: Self.receiving(in: snapshot))
    }

    /// The streams arriving now (a datagram within the stale limit), once per group and
    /// interface, in the snapshot's order: what the doctor takes as proof a path works.
    static func receiving(in snapshot: MonitorSnapshot?) -> [ReceivedStream] {
        var received: [ReceivedStream] = []
        for stream in snapshot?.streams ?? [] where stream.packets > 0 && !StreamSeverity.isStale(stream) {
            let entry = ReceivedStream(group: stream.key.group, interface: stream.key.interfaceName)
            if !received.contains(entry) { received.append(entry) }
        }
        return received
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
