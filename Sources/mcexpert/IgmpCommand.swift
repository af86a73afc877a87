#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MulticastDoctor
import MulticastExpert
import MulticastText

/// `mcexpert igmp`: watch the IGMP/MLD conversation that decides whether multicast arrives.
struct IgmpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "igmp",
        abstract: "Watch IGMP and MLD on the wire: every query, report and leave as it happens, then the queriers, the groups with their members, and what is wrong.",
        discussion: """
            Listens passively with a packet socket (needs CAP_NET_RAW: run as root), so queries this host's rp_filter drops are heard too, and this host's own reports are marked. Every IGMPv1/v2/v3 and MLDv1/v2 message is validated (checksums, TTL/hop limit 1, Router Alert, destination, link-local MLD source); malformed or forged frames are counted by reason and never shown as a querier or a member. At the end (--duration, or Ctrl-C): the queriers per interface (elected or not, query interval observed and advertised, robustness, max response time), the groups with each reporting host's version, filter mode and sources, how this host answered the queries about the groups it joined, and warnings with a fix: no querier (and when memberships expire on snooping switches), a querier that stopped, several queriers, an IGMPv2/MLDv1 querier with IGMPv3/MLDv2 hosts (SSM fails), an irregular query interval, queries this host's rp_filter drops, groups this host did not report in time or whose reports a v1/v2 neighbour suppressed.

            Queriers usually query every 125 s: listen that long to see a whole cycle. On a switch that snoops IGMP, hosts do not see each other's reports; a router port (or a hub) sees them all.

            Exit status: 0, or 1 when a warning is a failure (e.g. rp_filter drops the querier), 2 on bad input, 77 without CAP_NET_RAW.

            Examples:
              sudo mcexpert igmp -i eth0                  # until Ctrl-C
              sudo mcexpert igmp -i eth0 --duration 130   # a whole query cycle
              sudo mcexpert igmp -i eth0 -d 30 --format json | jq 'select(.type=="query")'
              sudo mcexpert igmp -d 130 --format json | tail -n 1 | jq .summary.findings
            """
    )

    @Option(name: [.customShort("i"), .customLong("iface")], help: "Interface to listen on (name, index or address); repeatable. Default: every interface.")
    var interfaces: [String] = []

    @Option(name: .shortAndLong, help: "Stop after this many seconds (default: until Ctrl-C).")
    var duration: Double?

    @Option(name: .shortAndLong, help: "Output: text (a line per message, then the summary) or json (a JSON line per message, then a {\"summary\": ...} line).")
    var format: IgmpFormat = .text

    func validate() throws {
        if let duration { try NumberBounds.check(duration, "--duration", in: NumberBounds.seconds, unit: "seconds") }
    }

    func run() throws {
        var failed = false
        try reportingErrors {
            let table = try InterfaceTable.current()
            var chosen: [NetworkInterface] = []
            for specifier in interfaceSpecifiers(interfaces) {
                let interface = try table.interface(matching: specifier)
                if !chosen.contains(where: { $0.index == interface.index }) { chosen.append(interface) }
            }
            let judged = chosen.isEmpty ? table.interfaces.filter { !$0.isLoopback && $0.isUp } : chosen
            let listener: IGMPListener
            do {
                listener = try IGMPListener(interfaces: chosen.isEmpty ? nil : Set(chosen.map { Int($0.index) }),
                                            allMulticastOn: Set(judged.filter { !$0.isLoopback }.map { Int($0.index) }))
            } catch MulticastError.permissionDenied {
                throw CLIError("listening to IGMP/MLD needs CAP_NET_RAW (a packet socket): run it as root (sudo mcexpert igmp ...), or give the binary the capability: sudo setcap cap_net_raw+ep \"$(command -v mcexpert)\"",
                               exitCode: 77)
            }
            defer { listener.close() }
            StopSignal.install()
            let start = monotonicNanoseconds()
            let printer = IgmpPrinter(format: format, wallClockOffset: Timestamp.now.nanosecondsSinceEpoch.subtractingSaturating(start))
            var state = IGMPState(startedAt: start, host: (try? IGMPHostFacts.current()) ?? IGMPHostFacts(interfaces: table.interfaces))
            let end = duration.map { start.addingSaturating(nanoseconds(seconds: $0)) } ?? .max
            var nextRefresh = start.addingSaturating(1_000_000_000)
            while !StopSignal.isRequested {
                let now = monotonicNanoseconds()
                if now >= end { break }
                listener.receive(until: min(end, now.addingSaturating(200_000_000))) { decoding in
                    state.record(decoding)
                    printer.print(decoding, host: state.host)
                }
                printer.flush()
                if monotonicNanoseconds() >= nextRefresh {
                    // Memberships, addresses and sysctls change while listening (a join, a new address).
                    if let facts = try? IGMPHostFacts.current() { state.host = facts }
                    nextRefresh = monotonicNanoseconds().addingSaturating(1_000_000_000)
                }
            }
            let stop = min(monotonicNanoseconds(), end)
            state.advance(to: stop)
            let findings = state.findings(at: stop, interfaces: judged)
            printer.printSummary(state, findings: findings, interfaces: judged, at: stop)
            failed = findings.worst == .fail
        }
        if failed { throw ExitCode(1) }
    }
}

/// The output formats of `igmp`.
enum IgmpFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Prints `igmp`'s lines and summary. Everything from outside (interface names, and through
/// the findings whatever they quote) goes through ``TerminalText`` or ``JSONOutput``.
final class IgmpPrinter {
    let format: IgmpFormat
    /// Wall clock minus monotonic clock at the start, nanoseconds: monotonic times to wall-clock text.
    let wallClockOffset: Int64
    private var buffer: [UInt8] = []

    /// Most records and sources a text line shows (JSON lines carry them all; a frame bounds them).
    static let recordsShown = 8
    static let sourcesShown = 8

    init(format: IgmpFormat, wallClockOffset: Int64) {
        self.format = format
        self.wallClockOffset = wallClockOffset
    }

    func time(_ monotonic: Int64) -> String {
        TimeFormat.iso8601(Timestamp(nanosecondsSinceEpoch: monotonic.addingSaturating(wallClockOffset)))
    }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0a)
        if buffer.count > 60_000 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        writeAll(1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: One line per message

    func print(_ decoding: IGMPDecoding, host: IGMPHostFacts) {
        switch (decoding, format) {
        case (.message(let message), .text): write(textLine(message, host: host))
        case (.message(let message), .json): write(JSONOutput.encode(MessageLine(message, time: time(message.heardAt), host: host)))
        case (.rejected(let rejection), .text): write(textLine(rejection, host: host))
        case (.rejected(let rejection), .json): write(JSONOutput.encode(RejectionLine(rejection, time: time(rejection.heardAt), host: host)))
        case (.other, _): break
        }
    }

    /// `2026-…Z  eth0  IGMPv3 report  198.18.0.2 > 224.0.0.22  TO_EX 239.1.2.3 {}, IS_IN 232.1.1.1 {198.18.0.9}`
    func textLine(_ message: IGMPMessage, host: IGMPHostFacts) -> String {
        var line = time(message.heardAt) + "  " + TerminalText.sanitize(host.name(ofInterface: message.interfaceIndex)) + "  "
        line += column(message.kind.description, 14) + " \(message.source) > \(message.destination)  "
        switch message.body {
        case .query(let query):
            line += query.group.map { "\(query.kind.rawValue) \($0)" } ?? "general"
            if !query.sources.isEmpty { line += " " + Self.sourceList(query.sources) }
            line += ", max response \(NumberFormat.fixed(Double(query.maxResponseMilliseconds) / 1000, 1)) s"
            if let robustness = query.robustness { line += ", QRV \(robustness)" }
            if let interval = query.queryInterval { line += ", QQIC \(interval) s" }
            if query.suppressRouterProcessing { line += ", S" }
        case .report(let group), .leave(let group):
            line += "\(group)"
        case .records(let records):
            line += records.prefix(Self.recordsShown).map { "\($0.type) \($0.group) \(Self.sourceList($0.sources))" }.joined(separator: ", ")
            if records.isEmpty { line += "no records" }
            if records.count > Self.recordsShown { line += ", +\(records.count - Self.recordsShown) records" }
        }
        if !message.routerAlert { line += "  (no Router Alert)" }
        if host.sent(message) { line += "  (this host)" }
        return line
    }

    func textLine(_ rejection: IGMPRejection, host: IGMPHostFacts) -> String {
        var line = time(rejection.heardAt) + "  " + TerminalText.sanitize(host.name(ofInterface: rejection.interfaceIndex)) + "  "
        line += column("rejected", 14) + " " + (rejection.family == .ipv4 ? "IGMP" : "MLD")
        if let type = rejection.wireType { line += " type \(type)" }
        if let source = rejection.source { line += " from \(source)" }
        return line + ": \(rejection.reason)"
    }

    /// `{198.18.0.9, 198.18.0.10}`, at most ``sourcesShown`` of them.
    static func sourceList(_ sources: [IPAddress]) -> String {
        var text = sources.prefix(sourcesShown).map(\.description).joined(separator: ", ")
        if sources.count > sourcesShown { text += ", +\(sources.count - sourcesShown)" }
        return "{" + text + "}"
    }

    // MARK: The summary

    func printSummary(_ state: IGMPState, findings: [Finding], interfaces: [NetworkInterface], at now: Int64) {
        switch format {
        case .json: write(JSONOutput.encode(SummaryLine(summary: Summary(state, findings: findings, interfaces: interfaces, at: now, printer: self))))
        case .text: textSummary(state, findings: findings, interfaces: interfaces, at: now)
        }
        flush()
    }

    private func textSummary(_ state: IGMPState, findings: [Finding], interfaces: [NetworkInterface], at now: Int64) {
        let host = state.host
        func name(_ index: Int) -> String { TerminalText.sanitize(host.name(ofInterface: index)) }
        func ago(_ time: Int64) -> String { NumberFormat.fixed(Double(now.subtractingSaturating(time)) / 1e9, 1) + " s ago" }
        // Columns as wide as their longest entry (IPv6 link-local addresses are long, IPv4 ones short).
        let indexes = state.queriers.map(\.interfaceIndex) + state.groups.map(\.interfaceIndex) + state.responses.map(\.interfaceIndex)
        let nameWidth = 2 + indexes.map { name($0).count }.reduce(4, max)
        let addressWidth = 2 + (state.queriers.map { "\($0.address)".count } + state.groups.flatMap { $0.reporters.map { "\($0.address)".count } }
            + state.groups.map { "\($0.group)".count + ($0.isSourceSpecific ? 6 : 0) } + state.responses.map { "\($0.group)".count }).reduce(11, max)
        let counts = state.counts
        let kinds = counts.messages.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let rejected = counts.rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        write("")
        write("mcexpert igmp: \(counts.totalMessages) message\(counts.totalMessages == 1 ? "" : "s") in \(NumberFormat.fixed(Double(state.listened(at: now)) / 1e9, 1)) s on "
              + interfaces.map { TerminalText.sanitize($0.name) }.joined(separator: ", ")
              + (kinds.isEmpty ? "" : " (\(kinds))") + ", \(counts.sentByThisHost) sent by this host, \(counts.totalRejected) rejected" + (rejected.isEmpty ? "" : " (\(rejected))"))
        write("")
        write("queriers")
        if state.queriers.isEmpty { write("  none heard") }
        for querier in state.queriers {
            var line = "  " + column(name(querier.interfaceIndex), nameWidth) + column(querier.version.description, 8) + column("\(querier.address)", addressWidth)
                + column(state.role(of: querier, at: now).rawValue, 12)
            var queries = "\(querier.generalQueries) general"
            if querier.groupSpecificQueries > 0 { queries += " + \(querier.groupSpecificQueries) group-specific" }
            if querier.groupAndSourceSpecificQueries > 0 { queries += " + \(querier.groupAndSourceSpecificQueries) group-and-source-specific" }
            line += queries + " quer\(querier.queries == 1 ? "y" : "ies")"
            if let observed = querier.observedInterval { line += ", every ~\(NumberFormat.fixed(observed, 1)) s" }
            if let advertised = querier.advertisedInterval { line += " (advertises \(advertised) s)" }
            if let robustness = querier.robustness { line += ", QRV \(robustness)" }
            line += ", max response \(NumberFormat.fixed(querier.responseTime, 1)) s, last \(ago(querier.lastHeardAt))"
            if querier.isThisHost { line += ", this host" }
            write(line)
        }
        write("")
        write("groups")
        if state.groups.isEmpty { write("  none heard") }
        for group in state.groups {
            let members = group.members.count
            var line = "  " + column(name(group.interfaceIndex), nameWidth) + column("\(group.group)" + (group.isSourceSpecific ? " (SSM)" : ""), addressWidth)
                + "\(members) member\(members == 1 ? "" : "s"), \(group.reports) report\(group.reports == 1 ? "" : "s")"
            if group.leaves > 0 { line += ", \(group.leaves) leave\(group.leaves == 1 ? "" : "s")" }
            if group.groupQueries > 0 { line += ", \(group.groupQueries) group quer\(group.groupQueries == 1 ? "y" : "ies")" }
            if let last = group.lastReportAt { line += ", last report \(ago(last))" }
            write(line)
            for reporter in group.reporters {
                var detail = "  " + String(repeating: " ", count: nameWidth) + column("\(reporter.address)", addressWidth) + column(reporter.version.description, 8)
                if reporter.hasLeft, let left = reporter.leftAt {
                    detail += column("left \(ago(left))", 30)
                } else {
                    detail += column("\(reporter.mode.rawValue.uppercased()) " + Self.sourceList(reporter.sources)
                                     + (reporter.sourcesOverflow > 0 ? " +\(reporter.sourcesOverflow) not kept" : ""), 30)
                }
                detail += "\(reporter.reports) report\(reporter.reports == 1 ? "" : "s"), last \(ago(reporter.lastReportAt))"
                if reporter.isThisHost { detail += "  this host" }
                write(detail)
            }
            if group.reportersOverflow > 0 { write("        +\(group.reportersOverflow) reports from further hosts not kept") }
        }
        if !state.responses.isEmpty {
            write("")
            write("this host's answers to queries about the groups it joined")
            for record in state.responses {
                var line = "  " + column(name(record.interfaceIndex), nameWidth) + column("\(record.group)", addressWidth) + "\(record.answered) answered"
                if record.suppressed > 0 { line += ", \(record.suppressed) suppressed by \(record.lastSuppressedBy.map { "\($0)" } ?? "?")" }
                if record.missed > 0 { line += ", \(record.missed) missed" }
                write(line)
            }
        }
        write("")
        let shown = findings.filter { $0.severity >= .info }
        write(shown.contains { $0.severity >= .warn } ? "warnings" : "no warnings")
        for finding in shown {
            write("  " + FindingReport.label(finding.severity, colour: false) + "  " + TerminalText.sanitize(finding.summary) + "  [\(TerminalText.sanitize(finding.id))]")
            if finding.severity >= .warn { write("        why: " + TerminalText.sanitize(finding.explanation)) }
            if let fix = finding.fix { write("        fix: " + TerminalText.sanitize(fix)) }
        }
    }
}

// MARK: JSON shapes

/// One message as a JSON line.
private struct MessageLine: Encodable {
    let time: String
    let interface: String
    let family: String
    let version: String
    let type: String
    let wireType: Int
    let source: String
    let destination: String
    let routerAlert: Bool
    let thisHost: Bool
    /// Every group the message is about (the queried group, the reported or left one, each record's).
    let groups: [String]
    let query: QueryJSON?
    let records: [RecordJSON]?

    enum CodingKeys: String, CodingKey {
        case time, interface, family, version, type, wireType = "wire_type", source, destination, routerAlert = "router_alert"
        case thisHost = "this_host", groups, query, records
    }

    init(_ message: IGMPMessage, time: String, host: IGMPHostFacts) {
        self.time = time
        interface = host.name(ofInterface: message.interfaceIndex)
        family = message.version.family == .ipv4 ? "ipv4" : "ipv6"
        version = message.version.rawValue
        type = message.type.rawValue
        wireType = Int(message.wireType)
        source = "\(message.source)"
        destination = "\(message.destination)"
        routerAlert = message.routerAlert
        thisHost = host.sent(message)
        groups = message.groups.map(\.description)
        query = message.query.map(QueryJSON.init)
        if case .records(let records) = message.body { self.records = records.map(RecordJSON.init) } else { records = nil }
    }
}

private struct QueryJSON: Encodable {
    let kind: String
    let group: String?
    let sources: [String]
    let maxResponseMs: Int
    let robustness: Int?
    let intervalS: Int?
    let suppressRouterProcessing: Bool

    enum CodingKeys: String, CodingKey {
        case kind, group, sources, maxResponseMs = "max_response_ms", robustness, intervalS = "interval_s"
        case suppressRouterProcessing = "suppress_router_processing"
    }

    init(_ query: IGMPQuery) {
        kind = query.kind.rawValue
        group = query.group?.description
        sources = query.sources.map(\.description)
        maxResponseMs = query.maxResponseMilliseconds
        robustness = query.robustness
        intervalS = query.queryInterval
        suppressRouterProcessing = query.suppressRouterProcessing
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(group, forKey: .group)  // null for a general query
        try container.encode(sources, forKey: .sources)
        try container.encode(maxResponseMs, forKey: .maxResponseMs)
        try container.encode(robustness, forKey: .robustness)
        try container.encode(intervalS, forKey: .intervalS)
        try container.encode(suppressRouterProcessing, forKey: .suppressRouterProcessing)
    }
}

private struct RecordJSON: Encodable {
    let type: String
    let group: String
    let sources: [String]

    init(_ record: IGMPGroupRecord) {
        type = record.type.description
        group = record.group.description
        sources = record.sources.map(\.description)
    }
}

/// A rejected frame as a JSON line.
private struct RejectionLine: Encodable {
    let time: String
    let interface: String
    let family: String
    let rejected: String
    let reason: String
    let source: String?
    let wireType: Int?
    let thisHost: Bool

    enum CodingKeys: String, CodingKey { case time, interface, family, rejected, reason, source, wireType = "wire_type", thisHost = "this_host" }

    init(_ rejection: IGMPRejection, time: String, host: IGMPHostFacts) {
        self.time = time
        interface = host.name(ofInterface: rejection.interfaceIndex)
        family = rejection.family == .ipv4 ? "ipv4" : "ipv6"
        rejected = rejection.reason.rawValue
        reason = rejection.reason.description
        source = rejection.source?.description
        wireType = rejection.wireType.map(Int.init)
        thisHost = rejection.sentByThisHost
    }
}

private struct SummaryLine: Encodable {
    let summary: Summary
}

/// The closing state as one JSON object.
private struct Summary: Encodable {
    let listenedS: Double
    let interfaces: [String]
    let messages: [String: Int]
    let messagesTotal: Int
    let sentByThisHost: Int
    let rejected: [String: Int]
    let rejectedTotal: Int
    let queriers: [QuerierJSON]
    let groups: [GroupJSON]
    let responses: [ResponseJSON]
    let overflow: [String: Int]
    let findings: [FindingRow]

    enum CodingKeys: String, CodingKey {
        case listenedS = "listened_s", interfaces, messages, messagesTotal = "messages_total", sentByThisHost = "sent_by_this_host"
        case rejected, rejectedTotal = "rejected_total", queriers, groups, responses, overflow, findings
    }

    init(_ state: IGMPState, findings: [Finding], interfaces: [NetworkInterface], at now: Int64, printer: IgmpPrinter) {
        let host = state.host
        func ago(_ time: Int64) -> Double { (Double(now.subtractingSaturating(time)) / 1e6).rounded() / 1000 }
        listenedS = (Double(state.listened(at: now)) / 1e6).rounded() / 1000
        self.interfaces = interfaces.map(\.name)
        messages = Dictionary(uniqueKeysWithValues: state.counts.messages.map { ($0.key.description, $0.value) })
        messagesTotal = state.counts.totalMessages
        sentByThisHost = state.counts.sentByThisHost
        rejected = Dictionary(uniqueKeysWithValues: state.counts.rejected.map { ($0.key.rawValue, $0.value) })
        rejectedTotal = state.counts.totalRejected
        queriers = state.queriers.map { querier in
            QuerierJSON(interface: host.name(ofInterface: querier.interfaceIndex), address: "\(querier.address)", version: querier.version.rawValue,
                        role: state.role(of: querier, at: now).rawValue, thisHost: querier.isThisHost,
                        generalQueries: querier.generalQueries, groupSpecificQueries: querier.groupSpecificQueries,
                        groupAndSourceSpecificQueries: querier.groupAndSourceSpecificQueries,
                        observedIntervalS: querier.observedInterval.map { ($0 * 1000).rounded() / 1000 },
                        advertisedIntervalS: querier.advertisedInterval, robustness: querier.robustness,
                        maxResponseMs: querier.maxResponseMilliseconds, lastQuerySAgo: ago(querier.lastHeardAt),
                        routerAlert: querier.routerAlert, lastQueriedGroup: querier.lastQueriedGroup?.description,
                        rpFilterDrops: state.reversePathDrops(querier))
        }
        groups = state.groups.map { group in
            GroupJSON(interface: host.name(ofInterface: group.interfaceIndex), group: "\(group.group)", sourceSpecific: group.isSourceSpecific,
                      members: group.members.count, reports: group.reports, leaves: group.leaves, groupQueries: group.groupQueries,
                      lastReportSAgo: group.lastReportAt.map(ago), reportersNotKept: group.reportersOverflow,
                      reporters: group.reporters.map { reporter in
                          ReporterJSON(address: "\(reporter.address)", version: reporter.version.rawValue, mode: reporter.mode.rawValue,
                                       sources: reporter.sources.map(\.description), sourcesNotKept: reporter.sourcesOverflow,
                                       lastRecord: reporter.lastRecordType?.description, reports: reporter.reports,
                                       lastReportSAgo: ago(reporter.lastReportAt), left: reporter.hasLeft, leftSAgo: reporter.leftAt.map(ago),
                                       thisHost: reporter.isThisHost)
                      })
        }
        responses = state.responses.map { record in
            ResponseJSON(interface: host.name(ofInterface: record.interfaceIndex), group: "\(record.group)", answered: record.answered,
                         suppressed: record.suppressed, missed: record.missed, lastSuppressedBy: record.lastSuppressedBy?.description)
        }
        overflow = ["queriers": state.overflow.queriers, "groups": state.overflow.groups, "reporters": state.overflow.reporters,
                    "sources": state.overflow.sources]
        self.findings = findings.map(FindingRow.init)
    }
}

private struct QuerierJSON: Encodable {
    let interface: String, address: String, version: String, role: String, thisHost: Bool
    let generalQueries: Int, groupSpecificQueries: Int, groupAndSourceSpecificQueries: Int
    let observedIntervalS: Double?, advertisedIntervalS: Int?, robustness: Int?, maxResponseMs: Int, lastQuerySAgo: Double
    let routerAlert: Bool, lastQueriedGroup: String?, rpFilterDrops: Bool

    enum CodingKeys: String, CodingKey {
        case interface, address, version, role, thisHost = "this_host", generalQueries = "general_queries"
        case groupSpecificQueries = "group_specific_queries", groupAndSourceSpecificQueries = "group_and_source_specific_queries"
        case observedIntervalS = "observed_interval_s", advertisedIntervalS = "advertised_interval_s", robustness
        case maxResponseMs = "max_response_ms", lastQuerySAgo = "last_query_s_ago", routerAlert = "router_alert"
        case lastQueriedGroup = "last_queried_group", rpFilterDrops = "rp_filter_drops"
    }
}

private struct GroupJSON: Encodable {
    let interface: String, group: String, sourceSpecific: Bool, members: Int, reports: Int, leaves: Int, groupQueries: Int
    let lastReportSAgo: Double?, reportersNotKept: Int, reporters: [ReporterJSON]

    enum CodingKeys: String, CodingKey {
        case interface, group, sourceSpecific = "source_specific", members, reports, leaves, groupQueries = "group_queries"
        case lastReportSAgo = "last_report_s_ago", reportersNotKept = "reporters_not_kept", reporters
    }
}

private struct ReporterJSON: Encodable {
    let address: String, version: String, mode: String, sources: [String], sourcesNotKept: Int, lastRecord: String?
    let reports: Int, lastReportSAgo: Double, left: Bool, leftSAgo: Double?, thisHost: Bool

    enum CodingKeys: String, CodingKey {
        case address, version, mode, sources, sourcesNotKept = "sources_not_kept", lastRecord = "last_record", reports
        case lastReportSAgo = "last_report_s_ago", left, leftSAgo = "left_s_ago", thisHost = "this_host"
    }
}

private struct ResponseJSON: Encodable {
    let interface: String, group: String, answered: Int, suppressed: Int, missed: Int, lastSuppressedBy: String?

    enum CodingKeys: String, CodingKey {
        case interface, group, answered, suppressed, missed, lastSuppressedBy = "last_suppressed_by"
    }
}
