import MulticastExpert

extension Examination {
    /// Default routes, where each group goes without IP_MULTICAST_IF, and loopback multicast's needs.
    func routeFindings() -> [Finding] {
        var findings: [Finding] = []
        let hint = interfaces.first { !$0.isLoopback }.map { arg($0.name) } ?? "INTERFACE"
        for family in families {
            let routes = host.routes(family)
            let zero: IPAddress = family == .ipv4 ? .v4(IPv4Address(0)) : .v6(IPv6Address(high: 0, low: 0))
            let defaultRoute = RoutingTable.lookup(zero, in: routes).flatMap { $0.prefixLength == 0 ? $0 : nil }
            if let defaultRoute {
                findings.append(Finding(id: "route.default", severity: .info, summary: "\(family) default route: \(shown(defaultRoute.description))",
                                        explanation: "Senders that do not pick an interface use it, and mcexpert uses it when no interface is named."))
            } else {
                findings.append(Finding(id: "route.no-default", severity: .warn, summary: "no \(family) default route",
                                        explanation: "Programs that do not choose an interface have nowhere to send multicast (ENETUNREACH), and with loose rp_filter multicast from senders outside this host's subnets is dropped.",
                                        fix: family == .ipv4 ? "ip route add default dev \(hint)" : "ip -6 route add default dev \(hint)"))
            }
            for group in request.groups where group.family == family {
                if let route = RoutingTable.lookup(group.address, in: routes) {
                    findings.append(Finding(id: "route.group", severity: .info, interface: route.interfaceName, group: "\(group)",
                                            summary: "without IP_MULTICAST_IF, \(group) leaves by \(shown(route.interfaceName)) (route \(shown(route.description)))",
                                            explanation: "Only senders that do not name an interface follow the routing table; mcexpert always names one."))
                } else {
                    // A received group shows its sender names an interface: only other senders
                    // would miss the route, so it is worth knowing rather than a warning.
                    let arrives = arrivalText(group)
                    findings.append(Finding(id: "route.group-unroutable", severity: arrives == nil ? .warn : .info, group: "\(group)",
                                            summary: arrives.map { "no route for \(group): it arrives on \($0), but a sender that does not name an interface gets 'network unreachable'" }
                                                ?? "no route for \(group): a sender that does not name an interface gets 'network unreachable'",
                                            explanation: "Name the interface in the sender, or add a multicast route.",
                                            fix: family == .ipv4 ? "ip route add 224.0.0.0/4 dev \(hint)" : "ip -6 route add ff00::/8 dev \(hint)"))
                }
            }
        }
        findings += loopbackFindings()
        return findings
    }

    /// Multicast over lo: IPv4 needs a route to lo for senders that rely on routes; IPv6 loops only ffx1 groups.
    private func loopbackFindings() -> [Finding] {
        guard let lo = interfaces.first(where: \.isLoopback) else { return [] }
        var findings: [Finding] = []
        for group in request.groups {
            // Datagrams of the group arriving on lo prove loopback multicast works for their
            // sender; the routing table matters only to senders that do not name lo.
            if host.interfacesReceiving(group).contains(lo.name) {
                findings.append(receivingOnLoopback(group, lo))
                continue
            }
            switch group.family {
            case .ipv4:
                let route = RoutingTable.lookup(group.address, in: host.routes4)
                if route?.interfaceName == lo.name {
                    findings.append(Finding(id: "loopback.route-ok", severity: .ok, interface: lo.name, group: "\(group)",
                                            summary: "\(group) is routed to \(shown(lo.name))", explanation: "Senders that do not name an interface reach receivers on lo."))
                } else {
                    let prefix = loopbackPrefix(group)
                    findings.append(Finding(id: "loopback.no-route", severity: .warn, interface: lo.name, group: "\(group)",
                                            summary: "no route sends \(group) to \(shown(lo.name)); loopback multicast works only for senders that name lo",
                                            explanation: "Linux routes multicast by the routing table unless the sender sets IP_MULTICAST_IF. For programs that do not, route the group range to lo.",
                                            fix: "ip route add \(arg(prefix)) dev \(arg(lo.name))"))
                }
            case .ipv6:
                if group.scope != .interfaceLocal {
                    findings.append(Finding(id: "loopback.ipv6-scope", severity: .fail, interface: lo.name, group: "\(group)",
                                            summary: "\(group) is \(group.scope), but Linux loops only interface-local (ffx1::) IPv6 groups over \(shown(lo.name))",
                                            explanation: "Use an interface-local group such as ff11::1234 for IPv6 on loopback, with a route for it in the local table.",
                                            fix: "ip -6 route add table local ff11::/16 dev \(arg(lo.name))    # then use e.g. ff11::1234"))
                } else if !host.routes6.contains(where: { $0.interfaceName == lo.name && $0.contains(group.address) && $0.prefixLength < 128 && $0.prefixLength > 0 }) {
                    findings.append(Finding(id: "loopback.ipv6-no-route", severity: .warn, interface: lo.name, group: "\(group)",
                                            summary: "no route for \(group) on \(shown(lo.name))",
                                            explanation: "Interface-local IPv6 multicast on lo needs a route in the local table.",
                                            fix: "ip -6 route add table local ff11::/16 dev \(arg(lo.name))"))
                }
            }
        }
        return findings
    }

    /// The OK finding for a group received on lo, with what senders that rely on routes need.
    private func receivingOnLoopback(_ group: MulticastGroup, _ lo: NetworkInterface) -> Finding {
        let routes = group.family == .ipv4 ? host.routes4 : host.routes6
        let route = RoutingTable.lookup(group.address, in: routes)
        let routing: String
        if let route, route.interfaceName == lo.name {
            routing = "Senders that do not name an interface reach it too: the routing table sends \(group) to \(shown(lo.name))."
        } else if group.family == .ipv4 {
            let prefix = loopbackPrefix(group)
            routing = "Its sender names \(shown(lo.name)) (IP_MULTICAST_IF). Senders that do not follow the routing table, which sends \(group) "
                + (route.map { "to \(shown($0.interfaceName))" } ?? "nowhere") + "; `ip route add \(arg(prefix)) dev \(arg(lo.name))` routes it to lo."
        } else {
            routing = "Its sender names \(shown(lo.name)); senders that do not need a route for it in the local table (ip -6 route add table local ff11::/16 dev \(arg(lo.name)))."
        }
        return Finding(id: "loopback.receiving", severity: .ok, interface: lo.name, group: "\(group)",
                       summary: "\(group) arrives on \(shown(lo.name)): loopback multicast works",
                       explanation: "This host is receiving it on \(shown(lo.name)) now. " + routing)
    }

    /// The /24 around an IPv4 group, as the route to lo to add for it.
    private func loopbackPrefix(_ group: MulticastGroup) -> String {
        group.address.description.split(separator: ".").prefix(3).joined(separator: ".") + ".0/24"
    }

    /// "lo" or "eth1, eth2": where `group` is received, or nil when it is not.
    private func arrivalText(_ group: MulticastGroup) -> String? {
        let names = host.interfacesReceiving(group)
        return names.isEmpty ? nil : names.map(shown).joined(separator: ", ")
    }
}
