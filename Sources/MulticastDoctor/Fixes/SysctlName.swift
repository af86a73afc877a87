/// Sysctl names for per-interface settings, in the form `sysctl(8)` accepts for every interface.
///
/// `sysctl` reads dots as path separators, so for an interface named `eth0.100` the name
/// `net.ipv4.conf.eth0.100.rp_filter` points nowhere. procps writes a dot inside a component as
/// a slash instead: `net.ipv4.conf.eth0/100.rp_filter` (checked with procps-ng 4.0.2: both
/// `sysctl -w net.ipv4.conf.a/b.rp_filter=0` and reading it back work for an interface `a.b`,
/// and `sysctl` itself prints that form).
enum SysctlName {
    /// `net.ipv4.conf.<interface>.<key>` with the interface's dots written as slashes.
    static func ipv4Conf(_ interface: String, _ key: String) -> String { "net.ipv4.conf.\(component(interface)).\(key)" }

    /// `net.ipv6.conf.<interface>.<key>` with the interface's dots written as slashes.
    static func ipv6Conf(_ interface: String, _ key: String) -> String { "net.ipv6.conf.\(component(interface)).\(key)" }

    /// One path component (an interface name) of a dotted sysctl name.
    static func component(_ name: String) -> String { String(name.map { $0 == "." ? "/" : $0 }) }

    /// `sysctl -w name=value ...` with every assignment shell-quoted as one word.
    static func write(_ assignments: [(name: String, value: String)]) -> String {
        "sysctl -w " + assignments.map { ShellQuote.word("\($0.name)=\($0.value)") }.joined(separator: " ")
    }
}
