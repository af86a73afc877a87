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
            if !interface.isMulticastCapable {
                if interface.isLoopback {
                    findings.append(Finding(id: "interface.loopback-no-multicast-flag", severity: .info, interface: raw,
                                            summary: "\(name) has no MULTICAST flag (normal for loopback)",
                                            explanation: "IPv4 multicast over lo still works when the sender names lo (IP_MULTICAST_IF); programs that rely on routes need one to lo."))
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
                    let needed = request.groups.contains { $0.family == family }
                    if needed { healthy = false }
                    findings.append(Finding(id: family == .ipv4 ? "interface.no-ipv4" : "interface.no-ipv6", severity: needed ? .warn : .info,
                                            interface: raw, summary: "\(name) has no \(family) address",
                                            explanation: "Senders bind to an address of the interface and IGMP reports carry it; without one, \(family) multicast on \(name) does not work with mcexpert or most libraries.",
                                            fix: family == .ipv4 ? "ip addr add ADDRESS/PREFIX dev \(arg(raw))" : "ip -6 addr add ADDRESS/PREFIX dev \(arg(raw))"))
                }
            }
            if healthy {
                findings.append(Finding(id: "interface.ok", severity: .ok, interface: raw, summary: "\(name) is up, has carrier and supports multicast",
                                        explanation: "Addresses: \((interface.ipv4Addresses + interface.ipv6Addresses).map(\.description).joined(separator: ", "))."))
            }
        }
        return findings
    }
}
