import MulticastExpert
import MulticastMonitor

extension Examination {
    /// Sends probes on the first interface and listens on the second: does anything get through?
    func selfTestFindings() -> [Finding] {
        let named = interfaces
        guard named.count >= 2, let group = request.groups.first else {
            return [Finding(id: "selftest.not-run", severity: .info, summary: "self-test needs two interfaces (--iface twice) and a group",
                            explanation: "It sends probes out of the first interface and listens for them on the second, e.g. two NICs cabled together.")]
        }
        let from = named[0], to = named[1]
        let port = request.port ?? 45_678
        do {
            let rx = try McastRxSocket(groups: [group], port: port, interfaces: [.index(to.index)], mode: .timeout(.milliseconds(300)),
                                       interfaceTable: host.interfaces)
            let tx = try McastTxSocket(groups: [group], interface: .index(from.index), interfaces: host.interfaces)
            let sender = PacedSender(socket: tx, group: group, port: port, rate: .perSecond(100), payload: .probe, size: 64)
            let report = try sender.run(count: 20)
            let received = try SelfTestTally.countOwnProbes(senderID: report.senderID ?? sender.senderID, sent: report.sent,
                                                        until: monotonicNanoseconds().addingSaturating(SelfTestTally.receiveWindow.saturatingNanoseconds)) {
                try rx.receive()?.payload
            }
            if received > 0 {
                return [Finding(id: "selftest.passed", severity: .ok, interface: to.name, group: "\(group)",
                                summary: "self-test: \(received) of \(report.sent) probes sent on \(shown(from.name)) arrived on \(shown(to.name))",
                                explanation: "The path from \(shown(from.name)) to \(shown(to.name)) carries \(group) port \(port).")]
            }
            return [Finding(id: "selftest.failed", severity: .fail, interface: to.name, group: "\(group)", source: "\(tx.localAddress.address)",
                            summary: "self-test: none of \(report.sent) probes sent on \(shown(from.name)) from \(tx.localAddress.address) arrived on \(shown(to.name))",
                            explanation: "See the other findings for \(shown(to.name)): rp_filter, accept_local (two NICs of one host), the firewall, or the link itself.")]
        } catch {
            return [Finding(id: "selftest.error", severity: .fail, group: "\(group)", summary: "self-test could not run: \(shown("\(error)"))",
                            explanation: "Opening the sockets for the self-test failed.")]
        }
    }
}

/// Counting the self-test's probes: only those of its own sender, each sequence number once,
/// and only until a deadline, so other traffic on the group (a flood, another sender's probes,
/// replays) neither inflates the count nor keeps the doctor waiting.
enum SelfTestTally {
    /// How long to keep receiving after the last probe was sent.
    static let receiveWindow: Duration = .seconds(1)

    /// Reads payloads from `next` (nil: nothing more arrived within the socket's timeout) until
    /// `deadline` (monotonic nanoseconds) and counts the distinct probes of `senderID` with a
    /// sequence number below `sent`.
    static func countOwnProbes(senderID: UInt64, sent: UInt64, until deadline: Int64, _ next: () throws -> [UInt8]?) rethrows -> Int {
        var seen = Set<UInt64>()
        while monotonicNanoseconds() < deadline, UInt64(seen.count) < sent, let payload = try next() {
            guard let probe = ProbeHeader(decoding: payload), probe.senderID == senderID, probe.sequence < sent else { continue }
            seen.insert(probe.sequence)
        }
        return seen.count
    }
}
