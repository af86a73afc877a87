import MulticastExpert

extension Examination {
    /// Who sends membership queries on each interface, how often, and whether the kernel accepts them.
    func querierFindings() -> [Finding] {
        let seconds = Double(request.querierWait.components.seconds) + Double(request.querierWait.components.attoseconds) / 1e18
        switch QuerierListener.listen(for: request.querierWait) {
        case .notPermitted:
            return [Finding(id: "querier.needs-cap-net-raw", severity: .info, summary: "cannot listen for IGMP/MLD queriers: needs CAP_NET_RAW",
                            explanation: "Listening to queries on the wire needs a packet socket. Run the doctor as root, or grant the capability.",
                            fix: "sudo mcexpert doctor --querier-wait \(Int(seconds.rounded(.up)))")]
        case .heard(let queries):
            var findings: [Finding] = []
            for interface in interfaces where !interface.isLoopback {
                for family in families {
                    let here = queries.filter { $0.interfaceIndex == Int(interface.index) && $0.source.family == family }
                    let protocolName = family == .ipv4 ? "IGMP" : "MLD"
                    guard !here.isEmpty else {
                        findings.append(Finding(id: "querier.none", severity: .warn, interface: interface.name,
                                                summary: "no \(protocolName) querier heard on \(interface.name) in \(formatSeconds(seconds)) s",
                                                explanation: "Without a querier, IGMP-snooping switches drop memberships after about 260 s (the classic 'works for four minutes'). Enable the querier on a switch or router of this network. (Queriers usually query every 125 s: listen at least that long to be sure.)"))
                        continue
                    }
                    var bySource: [IPAddress: [HeardQuery]] = [:]
                    for query in here { bySource[query.source, default: []].append(query) }
                    for (source, list) in bySource.sorted(by: { $0.key < $1.key }) {
                        let times = list.map(\.heardAt).sorted()
                        let observed = times.count > 1 ? Double(times.last! - times.first!) / 1e9 / Double(times.count - 1) : nil
                        var interval = observed.map { "every ~\(formatSeconds($0)) s" } ?? "once"
                        if let advertised = list.last?.advertisedInterval { interval += ", advertised interval \(advertised) s" }
                        let version = list.last!.version
                        findings.append(Finding(id: "querier.heard", severity: .ok, interface: interface.name, source: "\(source)",
                                                summary: "\(version) querier \(source) heard on \(interface.name) (\(list.count) quer\(list.count == 1 ? "y" : "ies"), \(interval))",
                                                explanation: "A querier keeps switches' membership tables fresh; this host answers it as long as it accepts its queries."))
                        let verdict = host.reversePathVerdict(source: source, arrivingOn: interface.name)
                        if verdict.isDropped {
                            findings.append(Finding(id: "querier.rp-filter-drops", severity: .fail, interface: interface.name, source: "\(source)",
                                                    summary: "queries from \(source) are dropped by rp_filter on \(interface.name): this host never answers them",
                                                    explanation: "The querier's address is not routable back via \(interface.name), so reverse-path filtering discards its queries. The host stops reporting its memberships and snooping switches cut the traffic after a few minutes. Give the querier an address in this subnet, add a route, or relax rp_filter.",
                                                    fix: "ip route add \(source)/32 dev \(interface.name)    # or: sysctl -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.\(interface.name).rp_filter=0"))
                        }
                    }
                }
            }
            return findings
        }
    }
}

func formatSeconds(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
