import Foundation

/// Best-effort look at nftables and iptables rules that drop IGMP, MLD, multicast or the port.
/// It only lists rules (`nft list ruleset`, `iptables-save`); it never changes them.
enum FirewallCheck {
    static func findings(port: UInt16?) -> [Finding] {
        var findings: [Finding] = []
        var anyTool = false
        if let nft = run(["nft", "list", "ruleset"]) {
            anyTool = true
            findings += suspicious(in: nft, tool: "nftables", port: port)
        }
        for tool in ["iptables-save", "ip6tables-save"] {
            if let rules = run([tool]) {
                anyTool = true
                findings += suspicious(in: rules, tool: tool, port: port)
            }
        }
        if !anyTool {
            return [Finding(id: "firewall.unknown", severity: .info, summary: "no firewall tool found (nft, iptables-save): firewall rules not checked",
                            explanation: "If a firewall runs here, make sure it accepts IGMP (protocol 2), MLD (ICMPv6 130-132, 143) and UDP to your port.")]
        }
        if findings.isEmpty {
            findings.append(Finding(id: "firewall.ok", severity: .ok, summary: "no firewall rule found that drops IGMP, MLD, multicast\(port.map { " or UDP port \($0)" } ?? "")",
                                    explanation: "Checked nftables and iptables rules as listed; other filters (eBPF, cloud security groups) are not visible here."))
        }
        return findings
    }

    /// Rules that drop or reject what multicast needs, and drop policies on input chains.
    static func suspicious(in rules: String, tool: String, port: UInt16?) -> [Finding] {
        var findings: [Finding] = []
        for raw in rules.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let lower = line.lowercased()
            let drops = lower.contains(" drop") || lower.contains("reject") || lower.hasSuffix("drop") || lower.contains("-j drop")
            if (lower.contains("policy drop") && lower.contains("input")) || lower.hasPrefix(":input drop") {
                findings.append(Finding(id: "firewall.input-policy-drop", severity: .warn, summary: "\(tool): the input chain drops by default",
                                        explanation: "Everything not explicitly accepted is dropped, so IGMP/MLD queries and the multicast stream need accept rules. Rule: \(line)",
                                        fix: port.map { "nft add rule inet filter input udp dport \($0) accept; nft add rule inet filter input ip protocol igmp accept" }))
                continue
            }
            guard drops else { continue }
            var reason: String?
            if lower.contains("igmp") { reason = "IGMP" }
            if lower.contains("pkttype multicast") || lower.contains("pkt-type multicast") || lower.contains("224.0.0.0/4") || lower.contains("ff00::/8") { reason = "multicast" }
            if let port, lower.contains("dport \(port)") || lower.contains("--dport \(port)") { reason = "UDP port \(port)" }
            if lower.contains("icmpv6") && (lower.contains("130") || lower.contains("mld")) { reason = "MLD" }
            if let reason {
                findings.append(Finding(id: "firewall.drops", severity: .fail, summary: "\(tool) drops \(reason): \(line)",
                                        explanation: "This rule discards traffic multicast needs before any socket sees it.",
                                        fix: tool == "nftables" ? "nft -a list ruleset    # then: nft delete rule <family> <table> <chain> handle <N>" : "\(tool.replacingOccurrences(of: "-save", with: "")) -D \(line.dropFirst(3))"))
            }
        }
        return findings
    }

    /// Runs a read-only listing command; nil when the tool is missing or fails.
    static func run(_ arguments: [String]) -> String? {
        let paths = ["/usr/sbin/", "/sbin/", "/usr/bin/"]
        guard let path = paths.map({ $0 + arguments[0] }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(arguments.dropFirst())
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
