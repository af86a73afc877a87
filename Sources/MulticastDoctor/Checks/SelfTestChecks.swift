import MulticastExpert

extension Examination {
    /// The self-test this request asks for, when it can run: probes from the first named
    /// interface to the second, on the first group. nil without two interfaces and a group.
    var selfTestRun: SelfTestRun? {
        guard interfaces.count >= 2, let group = request.groups.first else { return nil }
        return SelfTestRun(from: interfaces[0], to: interfaces[1], group: group, port: request.port ?? SelfTestRun.defaultPort)
    }

    /// What the self-test's count means: passed when any probe arrived, failed when none did.
    func selfTestFindings() -> [Finding] {
        guard let run = selfTestRun else {
            return [Finding(id: "selftest.not-run", severity: .info, summary: "self-test needs two interfaces (--iface twice) and a group",
                            explanation: "It sends probes out of the first interface and listens for them on the second, e.g. two NICs cabled together.")]
        }
        guard let result = selfTest else {
            return [Finding(id: "selftest.not-run", severity: .info, group: "\(run.group)", summary: "self-test was not run",
                            explanation: "The doctor was given a described host; the self-test sends real probes and runs only against the live one.")]
        }
        let from = shown(run.from.name), to = shown(run.to.name), group = run.group
        switch result {
        case .ran(let sent, let received, _) where received > 0:
            return [Finding(id: "selftest.passed", severity: .ok, interface: run.to.name, group: "\(group)",
                            summary: "self-test: \(received) of \(sent) probes sent on \(from) arrived on \(to)",
                            explanation: "The path from \(from) to \(to) carries \(group) port \(run.port).")]
        case .ran(let sent, _, let sender):
            return [Finding(id: "selftest.failed", severity: .fail, interface: run.to.name, group: "\(group)", source: "\(sender)",
                            summary: "self-test: none of \(sent) probes sent on \(from) from \(sender) arrived on \(to)",
                            explanation: "See the other findings for \(to): rp_filter, accept_local (two NICs of one host), the firewall, or the link itself.")]
        case .couldNotRun(let error):
            return [Finding(id: "selftest.error", severity: .fail, group: "\(group)", summary: "self-test could not run: \(shown(error))",
                            explanation: "Opening the sockets for the self-test failed.")]
        }
    }
}
