import MulticastExpert

extension IGMPState {
    /// What the conversation heard means, as findings like the doctor's (stable id, severity,
    /// explanation, paste-safe fix), worst first. A pure function of the state and `now`.
    ///
    /// Judged per interface and family (the family only where the interface has an address of it
    /// or something was heard in it): no querier, a querier that stopped, more than one querier,
    /// a takeover, a querier older than the hosts, an irregular query interval, queries this
    /// host's rp_filter drops; per group this host joined: queries it did not answer in time and
    /// reports a v1/v2 neighbour suppressed; and frames rejected, tables overflowed.
    ///
    /// - Parameters:
    ///   - interfaces: the interfaces to judge; nil means every non-loopback interface of ``host``
    ///     and every interface something was heard on.
    ///   - families: IPv4 (IGMP), IPv6 (MLD) or both.
    public func findings(at now: Int64, interfaces chosen: [NetworkInterface]? = nil,
                         families: [AddressFamily] = AddressFamily.allCases) -> [Finding] {
        let state = advanced(to: now)
        var findings: [Finding] = []
        for interface in state.judgedInterfaces(chosen) {
            let index = Int(interface.index)
            for family in families where !interface.addresses(family).isEmpty || state.heardAnything(on: index, family) {
                findings += state.querierFindings(interface, family, at: now)
                findings += state.responseFindings(interface, family)
            }
        }
        findings += state.integrityFindings()
        return findings.sortedWorstFirst()
    }

    private func judgedInterfaces(_ chosen: [NetworkInterface]?) -> [NetworkInterface] {
        if let chosen { return chosen.filter { !$0.isLoopback } }
        var judged = host.interfaces.filter { !$0.isLoopback && $0.isUp }
        let heard = Set(queriers.map(\.interfaceIndex) + groups.map(\.interfaceIndex))
        for index in heard.sorted() where !judged.contains(where: { Int($0.index) == index }) {
            if let known = host.interface(index), !known.isLoopback { judged.append(known) }
        }
        return judged
    }

    private func heardAnything(on index: Int, _ family: AddressFamily) -> Bool {
        queriers.contains { $0.interfaceIndex == index && $0.family == family }
            || groups.contains { $0.interfaceIndex == index && $0.group.family == family }
    }

    // MARK: Queriers

    private func querierFindings(_ interface: NetworkInterface, _ family: AddressFamily, at now: Int64) -> [Finding] {
        let index = Int(interface.index), name = shown(interface.name)
        let protocolName = family == .ipv4 ? "IGMP" : "MLD"
        let here = queriers(interfaceIndex: index, family: family)
        guard !here.isEmpty else {
            let listenedSeconds = Double(listened(at: now)) / 1e9
            return [Finding(id: "querier.none", severity: .warn, interface: interface.name,
                            summary: "no \(protocolName) querier heard on \(name) in \(formatSeconds(listenedSeconds)) s",
                            explanation: "Without a querier, snooping switches forget a membership \(formatWhole(IGMPDefaults.membershipInterval)) s after its last report (robustness 2 × query interval 125 s + response time 10 s, RFC 3376 §8.4 and RFC 3810 §9.4): the classic 'works for four minutes'."
                                + expiry(index, family, membershipInterval: IGMPDefaults.membershipInterval, at: now)
                                + " Enable the querier on a switch or router of this network (on a Linux bridge: ip link set dev BRIDGE type bridge mcast_querier 1). Queriers usually query every 125 s: listen at least that long to be sure.")]
        }
        var findings: [Finding] = []
        let elected = electedQuerier(interfaceIndex: index, family: family, at: now)
        for querier in here {
            findings.append(heardFinding(querier, interface, several: here.count > 1, at: now))
            if reversePathDrops(querier) {
                findings.append(Finding(id: "querier.rp-filter-drops", severity: .fail, interface: interface.name, source: "\(querier.address)",
                                        summary: "queries from \(querier.address) are dropped by rp_filter on \(name): this host never answers them",
                                        explanation: "The querier's address is not routable back via \(name), so reverse-path filtering discards its queries. The host stops reporting its memberships and snooping switches cut the traffic after a few minutes. Give the querier an address in this subnet, add a route, or relax rp_filter.",
                                        fix: reversePathFix(querier.address, interface.name)))
            }
            if let irregular = irregularFinding(querier, interface) { findings.append(irregular) }
        }
        let querying = here.filter { $0.isQuerying(at: now) }
        if querying.isEmpty, let last = here.max(by: { $0.lastHeardAt < $1.lastHeardAt }) {
            findings.append(Finding(id: "querier.stopped", severity: .warn, interface: interface.name, source: "\(last.address)",
                                    summary: "the \(protocolName) querier on \(name) stopped: \(last.address) last queried \(formatSeconds(last.secondsSinceLastQuery(at: now))) s ago (it queried every ~\(formatSeconds(last.expectedInterval)) s)",
                                    explanation: "Snooping switches forget a membership not reported again \(formatSeconds(last.membershipInterval)) s after its last report (robustness \(last.robustness ?? IGMPDefaults.robustness) × query interval \(formatSeconds(last.expectedInterval)) s + response time \(formatSeconds(last.responseTime)) s, RFC 3376 §8.4)."
                                        + expiry(index, family, membershipInterval: last.membershipInterval, at: now)
                                        + " Find out why the querier stopped: it was reconfigured or restarted, or it lost an election to a querier this host cannot hear."))
        }
        if querying.count > 1, let elected {
            let list = querying.sorted { $0.address.electsBefore($1.address) }.map { "\($0.address) (\($0.version))" }.joined(separator: ", ")
            findings.append(Finding(id: "querier.multiple", severity: .warn, interface: interface.name, source: "\(elected.address)",
                                    summary: "\(querying.count) \(protocolName) queriers query on \(name): \(list); \(elected.address) has the lowest address and should be the only one",
                                    explanation: "Only the querier with the lowest address should query (RFC 3376 §6.6.2, RFC 3810 §7.6.2): the others stop when they hear it. Queriers that keep querying side by side do not hear each other (a filter, a VLAN or a one-way link between them) or do not take part in the election (IGMPv1 has none, some software queriers none either). Hosts answer all of them, but switches see competing router ports and timers that disagree."))
        }
        if let elected {
            // A querier that stopped while querying when the elected one appeared gave way to it.
            for stopped in here where !stopped.isQuerying(at: now) && elected.address.electsBefore(stopped.address)
                && stopped.isQuerying(at: elected.firstHeardAt) {
                findings.append(Finding(id: "querier.changed", severity: .info, interface: interface.name, source: "\(elected.address)",
                                        summary: "\(elected.address) took over as \(protocolName) querier on \(name) from \(stopped.address), which stopped \(formatSeconds(stopped.secondsSinceLastQuery(at: now))) s ago (the lower address wins)",
                                        explanation: "A querier that hears one with a lower address stops querying (RFC 3376 §6.6.2). Expected when a router or switch querier is added; if it was not planned, find the device that owns \(elected.address)."))
            }
            if let older = olderThanHostsFinding(elected, interface) { findings.append(older) }
        }
        return findings
    }

    private func heardFinding(_ querier: IGMPQuerier, _ interface: NetworkInterface, several: Bool, at now: Int64) -> Finding {
        let count = querier.queries
        var interval = querier.observedInterval.map { "every ~\(formatSeconds($0)) s" } ?? "once"
        if let advertised = querier.advertisedInterval { interval += ", advertised interval \(advertised) s" }
        var notes = querier.routerAlert ? "" : ", without the Router Alert option"
        if querier.isThisHost { notes += ", sent by this host" }
        if several {
            switch role(of: querier, at: now) {
            case .elected: notes += ", elected"
            case .notElected: notes += ", not elected: a querier with a lower address queries too"
            case .stopped: notes += ", stopped \(formatSeconds(querier.secondsSinceLastQuery(at: now))) s ago"
            }
        }
        return Finding(id: "querier.heard", severity: .ok, interface: interface.name, source: "\(querier.address)",
                       summary: "\(querier.version) querier \(querier.address) heard on \(shown(interface.name)) (\(count) quer\(count == 1 ? "y" : "ies"), \(interval)\(notes))",
                       explanation: "A querier keeps switches' membership tables fresh; this host answers it as long as it accepts its queries.")
    }

    /// A gap well beyond the interval, or a pace far from what it advertises.
    private func irregularFinding(_ querier: IGMPQuerier, _ interface: NetworkInterface) -> Finding? {
        guard querier.intervals.count >= 2, let observed = querier.observedInterval, let longest = querier.intervals.max() else { return nil }
        let expected = querier.expectedInterval, gap = Double(longest) / 1e9
        let summary: String
        if gap > expected * 1.5 + 1 {
            summary = "\(querier.address) queries irregularly on \(shown(interface.name)): a gap of \(formatSeconds(gap)) s where one every \(formatSeconds(expected)) s was expected"
        } else if let advertised = querier.advertisedInterval.map(Double.init), observed < advertised * 0.75 - 0.5 || observed > advertised * 1.25 + 0.5 {
            summary = "\(querier.address) on \(shown(interface.name)) queries every ~\(formatSeconds(observed)) s but advertises \(formatSeconds(advertised)) s"
        } else {
            return nil
        }
        return Finding(id: "querier.irregular-interval", severity: .warn, interface: interface.name, source: "\(querier.address)", summary: summary,
                       explanation: "Switches and routers time memberships from the query interval: a querier that skips queries or does not keep the interval it advertises lets memberships expire early (\(formatSeconds(querier.membershipInterval)) s after the last report) or keeps dead ones. Look for an overloaded querier, queries lost on the way, or two devices taking turns.")
    }

    /// An IGMPv1/v2 (MLDv1) querier with hosts that speak IGMPv3 (MLDv2): everyone falls back, and SSM fails.
    private func olderThanHostsFinding(_ querier: IGMPQuerier, _ interface: NetworkInterface) -> Finding? {
        let family = querier.family, index = Int(interface.index)
        let newest: IGMPVersion = family == .ipv4 ? .igmpV3 : .mldV2
        guard querier.version.number < newest.number else { return nil }
        let here = groups.filter { $0.interfaceIndex == index && $0.group.family == family }
        var evidence: [String] = []
        if (host.forcedVersion(interfaceIndex: index, family: family) ?? newest.number) >= newest.number, host.interface(index) != nil {
            // /proc/net/igmp shows the version the kernel runs on the interface (MLD's is not shown).
            let running = family == .ipv4 ? host.memberships.first { $0.interfaceIndex == index && $0.igmpVersion != nil }?.igmpVersion : nil
            evidence.append(running.map { $0 < newest.number }
                            ?? true ? "This host speaks \(newest) (it is not forced to an older version) and has fallen back to \(querier.version)."
                                    : "This host speaks \(newest) (it is not forced to an older version) and falls back to \(querier.version) as soon as it accepts these queries.")
        }
        let newReporters = Set(here.flatMap { $0.reporters.filter { $0.version.hasSources }.map(\.address) }).sorted()
        if !newReporters.isEmpty {
            evidence.append("\(listed(newReporters.map(\.description))) sent \(newest) reports.")
        }
        let ssmOld = here.filter { $0.isSourceSpecific && $0.reporters.contains { !$0.version.hasSources } }.map(\.group)
        if !ssmOld.isEmpty {
            evidence.append("The source-specific group\(ssmOld.count == 1 ? "" : "s") \(listed(ssmOld.map(\.description))) \(ssmOld.count == 1 ? "was" : "were") reported without sources.")
        }
        guard !evidence.isEmpty else { return nil }
        let hostSSM = host.memberships.contains { $0.interfaceIndex == index && $0.group.family == family && (!$0.sources.isEmpty || $0.group.isSourceSpecificGroup) }
        return Finding(id: "querier.older-than-hosts", severity: !ssmOld.isEmpty || hostSSM ? .fail : .warn, interface: interface.name,
                       source: "\(querier.address)",
                       summary: "the \(querier.version.protocolName) querier \(querier.address) on \(shown(interface.name)) speaks \(querier.version), older than the hosts: source-specific joins (SSM) do not work",
                       explanation: "Hosts fall back to the oldest version they hear queries in (RFC 3376 §7.2.1, RFC 3810 §8.2.1), and \(querier.version) cannot carry sources: a join of one sender becomes a join of every sender, which routers refuse for the SSM range (232.0.0.0/8, ff3x::/32) or serve from all senders. "
                           + evidence.joined(separator: " ") + " Configure the querier for \(newest).",
                       fix: family == .ipv4 ? "ip link set dev BRIDGE type bridge mcast_igmp_version 3    # on the querier, when it is a Linux bridge"
                           : "ip link set dev BRIDGE type bridge mcast_mld_version 2    # on the querier, when it is a Linux bridge")
    }

    /// When the memberships heard on the interface expire without a querier, in words.
    private func expiry(_ index: Int, _ family: AddressFamily, membershipInterval: Double, at now: Int64) -> String {
        let members = groups.filter { $0.interfaceIndex == index && $0.group.family == family && !$0.members.isEmpty }
            .compactMap { group in group.members.map(\.lastReportAt).max().map { (group, $0) } }
            .sorted { $0.1 < $1.1 }
        guard !members.isEmpty else { return " A membership reported now expires \(formatWhole(membershipInterval)) s later." }
        let shownMembers = members.prefix(3).map { group, last -> String in
            let age = Double(now.subtractingSaturating(last)) / 1e9
            let left = membershipInterval - age
            let when = left > 0 ? "in about \(formatSeconds(left)) s" : "already"
            return "\(group.group) (last reported \(formatSeconds(age)) s ago) \(left > 0 ? "expires \(when)" : "has expired")"
        }
        let more = members.count > 3 ? " and \(members.count - 3) more" : ""
        return " Here " + shownMembers.joined(separator: ", ") + more + " on snooping switches, unless a querier asks again or a member reports it again."
    }

    // MARK: This host's answers

    private func responseFindings(_ interface: NetworkInterface, _ family: AddressFamily) -> [Finding] {
        let index = Int(interface.index), name = shown(interface.name)
        var findings: [Finding] = []
        for record in responses where record.interfaceIndex == index && record.group.family == family {
            let total = record.answered.addingSaturating(record.suppressed).addingSaturating(record.missed)
            if record.missed > 0, let querier = record.lastMissedQuerier {
                let dropped = family == .ipv4 && !querier.isUnspecified && host.reversePathVerdict(source: querier, interfaceIndex: index).isDropped
                let cause = dropped
                    ? "Here the kernel drops the queries from \(querier): reverse-path filtering (see querier.rp-filter-drops)."
                    : "Check that queries reach the kernel's IGMP/MLD code (rp_filter, a firewall dropping IGMP or MLD on input or output) and that the interface is not forced to a version the querier ignores."
                findings.append(Finding(id: "membership.unreported", severity: .warn, interface: interface.name, group: "\(record.group)", source: "\(querier)",
                                        summary: "this host joined \(record.group) on \(name) but did not report it within \(formatSeconds(Double(record.lastMissedResponseMilliseconds) / 1000)) s of \(querier)'s query (\(record.missed) of \(total) quer\(total == 1 ? "y" : "ies") unanswered)",
                                        explanation: "A host answers a query with a report of every group it has joined within the max response time (RFC 3376 §5.2, RFC 3810 §6.2). Without answers, snooping switches and the querier drop the membership a few minutes after the last report and the stream stops. " + cause,
                                        fix: dropped ? reversePathFix(querier, interface.name) : nil))
            }
            if record.suppressed > 0, let by = record.lastSuppressedBy {
                findings.append(Finding(id: "membership.suppressed", severity: .warn, interface: interface.name, group: "\(record.group)", source: "\(by)",
                                        summary: "this host's report of \(record.group) on \(name) was suppressed by \(by)'s report (\(record.suppressed) of \(total) quer\(total == 1 ? "y" : "ies"))",
                                        explanation: "With IGMPv1/v2 and MLDv1 a host keeps quiet when it hears another member report the group first (report suppression, RFC 2236 §3). The switch and the querier then know only \(by): if it leaves and the switch uses fast leave, or its report is lost, the stream stops here too until this host answers the next query. IGMPv3 and MLDv2 have no suppression: configure the querier for them."))
            }
        }
        return findings
    }

    // MARK: What was not believed or not kept

    private func integrityFindings() -> [Finding] {
        var findings: [Finding] = []
        if counts.totalRejected > 0 {
            let reasons = counts.rejected.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            var latest = ""
            if let last = lastRejection {
                latest = " The latest came" + (last.source.map { " from \($0)" } ?? "") + " on \(shown(host.name(ofInterface: last.interfaceIndex)))."
            }
            findings.append(Finding(id: "igmp.rejected", severity: .warn, interface: lastRejection.map { host.name(ofInterface: $0.interfaceIndex) },
                                    summary: "\(counts.totalRejected) IGMP/MLD frame\(counts.totalRejected == 1 ? "" : "s") rejected as malformed or forged: \(reasons)",
                                    explanation: "They were not believed: not shown as queriers or members. Malformed membership messages come from broken equipment or from someone forging them; hosts ignore them too, so a querier whose queries are rejected here (a TTL above 1, a wrong checksum) is a querier nobody answers." + latest))
        }
        if overflow.queriers > 0 {
            findings.append(Finding(id: "querier.log-full", severity: .warn,
                                    summary: "more than \(limits.queriers) different queriers heard: \(overflow.queriers) further queries were not recorded",
                                    explanation: "A healthy link has one querier per protocol. Hundreds of sources sending well-formed queries look like a misconfigured network or forged traffic."))
        }
        if overflow.groups > 0 || overflow.reporters > 0 || overflow.sources > 0 {
            findings.append(Finding(id: "igmp.state-full", severity: .warn,
                                    summary: "IGMP/MLD tables full: \(overflow.groups) messages about further groups, \(overflow.reporters) from further reporters and \(overflow.sources) further sources not kept",
                                    explanation: "The state keeps at most \(limits.groups) groups, \(limits.reportersPerGroup) reporters per group and \(limits.sourcesPerReporter) sources per reporter, so a flood cannot exhaust memory. That many on one link is unusual: a very large deployment, or forged reports."))
        }
        return findings
    }

    private func reversePathFix(_ source: IPAddress, _ interface: String) -> String {
        "ip route add \(arg("\(source)/32")) dev \(arg(interface))    # or: "
            + SysctlName.write([("net.ipv4.conf.all.rp_filter", "0"), (SysctlName.ipv4Conf(interface, "rp_filter"), "0")])
    }
}

/// Seconds with one decimal: `2.0`, `259.8`.
func formatSeconds(_ value: Double) -> String {
    let tenths = Int(saturating: (value * 10).rounded())
    return "\(tenths < 0 && tenths > -10 ? "-" : "")\(tenths / 10).\(abs(tenths % 10))"
}

/// Whole seconds: `260`.
func formatWhole(_ value: Double) -> String { "\(Int(saturating: value.rounded()))" }

/// `a`, `a and b`, `a, b and c`.
func listed(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
}
