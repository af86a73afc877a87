import MulticastExpert

extension Examination {
    /// Forced IGMP/MLD versions, membership limits, and who on this host has joined the groups.
    func igmpFindings() -> [Finding] {
        var findings: [Finding] = []
        let wantsSSM = !request.sources.isEmpty
        for interface in interfaces where families.contains(.ipv4) {
            let forced = max(host.ipv4Conf("all", "force_igmp_version") ?? 0, host.ipv4Conf(interface.name, "force_igmp_version") ?? 0)
            if forced != 0 {
                findings.append(Finding(id: "igmp.forced-version", severity: wantsSSM && forced < 3 ? .fail : .warn, interface: interface.name,
                                        summary: "IGMP is forced to version \(forced) on \(shown(interface.name))",
                                        explanation: forced < 3 ? "IGMPv\(forced) cannot express source-specific joins: sources are ignored by switches and routers." : "The kernel will not fall back to older IGMP versions when an older querier is present.",
                                        fix: SysctlName.write([("net.ipv4.conf.all.force_igmp_version", "0"), (SysctlName.ipv4Conf(interface.name, "force_igmp_version"), "0")])))
            }
            if let running = host.memberships.first(where: { $0.interfaceIndex == Int(interface.index) && $0.igmpVersion != nil })?.igmpVersion,
               running < 3 && forced == 0 {
                findings.append(Finding(id: "igmp.querier-fallback", severity: wantsSSM ? .fail : .info, interface: interface.name,
                                        summary: "\(shown(interface.name)) runs IGMPv\(running): an IGMPv\(running) querier was heard on the link",
                                        explanation: "The kernel falls back to the oldest IGMP version it hears queries in. Below v3, source-specific joins are not possible."))
            }
        }
        for interface in interfaces where families.contains(.ipv6) {
            let forced = max(host.ipv6Conf("all", "force_mld_version") ?? 0, host.ipv6Conf(interface.name, "force_mld_version") ?? 0)
            if forced == 1 {
                findings.append(Finding(id: "mld.forced-version", severity: wantsSSM ? .fail : .warn, interface: interface.name,
                                        summary: "MLD is forced to version 1 on \(shown(interface.name))",
                                        explanation: "MLDv1 cannot express source-specific joins.",
                                        fix: SysctlName.write([("net.ipv6.conf.all.force_mld_version", "0"), (SysctlName.ipv6Conf(interface.name, "force_mld_version"), "0")])))
            }
        }
        if families.contains(.ipv4), let limit = host.sysctl("net/ipv4/igmp_max_memberships") {
            let perSocket = interfaces.filter { !$0.isLoopback || explicitlyNamed }.count
            let wanted = request.groups.count.multipliedSaturating(by: max(perSocket, 1))
            if perSocket > limit {
                findings.append(Finding(id: "igmp.max-memberships", severity: .fail,
                                        summary: "joining a group on \(perSocket) interfaces needs \(perSocket) memberships on one socket, more than net.ipv4.igmp_max_memberships (\(limit))",
                                        explanation: "The kernel refuses the join beyond the limit with ENOBUFS ('No buffer space available').",
                                        fix: "sysctl -w net.ipv4.igmp_max_memberships=\(max(perSocket, 20))"))
            } else if wanted > limit {
                findings.append(Finding(id: "igmp.max-memberships", severity: .warn,
                                        summary: "\(request.groups.count) groups on \(perSocket) interface(s) is more than net.ipv4.igmp_max_memberships (\(limit)) for a program that joins them all on one socket",
                                        explanation: "mcexpert uses one socket per group and is not affected; programs that join everything on one socket get ENOBUFS.",
                                        fix: "sysctl -w net.ipv4.igmp_max_memberships=\(wanted)"))
            } else {
                findings.append(Finding(id: "igmp.max-memberships", severity: .info, summary: "net.ipv4.igmp_max_memberships is \(limit) per socket",
                                        explanation: "A socket can join at most this many (group, interface) pairs."))
            }
        }
        if families.contains(.ipv4), let limit = host.sysctl("net/ipv4/igmp_max_msf"), request.sources.filter({ $0.family == .ipv4 }).count > limit {
            findings.append(Finding(id: "igmp.max-msf", severity: .fail,
                                    summary: "\(request.sources.filter({ $0.family == .ipv4 }).count) sources exceed net.ipv4.igmp_max_msf (\(limit))",
                                    explanation: "Each source-specific join adds a source filter; beyond the limit the kernel refuses with ENOBUFS.",
                                    fix: "sysctl -w net.ipv4.igmp_max_msf=\(request.sources.filter({ $0.family == .ipv4 }).count)"))
        }
        for group in request.groups {
            let holders = host.memberships.filter { $0.group == group.address }
            if holders.isEmpty {
                findings.append(Finding(id: "membership.none", severity: .info, group: "\(group)", summary: "nothing on this host has joined \(group)",
                                        explanation: "Until a socket joins, no IGMP/MLD report is sent and snooping switches do not forward the group here."))
            } else {
                for holder in holders {
                    let filters = holder.sources.isEmpty ? "" : " (sources: \(holder.sources.map { "\($0.source)" }.joined(separator: ", ")))"
                    findings.append(Finding(id: "membership.joined", severity: .info, interface: holder.interfaceName, group: "\(group)",
                                            summary: "\(group) is joined on \(shown(holder.interfaceName)) by \(holder.users) user(s)\(filters)",
                                            explanation: "From /proc/net/igmp, igmp6 and mcfilter."))
                }
            }
        }
        return findings
    }
}
