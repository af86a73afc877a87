#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MulticastDoctor
import MulticastExpert
import MulticastMonitor
import MulticastText

/// `mcexpert doctor`: find out why multicast does not arrive.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check this host for the pitfalls that stop multicast: interfaces, rp_filter, accept_local, routes, IGMP/MLD, queriers, buffers, firewall.",
        discussion: """
            The doctor only reads: every fix is printed as a command for you to run. Findings are grouped by interface, worst first. Exit status 0 when nothing is 'fail', 1 otherwise.

            Examples:
              mcexpert doctor
              mcexpert doctor -i eth1 --group 239.1.2.3 --source 10.0.0.5
              mcexpert doctor -i eth1 --querier-wait 130        # queriers (root)
              mcexpert doctor -i eth1 -i eth2 --group 239.1.2.3 --self-test
              mcexpert doctor --json | jq '.[] | select(.severity == "fail")'
            """
    )

    @Option(name: [.customShort("i"), .customLong("iface")], help: "Interface to check (name, index or address); repeatable. Default: all but loopback.")
    var interfaces: [String] = []

    @Option(name: .customLong("group"), help: "A group you send or receive (239.1.2.3, ff15::1); repeatable.", transform: GroupArgument.parse)
    var groups: [GroupArgument] = []

    @Option(name: .customLong("source"), help: "A sender you expect traffic from; repeatable.")
    var sources: [String] = []

    @Option(name: .shortAndLong, help: "The UDP port in use (for the firewall check).", transform: PortArgument.parse)
    var port: UInt16?

    @Option(name: .customLong("querier-wait"), help: "Seconds to listen for IGMP/MLD queriers (needs CAP_NET_RAW); 0 skips.")
    var querierWait: Double = 0

    @Option(name: .customLong("rate"), help: "Your stream's datagrams per second, to check socket buffers against.")
    var rate: Double?

    @Flag(name: .customLong("self-test"), help: "Send probes out of the first --iface and listen on the second.")
    var selfTest = false

    @Flag(help: "Print the findings as a JSON array.")
    var json = false

    func validate() throws {
        if querierWait != 0 { try NumberBounds.check(querierWait, "--querier-wait", in: 0.001...3600, unit: "seconds (0 skips)") }
        if let rate { try NumberBounds.check(rate, "--rate", in: NumberBounds.rate, unit: "datagrams per second") }
    }

    func run() throws {
        var failed = false
        try reportingErrors {
            let request = DoctorRequest(interfaces: interfaceSpecifiers(interfaces), groups: groups.map(\.group), sources: try sourceAddresses(sources),
                                        port: port, querierWait: .nanoseconds(nanoseconds(seconds: querierWait)),
                                        rate: rate, selfTest: selfTest)
            let findings = try Doctor.examine(request)
            if json {
                writeAll(1, Array((FindingReport.json(findings) + "\n").utf8))
            } else {
                let colour = isatty(1) == 1 && getenv("NO_COLOR") == nil
                writeAll(1, Array(FindingReport.text(findings, colour: colour).utf8))
            }
            failed = findings.worst == .fail
        }
        if failed { throw ExitCode(1) }
    }
}

/// Renders findings for people (grouped by interface, worst first) and for scripts (JSON).
enum FindingReport {
    static func text(_ findings: [Finding], colour: Bool) -> String {
        let counts = Severity.allCases.reversed().map { severity in (severity, findings.filter { $0.severity == severity }.count) }
        var out = "mcexpert doctor: " + counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ") + "\n"
        var groups: [String: [Finding]] = [:]
        for finding in findings { groups[TerminalText.sanitize(finding.interface ?? "host"), default: []].append(finding) }
        let order = groups.keys.sorted { a, b in
            let wa = groups[a]!.worst, wb = groups[b]!.worst
            return wa != wb ? wa > wb : a < b
        }
        for key in order {
            out += "\n" + (colour ? "\u{1b}[1m\(key)\u{1b}[0m" : key) + "\n"
            for finding in groups[key]!.sortedWorstFirst() {
                // Findings quote interface names, rule text and /proc content: each field is sanitised
                // on its own, so only this function's colour codes reach the terminal.
                out += "  " + label(finding.severity, colour: colour) + "  " + TerminalText.sanitize(finding.summary) + "  [\(TerminalText.sanitize(finding.id))]\n"
                if finding.severity >= .warn { out += "        why: " + TerminalText.sanitize(finding.explanation) + "\n" }
                if let fix = finding.fix, finding.severity >= .info { out += "        fix: " + TerminalText.sanitize(fix) + "\n" }
            }
        }
        return out
    }

    static func label(_ severity: Severity, colour: Bool) -> String {
        let text = severity.description.uppercased().padding(4)
        guard colour else { return text }
        switch severity {
        case .fail: return "\u{1b}[1;31m\(text)\u{1b}[0m"
        case .warn: return "\u{1b}[33m\(text)\u{1b}[0m"
        case .info: return "\u{1b}[36m\(text)\u{1b}[0m"
        case .ok: return "\u{1b}[32m\(text)\u{1b}[0m"
        }
    }

    /// A JSON array of findings, one object each; absent fields are `null`, so scripts can
    /// test `.interface == null`.
    static func json(_ findings: [Finding]) -> String { JSONOutput.encode(findings.map(FindingRow.init)) }

}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

/// The JSON shape of one finding (doctor's array, and igmp's summary).
struct FindingRow: Encodable {
    let finding: Finding

    enum CodingKeys: String, CodingKey { case id, severity, interface, group, source, summary, explanation, fix }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(finding.id, forKey: .id)
        try container.encode(finding.severity.description, forKey: .severity)
        try container.encode(finding.interface, forKey: .interface)  // Optional: null when absent
        try container.encode(finding.group, forKey: .group)
        try container.encode(finding.source, forKey: .source)
        try container.encode(finding.summary, forKey: .summary)
        try container.encode(finding.explanation, forKey: .explanation)
        try container.encode(finding.fix, forKey: .fix)
    }
}
