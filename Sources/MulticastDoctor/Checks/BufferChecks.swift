import MulticastExpert

extension Examination {
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
        if let errors = host.udpCounters.receiveBufferErrors, errors > 0 {
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
