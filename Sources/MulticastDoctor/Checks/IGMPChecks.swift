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

    /// Receive buffers against the stated rate, and host-wide UDP receive errors.
    func bufferFindings() -> [Finding] {
        var findings: [Finding] = []
        // Everything here is clamped: the rate comes from the command line and the sysctls from
        // /proc, and neither may make the arithmetic trap.
        let rmemDefault = max(host.sysctl("net/core/rmem_default") ?? 212_992, 0)
        let rmemMax = max(host.sysctl("net/core/rmem_max") ?? 212_992, 0)
        let perDatagram = max(request.datagramSize, 0).addingSaturating(768)  // kernel bookkeeping per queued datagram (skb truesize)
        let ceiling = rmemMax.multipliedSaturating(by: 2)  // SO_RCVBUF doubles what it is given, up to rmem_max
        if let rate = request.rate.map(BufferSizing.clampedRate), rate > 0 {
            let perSecond = Int(rate.rounded())
            let needed = Int((rate * 0.2).rounded(.down)).multipliedSaturating(by: perDatagram)  // 200 ms of traffic
            if needed > ceiling {
                findings.append(Finding(id: "buffers.rmem_max", severity: .warn,
                                        summary: "at \(perSecond) datagrams/s a socket buffer needs ~\(needed / 1024) KiB for 200 ms of traffic; net.core.rmem_max (\(rmemMax)) caps it at \(ceiling / 1024) KiB",
                                        explanation: "When a receiver falls briefly behind, datagrams that do not fit the socket buffer are dropped by the kernel (RcvbufErrors).",
                                        fix: "sysctl -w net.core.rmem_max=\(needed)"))
            } else if needed > rmemDefault {
                let milliseconds = rmemDefault.multipliedSaturating(by: 1000) / max(perDatagram, 1) / max(perSecond, 1)
                findings.append(Finding(id: "buffers.rmem_default", severity: .info,
                                        summary: "the default socket buffer (\(rmemDefault / 1024) KiB) holds ~\(milliseconds) ms at \(perSecond) datagrams/s; ask for more (mcexpert listen --rcvbuf \(needed))",
                                        explanation: "Receivers can request up to twice net.core.rmem_max with SO_RCVBUF.",
                                        fix: "sysctl -w net.core.rmem_default=\(needed)"))
            } else {
                findings.append(Finding(id: "buffers.ok", severity: .ok, summary: "socket buffers are large enough for \(perSecond) datagrams/s",
                                        explanation: "net.core.rmem_default is \(rmemDefault), rmem_max \(rmemMax)."))
            }
        } else {
            findings.append(Finding(id: "buffers.info", severity: .info,
                                    summary: "default socket buffer \(rmemDefault / 1024) KiB holds about \(rmemDefault / (64 + 768)) small datagrams (rmem_max \(rmemMax / 1024) KiB)",
                                    explanation: "Give --rate to check the buffers against a stream."))
        }
        if let errors = UDPCounters.receiveBufferErrors(), errors > 0 {
            findings.append(Finding(id: "buffers.kernel-drops", severity: .warn, summary: "the kernel has dropped \(errors) UDP datagrams for lack of receive buffer since boot (RcvbufErrors)",
                                    explanation: "Some receiver on this host did not keep up. Raise its SO_RCVBUF or net.core.rmem_default.",
                                    fix: "sysctl -w net.core.rmem_max=8388608 net.core.rmem_default=8388608"))
        }
        return findings
    }
}

/// How the buffer check treats the stated rate.
enum BufferSizing {
    /// The highest rate the check reasons about, datagrams per second: far beyond any NIC, and
    /// small enough that every product below stays an exact, non-trapping `Int`.
    static let maximumRate = 1e9

    /// `rate` made safe to compute with: NaN and negatives give 0, infinities and huge values the maximum.
    static func clampedRate(_ rate: Double) -> Double {
        guard !rate.isNaN else { return 0 }
        return min(max(rate, 0), maximumRate)
    }
}

/// Host-wide UDP counters from /proc/net/snmp and snmp6.
public enum UDPCounters {
    /// `Udp: ... RcvbufErrors` plus `Udp6RcvbufErrors` of the calling thread's namespace.
    static func receiveBufferErrors() -> Int? {
        receiveBufferErrors(snmp: ProcFiles.net("snmp"), snmp6: ProcFiles.net("snmp6"))
    }

    /// The receive-buffer drops in the text of /proc/net/snmp (`Udp:` header line, then `Udp:`
    /// values line) and /proc/net/snmp6 (`Udp6RcvbufErrors <n>`); nil when neither has the counter.
    /// Pure and total: any text, any numbers (negatives ignored, the sum saturates).
    public static func receiveBufferErrors(snmp: String?, snmp6: String?) -> Int? {
        var total: Int?
        if let snmp {
            let lines = snmp.split(separator: "\n").filter { $0.hasPrefix("Udp:") }
            if lines.count >= 2 {
                let names = lines[0].split(separator: " "), values = lines[1].split(separator: " ")
                if let i = names.firstIndex(of: "RcvbufErrors"), i < values.count, let value = Int(values[i]), value >= 0 { total = value }
            }
        }
        if let snmp6, let line = snmp6.split(separator: "\n").first(where: { $0.hasPrefix("Udp6RcvbufErrors") }),
           let value = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.flatMap({ Int($0) }), value >= 0 {
            total = (total ?? 0).addingSaturating(value)
        }
        return total
    }
}
