import MulticastExpert

extension Examination {
    /// Down, no carrier, no MULTICAST flag, no address of the family, IPv6 disabled.
    func interfaceFindings() -> [Finding] {
        var findings: [Finding] = []
        for interface in interfaces {
            let name = shown(interface.name), raw = interface.name
            let problem: Severity = explicitlyNamed ? .fail : .info
            var healthy = true
            if !interface.isUp {
                healthy = false
                findings.append(Finding(id: "interface.down", severity: problem, interface: raw, summary: "\(name) is down",
                                        explanation: "A down interface neither sends nor receives anything, multicast included.",
                                        fix: "ip link set \(arg(raw)) up"))
                continue
            }
            if !interface.flags.contains(.lowerUp) && !interface.isLoopback {
                healthy = false
                findings.append(Finding(id: "interface.no-carrier", severity: problem, interface: raw, summary: "\(name) has no carrier",
                                        explanation: "The interface is up but its link is not: a cable is out, the switch port or the peer (for veth, the other end) is down.",
                                        fix: nil))
            }
            // Datagrams arriving on the interface outrank what its flags suggest.
            let received = host.groupsReceived(on: raw)
            let receivedText = arrive(received)
            if !interface.isMulticastCapable {
                if interface.isLoopback {
                    // One finding about lo's multicast: the OK below says it carries the received
                    // groups; without any, this says what the missing flag means.
                    if received.isEmpty {
                        findings.append(Finding(id: "interface.loopback-no-multicast-flag", severity: .info, interface: raw,
                                                summary: "\(name) has no MULTICAST flag (normal for loopback)",
                                                explanation: "IPv4 multicast over lo still works when the sender names lo (IP_MULTICAST_IF); programs that rely on routes need one to lo."))
                    }
                } else if !received.isEmpty {
                    healthy = false
                    findings.append(Finding(id: "interface.no-multicast", severity: .info, interface: raw,
                                            summary: "\(name) does not have the MULTICAST flag, yet \(receivedText) on it",
                                            explanation: "The datagrams arrive (flooded by the switch, or delivered locally), but without the flag the kernel sends no IGMP/MLD joins from \(name), so a switch that snoops IGMP may stop forwarding them.",
                                            fix: "ip link set \(arg(raw)) multicast on"))
                } else {
                    healthy = false
                    findings.append(Finding(id: "interface.no-multicast", severity: explicitlyNamed ? .fail : .warn, interface: raw,
                                            summary: "\(name) does not have the MULTICAST flag",
                                            explanation: "Without it the kernel neither sends IGMP/MLD joins nor accepts multicast on the interface.",
                                            fix: "ip link set \(arg(raw)) multicast on"))
                }
            }
            for family in families where interface.addresses(family).isEmpty {
                if family == .ipv6, host.ipv6Conf(raw, "disable_ipv6") == 1 || host.ipv6Conf("all", "disable_ipv6") == 1 {
                    let scope = host.ipv6Conf("all", "disable_ipv6") == 1 ? "all" : raw
                    healthy = false
                    findings.append(Finding(id: "interface.ipv6-disabled", severity: request.groups.contains { $0.family == .ipv6 } ? .fail : .info,
                                            interface: raw, summary: "IPv6 is disabled on \(name)",
                                            explanation: "With disable_ipv6 set the interface has no IPv6 address and takes no part in IPv6 multicast (MLD).",
                                            fix: SysctlName.write([(SysctlName.ipv6Conf(scope, "disable_ipv6"), "0")])))
                } else {
                    // A group of the family arriving here shows receiving works; sending still needs an address.
                    let arriving = received.filter { $0.family == family }
                    let needed = request.groups.contains { $0.family == family } && arriving.isEmpty
                    if needed { healthy = false }
                    let summary = arriving.isEmpty ? "\(name) has no \(family) address"
                        : "\(name) has no \(family) address: \(arrive(arriving)), but nothing can be sent from it"
                    findings.append(Finding(id: family == .ipv4 ? "interface.no-ipv4" : "interface.no-ipv6", severity: needed ? .warn : .info,
                                            interface: raw, summary: summary,
                                            explanation: "Senders bind to an address of the interface and IGMP reports carry it; without one, \(family) multicast on \(name) does not work with mcexpert or most libraries.",
                                            fix: family == .ipv4 ? "ip addr add ADDRESS/PREFIX dev \(arg(raw))" : "ip -6 addr add ADDRESS/PREFIX dev \(arg(raw))"))
                }
            }
            if healthy {
                findings.append(Finding(id: "interface.ok", severity: .ok, interface: raw, summary: healthySummary(interface, received: receivedText),
                                        explanation: "Addresses: \((interface.ipv4Addresses + interface.ipv6Addresses).map(\.description).joined(separator: ", "))."))
            }
        }
        return findings
    }

    /// "239.1.2.3 arrives" or "239.1.2.3, 239.1.2.4 arrive"; empty for no group.
    private func arrive(_ groups: [MulticastGroup]) -> String {
        guard !groups.isEmpty else { return "" }
        return groups.map(\.description).joined(separator: ", ") + (groups.count == 1 ? " arrives" : " arrive")
    }

    /// What the OK finding of a healthy interface claims: only what was checked. Loopback needs
    /// no carrier and usually has no MULTICAST flag, so it is "up", and "carries multicast" only
    /// when it has the flag or a received group shows it does.
    private func healthySummary(_ interface: NetworkInterface, received: String) -> String {
        let name = shown(interface.name)
        let receiving = received.isEmpty ? "" : "; \(received) on it"
        if interface.isLoopback && !interface.isMulticastCapable {
            return received.isEmpty ? "\(name) is up" : "\(name) is up and carries multicast\(receiving)"
        }
        if interface.isLoopback { return "\(name) is up and supports multicast" + receiving }
        return "\(name) is up, has carrier and supports multicast" + receiving
    }
}
