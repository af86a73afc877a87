import MulticastExpert

/// The host's firewall rulesets as the read-only listing tools print them: `nft -a list ruleset`,
/// `iptables-save` and `ip6tables-save`. ``FirewallCheck`` reads rules from this text only, so a
/// listing written by hand tests it without root or a firewall.
public struct FirewallListings: Sendable, Hashable {
    /// What running one listing tool gave.
    public enum Listing: Sendable, Hashable {
        /// The tool is not installed in a system directory.
        case missing
        /// It ran but failed (no permission, no kernel support) or could not be started.
        case failed
        /// It did not finish within ``FirewallListings/timeout`` and was killed.
        case timedOut
        /// It printed this ruleset (cut at 8 MiB, with ``ChildProcess``'s marker line).
        case listed(String)
    }

    /// `nft -a list ruleset`: nftables, with each rule's handle.
    public var nftables: Listing
    /// `iptables-save`: the IPv4 iptables rules.
    public var iptables: Listing
    /// `ip6tables-save`: the IPv6 ip6tables rules.
    public var ip6tables: Listing

    /// Listings given by hand; a tool left out counts as not installed.
    public init(nftables: Listing = .missing, iptables: Listing = .missing, ip6tables: Listing = .missing) {
        self.nftables = nftables
        self.iptables = iptables
        self.ip6tables = ip6tables
    }

    /// How long one listing tool may take.
    public static let timeout: Duration = .seconds(3)

    /// Each listing with the program that makes it and the name findings give its rules.
    var all: [(program: String, label: String, listing: Listing)] {
        [("nft", "nftables", nftables), ("iptables-save", "iptables-save", iptables), ("ip6tables-save", "ip6tables-save", ip6tables)]
    }

    /// Runs the three listing tools from the system directories (never `PATH`), each through
    /// ``ChildProcess`` with ``timeout``, so a hung or chatty tool cannot hang the doctor.
    /// Blocks for at most about three times ``timeout``; lists only, never changes a rule.
    public static func current() -> FirewallListings {
        FirewallListings(nftables: run("nft", ["-a", "list", "ruleset"]), iptables: run("iptables-save", []),
                         ip6tables: run("ip6tables-save", []))
    }

    private static func run(_ program: String, _ arguments: [String]) -> Listing {
        guard let path = ChildProcess.executable(named: program) else { return .missing }
        guard let output = try? ChildProcess.run(path, arguments: arguments, timeout: timeout, outputLimit: 8 << 20) else { return .failed }
        if output.termination == .timedOut { return .timedOut }
        guard output.succeeded else { return .failed }
        return .listed(output.standardOutputText)
    }
}
