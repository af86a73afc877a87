import MulticastExpert

extension Examination {
    /// Who sends membership queries on each interface, how often, and whether the kernel accepts
    /// them; or that this process could not listen.
    func querierFindings(_ observation: QuerierObservation) -> [Finding] {
        let seconds = Double(observation.duration.saturatingNanoseconds) / 1e9
        switch observation.result {
        case .notPermitted:
            return [Finding(id: "querier.needs-cap-net-raw", severity: .info, summary: "cannot listen for IGMP/MLD queriers: needs CAP_NET_RAW",
                            explanation: "Listening to queries on the wire needs a packet socket. Run the doctor as root, or grant the capability.",
                            fix: "sudo mcexpert doctor --querier-wait \(Int(saturating: seconds.rounded(.up)))")]
        case .heard(let log):
            return querierFindings(log, listenedSeconds: seconds)
        }
    }

    /// The findings for what a listen heard: per interface and family, each querier with its
    /// version and interval, and whether rp_filter drops its queries.
    func querierFindings(_ log: QuerierLog, listenedSeconds seconds: Double) -> [Finding] {
        var findings: [Finding] = []
        for interface in interfaces where !interface.isLoopback {
            let name = shown(interface.name)
            for family in families {
                let here = log.entries.filter { $0.interfaceIndex == Int(interface.index) && $0.source.family == family }
                let protocolName = family == .ipv4 ? "IGMP" : "MLD"
                guard !here.isEmpty else {
                    findings.append(Finding(id: "querier.none", severity: .warn, interface: interface.name,
                                            summary: "no \(protocolName) querier heard on \(name) in \(formatSeconds(seconds)) s",
                                            explanation: "Without a querier, IGMP-snooping switches drop memberships after about 260 s (the classic 'works for four minutes'). Enable the querier on a switch or router of this network. (Queriers usually query every 125 s: listen at least that long to be sure.)"))
                    continue
                }
                var bySource: [IPAddress: [QuerierLog.Entry]] = [:]
                for entry in here { bySource[entry.source, default: []].append(entry) }
                for (source, entries) in bySource.sorted(by: { $0.key < $1.key }) {
                    guard let latest = entries.max(by: { $0.lastHeardAt < $1.lastHeardAt }),
                          let first = entries.map(\.firstHeardAt).min(), let last = entries.map(\.lastHeardAt).max() else { continue }
                    let count = entries.reduce(0) { $0.addingSaturating($1.count) }
                    let span = last.subtractingReportingOverflow(first)
                    let observed = count > 1 && !span.overflow ? Double(span.partialValue) / 1e9 / Double(count - 1) : nil
                    var interval = observed.map { "every ~\(formatSeconds($0)) s" } ?? "once"
                    if let advertised = latest.advertisedInterval { interval += ", advertised interval \(advertised) s" }
                    let alert = latest.routerAlert ? "" : ", without the Router Alert option"
                    findings.append(Finding(id: "querier.heard", severity: .ok, interface: interface.name, source: "\(source)",
                                            summary: "\(latest.version) querier \(source) heard on \(name) (\(count) quer\(count == 1 ? "y" : "ies"), \(interval)\(alert))",
                                            explanation: "A querier keeps switches' membership tables fresh; this host answers it as long as it accepts its queries."))
                    // The kernel skips the reverse-path check for IGMP from 0.0.0.0 (a bridge querier without an address).
                    guard source != .v4(IPv4Address(0)) else { continue }
                    let verdict = host.reversePathVerdict(source: source, arrivingOn: interface.name)
                    if verdict.isDropped {
                        findings.append(Finding(id: "querier.rp-filter-drops", severity: .fail, interface: interface.name, source: "\(source)",
                                                summary: "queries from \(source) are dropped by rp_filter on \(name): this host never answers them",
                                                explanation: "The querier's address is not routable back via \(name), so reverse-path filtering discards its queries. The host stops reporting its memberships and snooping switches cut the traffic after a few minutes. Give the querier an address in this subnet, add a route, or relax rp_filter.",
                                                fix: "ip route add \(arg("\(source)/32")) dev \(arg(interface.name))    # or: "
                                                    + SysctlName.write([("net.ipv4.conf.all.rp_filter", "0"), (SysctlName.ipv4Conf(interface.name, "rp_filter"), "0")])))
                    }
                }
            }
        }
        if log.overflow > 0 {
            findings.append(Finding(id: "querier.log-full", severity: .warn,
                                    summary: "more than \(log.capacity) different queriers heard: \(log.overflow) further queries were not recorded",
                                    explanation: "A healthy link has one querier per protocol. Hundreds of sources sending well-formed queries look like a misconfigured network or forged traffic."))
        }
        return findings
    }
}

func formatSeconds(_ value: Double) -> String {
    let tenths = Int(saturating: (value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}
