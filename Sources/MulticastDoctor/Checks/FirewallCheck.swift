import MulticastExpert

/// Best-effort look at nftables and iptables rules that drop IGMP, MLD, multicast or the port,
/// in the listings of ``FirewallListings`` (pure: text in, findings out).
///
/// Rule text is outside text: it is sanitised where a finding quotes it, and never pasted into a
/// fix command — the fixes name the rule by table, chain and handle or position.
enum FirewallCheck {
    /// Findings for the three listings: rules that drop what multicast needs, tools that timed
    /// out, or that no tool could list anything.
    static func findings(_ listings: FirewallListings, port: UInt16?) -> [Finding] {
        var findings: [Finding] = []
        var anyTool = false
        var anyListed = false
        var anyDrop = false
        for (tool, label, listing) in listings.all {
            switch listing {
            case .missing:
                continue
            case .failed:
                anyTool = true
                findings.append(Finding(id: "firewall.tool-failed", severity: .info, summary: "\(tool) is installed but could not list the rules: \(label) rules not checked",
                                        explanation: "Listing the firewall needs root (CAP_NET_ADMIN); without it, or without the kernel's tables, the tool fails. Run the doctor as root to check them."))
            case .timedOut:
                anyTool = true
                findings.append(Finding(id: "firewall.tool-timeout", severity: .info, summary: "\(tool) did not finish within \(FirewallListings.timeout.components.seconds) s and was stopped: \(label) rules not checked",
                                        explanation: "The firewall listing hung (a locked ruleset, a stuck netlink socket, a slow wrapper). Run it yourself to see the rules."))
            case .listed(let rules):
                anyTool = true
                anyListed = true
                let found = suspicious(in: rules, tool: label, port: port)
                anyDrop = anyDrop || !found.isEmpty
                findings += found
            }
        }
        if !anyTool {
            return [Finding(id: "firewall.unknown", severity: .info, summary: "no firewall tool found (nft, iptables-save): firewall rules not checked",
                            explanation: "If a firewall runs here, make sure it accepts IGMP (protocol 2), MLD (ICMPv6 130-132, 143) and UDP to your port.")]
        }
        if anyListed && !anyDrop {
            findings.append(Finding(id: "firewall.ok", severity: .ok, summary: "no firewall rule found that drops IGMP, MLD, multicast\(port.map { " or UDP port \($0)" } ?? "")",
                                    explanation: "Checked nftables and iptables rules as listed; other filters (eBPF, cloud security groups) are not visible here."))
        }
        return findings
    }

    /// Rules that drop or reject what multicast needs, and drop policies on input chains.
    ///
    /// Pure: `rules` is the output of `nft -a list ruleset` (tool "nftables") or `iptables-save` /
    /// `ip6tables-save`. The table and chain each rule sits in are tracked so that the fix can
    /// name the rule (`nft delete rule FAMILY TABLE CHAIN handle N`, `iptables -t TABLE -D CHAIN N`)
    /// with every name shell-quoted, instead of repeating the rule's own text.
    static func suspicious(in rules: String, tool: String, port: UInt16?) -> [Finding] {
        var findings: [Finding] = []
        var place = RulePlace()
        for raw in rules.split(separator: "\n") {
            let line = trimmed(raw)
            place.advance(past: line, nft: tool == "nftables")
            let lower = line.lowercased()
            let drops = lower.contains(" drop") || lower.contains("reject") || lower.hasSuffix("drop") || lower.contains("-j drop")
            if (lower.contains("policy drop") && lower.contains("input")) || lower.hasPrefix(":input drop") {
                findings.append(Finding(id: "firewall.input-policy-drop", severity: .warn, summary: "\(tool): the input chain drops by default",
                                        explanation: "Everything not explicitly accepted is dropped, so IGMP/MLD queries and the multicast stream need accept rules. Rule: \(shown(line))",
                                        fix: port.map { "nft add rule inet filter input udp dport \($0) accept; nft add rule inet filter input ip protocol igmp accept" }))
                continue
            }
            guard drops, !lower.hasPrefix(":"), !lower.hasPrefix("chain "), !lower.hasPrefix("type ") else { continue }
            var reason: String?
            if lower.contains("igmp") { reason = "IGMP" }
            if lower.contains("pkttype multicast") || lower.contains("pkt-type multicast") || lower.contains("224.0.0.0/4") || lower.contains("ff00::/8") { reason = "multicast" }
            if let port, lower.contains("dport \(port)") || lower.contains("--dport \(port)") { reason = "UDP port \(port)" }
            if lower.contains("icmpv6") && (lower.contains("130") || lower.contains("mld")) { reason = "MLD" }
            if let reason {
                findings.append(Finding(id: "firewall.drops", severity: .fail, summary: "\(tool) drops \(reason): \(shown(place.ruleText(line)))",
                                        explanation: "This rule discards traffic multicast needs before any socket sees it.",
                                        fix: place.deleteCommand(tool: tool)))
            }
        }
        return findings
    }

    /// Where the line being read sits in a listing: nft's family, table, chain and the rule's
    /// handle; iptables-save's table, and each chain's rule count so far (its position).
    struct RulePlace {
        var family: String?
        var table: String?
        var chain: String?
        var handle: String?
        var position = 0
        private var positions: [String: Int] = [:]

        mutating func advance(past line: String, nft: Bool) {
            handle = nil
            let words = line.split(separator: " ").map(String.init)
            if nft {
                if words.first == "table", words.count >= 3 { family = words[1]; table = words[2]; chain = nil }
                if words.first == "chain", words.count >= 2 { chain = words[1] }
                if let mark = words.lastIndex(of: "handle"), mark > 0, words[mark - 1] == "#", mark + 1 < words.count,
                   UInt64(words[mark + 1]) != nil { handle = words[mark + 1] }
            } else {
                if line.hasPrefix("*") { table = String(line.dropFirst()); positions = [:] }
                if words.first == "-A", words.count >= 2 {
                    chain = words[1]
                    position = (positions[words[1]] ?? 0) + 1
                    positions[words[1]] = position
                }
            }
        }

        /// The rule without nft's trailing `# handle N` annotation.
        func ruleText(_ line: String) -> String {
            guard let handle, line.hasSuffix("# handle \(handle)") else { return line }
            return FirewallCheck.trimmed(line.dropLast("# handle \(handle)".count))
        }

        /// A command that deletes this rule, names shell-quoted; a way to find it when the place is unknown.
        func deleteCommand(tool: String) -> String {
            if tool == "nftables" {
                guard let family, let table, let chain, let handle else {
                    return "nft -a list ruleset    # then: nft delete rule FAMILY TABLE CHAIN handle N"
                }
                return "nft delete rule \(arg(family)) \(arg(table)) \(arg(chain)) handle \(handle)    # check first: nft -a list chain \(arg(family)) \(arg(table)) \(arg(chain))"
            }
            let command = tool == "ip6tables-save" ? "ip6tables" : "iptables"
            guard let table, let chain, position > 0 else { return "\(command) -L --line-numbers    # then: \(command) -D CHAIN N" }
            return "\(command) -t \(arg(table)) -D \(arg(chain)) \(position)    # rule \(position) of \(shown(chain)) when listed; check first: \(command) -t \(arg(table)) -L \(arg(chain)) --line-numbers"
        }
    }

    /// The line without leading and trailing spaces and tabs.
    static func trimmed(_ line: Substring) -> String {
        var s = line
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
