import MulticastExpert

/// Host-wide UDP counters from /proc/net/snmp and snmp6: how many datagrams the kernel dropped
/// because a receiver's socket buffer was full, on this host, since boot.
public struct UDPCounters: Sendable, Hashable {
    /// `Udp: ... RcvbufErrors` plus `Udp6RcvbufErrors`; nil when neither file has the counter.
    public var receiveBufferErrors: Int?

    /// Counters given by hand; nil means unknown (no finding is made).
    public init(receiveBufferErrors: Int? = nil) {
        self.receiveBufferErrors = receiveBufferErrors
    }

    /// The counters in the text of /proc/net/snmp and /proc/net/snmp6.
    public init(snmp: String?, snmp6: String?) {
        self.init(receiveBufferErrors: Self.receiveBufferErrors(snmp: snmp, snmp6: snmp6))
    }

    /// The counters of the calling thread's network namespace.
    public static func current() -> UDPCounters {
        UDPCounters(snmp: ProcFiles.net("snmp"), snmp6: ProcFiles.net("snmp6"))
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
