import MulticastExpert

extension Examination {
    /// The effective rp_filter per interface, and for every given source, whether its packets pass.
    func reversePathFindings() -> [Finding] {
        guard families.contains(.ipv4) else { return [] }
        var findings: [Finding] = []
        let hasDefault = RoutingTable.lookup(.v4(IPv4Address(0)), in: host.routes4)?.prefixLength == 0
        for interface in interfaces where !interface.isLoopback {
            let name = shown(interface.name), raw = interface.name
            let setting = host.effectiveReversePathFilter(raw)
            let modeName = setting.value == 0 ? "off (0)" : setting.value == 1 ? "strict (1)" : "loose (2)"
            findings.append(Finding(id: "rp_filter.mode", severity: .info, interface: raw, summary: "reverse-path filtering on \(name) is \(modeName), set by \(shown(setting.decidedBy))",
                                    explanation: "The kernel applies the stricter of net.ipv4.conf.all.rp_filter and the interface's own value. Strict drops packets whose source is not routed back via the same interface; loose drops packets whose source has no route at all."))
            let sources = request.sources.filter { $0.family == .ipv4 && host.owner(of: $0) == nil }
            if sources.isEmpty && setting.value == 2 && !hasDefault {
                findings.append(Finding(id: "rp_filter.loose-no-default", severity: .warn, interface: raw,
                                        summary: "loose rp_filter on \(name) and no default route: multicast from senders outside this host's subnets is dropped",
                                        explanation: "Multicast does not care about subnets, but loose reverse-path filtering drops any packet whose source address this host has no route to. A default route makes every source routable.",
                                        fix: "ip route add default dev \(arg(raw))    # or: " + SysctlName.write([("net.ipv4.conf.all.rp_filter", "0"), (SysctlName.ipv4Conf(raw, "rp_filter"), "0")])))
            }
            if sources.isEmpty && setting.value == 1 {
                findings.append(Finding(id: "rp_filter.strict", severity: .warn, interface: raw,
                                        summary: "strict rp_filter on \(name): multicast is accepted only from senders routed back via \(name)",
                                        explanation: "Strict reverse-path filtering drops a packet unless the route back to its source leaves by the interface it came in on. Senders in other subnets, or reached by the default route via another interface, are dropped silently. Name the sender with --source for a verdict.",
                                        fix: SysctlName.write([("net.ipv4.conf.all.rp_filter", "2"), (SysctlName.ipv4Conf(raw, "rp_filter"), "2")])))
            }
            for source in sources {
                switch host.reversePathVerdict(source: source, arrivingOn: raw) {
                case .notFiltered:
                    findings.append(Finding(id: "rp_filter.source-ok", severity: .ok, interface: raw, source: "\(source)",
                                            summary: "packets from \(source) on \(name) are not reverse-path filtered", explanation: "rp_filter is off on \(name)."))
                case .passes(let route):
                    findings.append(Finding(id: "rp_filter.source-ok", severity: .ok, interface: raw, source: "\(source)",
                                            summary: "packets from \(source) on \(name) pass rp_filter (route back: \(shown(route.description)))",
                                            explanation: "The route back to the sender satisfies the \(modeName) check."))
                case .droppedNoRoute:
                    findings.append(Finding(id: "rp_filter.source-dropped", severity: .fail, interface: raw, source: "\(source)",
                                            summary: "packets from \(source) arriving on \(name) are dropped: no route back to \(source) (rp_filter \(modeName))",
                                            explanation: "tcpdump will show the packets, but the kernel discards them before any socket sees them, because it has no route to the sender's address. Add a route to the sender via \(name), or relax reverse-path filtering (the kernel uses the stricter of 'all' and '\(name)').",
                                            fix: "ip route add \(arg("\(source)/32")) dev \(arg(raw))    # or: " + SysctlName.write([("net.ipv4.conf.all.rp_filter", "0"), (SysctlName.ipv4Conf(raw, "rp_filter"), "0")])))
                case .droppedWrongInterface(let route):
                    findings.append(Finding(id: "rp_filter.source-dropped", severity: .fail, interface: raw, source: "\(source)",
                                            summary: "packets from \(source) arriving on \(name) are dropped: strict rp_filter and the route back leaves by \(shown(route.interfaceName))",
                                            explanation: "In strict mode the route back to the sender must use the interface the packet came in on; here it is \(shown(route.description)). Switch to loose mode or route the sender via \(name).",
                                            fix: SysctlName.write([("net.ipv4.conf.all.rp_filter", "2"), (SysctlName.ipv4Conf(raw, "rp_filter"), "2")]) + "    # or: ip route add \(arg("\(source)/32")) dev \(arg(raw))"))
                }
            }
        }
        return findings
    }

    /// Sources that are this host's own addresses on another interface need accept_local.
    func acceptLocalFindings() -> [Finding] {
        var findings: [Finding] = []
        for interface in interfaces where !interface.isLoopback {
            for source in request.sources where source.family == .ipv4 {
                guard let owner = host.owner(of: source), owner.index != interface.index else { continue }
                let setting = host.effectiveAcceptLocal(interface.name)
                let name = shown(interface.name)
                if setting.value == 0 {
                    findings.append(Finding(id: "accept_local.off", severity: .fail, interface: interface.name, source: "\(source)",
                                            summary: "packets from \(source) (this host's own address on \(shown(owner.name))) are dropped on \(name): accept_local is off",
                                            explanation: "Two interfaces of one machine cabled to each other: the kernel drops packets whose source is one of its own addresses unless accept_local is on for the receiving interface (or 'all').",
                                            fix: SysctlName.write([(SysctlName.ipv4Conf(interface.name, "accept_local"), "1")])))
                } else {
                    findings.append(Finding(id: "accept_local.on", severity: .ok, interface: interface.name, source: "\(source)",
                                            summary: "accept_local is on for \(name) (\(shown(setting.decidedBy))): packets from this host's own \(source) are accepted",
                                            explanation: "Needed when two interfaces of this host are cabled together."))
                }
            }
        }
        return findings
    }
}
