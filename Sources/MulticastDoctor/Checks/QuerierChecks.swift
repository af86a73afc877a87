import MulticastExpert

extension Examination {
    /// What a listen for IGMP/MLD heard, judged by ``IGMPState/findings(at:interfaces:families:)``
    /// with this host's facts (the one implementation the CLI's `igmp` command and the TUI use
    /// too); or that this process could not listen.
    func querierFindings(_ observation: QuerierObservation) -> [Finding] {
        let seconds = Double(observation.duration.saturatingNanoseconds) / 1e9
        switch observation.result {
        case .notPermitted:
            return [Finding(id: "querier.needs-cap-net-raw", severity: .info, summary: "cannot listen for IGMP/MLD queriers: needs CAP_NET_RAW",
                            explanation: "Listening to queries on the wire needs a packet socket. Run the doctor as root, or grant the capability.",
                            fix: "sudo mcexpert doctor --querier-wait \(Int(saturating: seconds.rounded(.up)))")]
        case .heard(var state):
            state.host = IGMPHostFacts(host: host)
            let end = max(state.startedAt.addingSaturating(observation.duration.saturatingNanoseconds), state.latestAt)
            return state.findings(at: end, interfaces: interfaces.filter { !$0.isLoopback }, families: families)
        }
    }
}
