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
            let report = try PacedSender(socket: tx, group: group, port: port, rate: .perSecond(100), payload: .probe, size: 64).run(count: 20)
            var received = 0
            while let datagram = try rx.receive(), received < 100 {
                if ProbeHeader(decoding: datagram.payload) != nil { received += 1 }
            }
            if received > 0 {
                return [Finding(id: "selftest.passed", severity: .ok, interface: to.name, group: "\(group)",
                                summary: "self-test: \(received) of \(report.sent) probes sent on \(from.name) arrived on \(to.name)",
                                explanation: "The path from \(from.name) to \(to.name) carries \(group) port \(port).")]
            }
            return [Finding(id: "selftest.failed", severity: .fail, interface: to.name, group: "\(group)", source: "\(tx.localAddress.address)",
                            summary: "self-test: none of \(report.sent) probes sent on \(from.name) from \(tx.localAddress.address) arrived on \(to.name)",
                            explanation: "See the other findings for \(to.name): rp_filter, accept_local (two NICs of one host), the firewall, or the link itself.")]
        } catch {
            return [Finding(id: "selftest.error", severity: .fail, group: "\(group)", summary: "self-test could not run: \(error)",
                            explanation: "Opening the sockets for the self-test failed.")]
        }
    }
}
