import MulticastExpert
import MulticastMonitor
import MulticastText

/// Whether a mesh run passed: what decides `mesh`'s exit status.
enum MeshVerdict: Equatable {
    case clean
    case failed
}

/// Prints `mesh`'s matrix and summary as text or JSON lines. Names come off the network: text
/// goes through ``TerminalText``, JSON through ``JSONOutput``.
final class MeshPrinter {
    let format: MeshFormat
    let group: MulticastGroup
    let port: UInt16
    let session: MeshSession
    let maxLossPercent: Double
    let expected: Int?

    /// The widest a name column gets, characters (longer names are cut with "…").
    static let nameWidth = 14

    init(format: MeshFormat, group: MulticastGroup, port: UInt16, session: MeshSession, maxLossPercent: Double, expected: Int?) {
        self.format = format
        self.group = group
        self.port = port
        self.session = session
        self.maxLossPercent = maxLossPercent
        self.expected = expected
    }

    // MARK: Every interval

    func printMatrix(_ matrix: MeshMatrix, elapsed: Int64) {
        switch format {
        case .json: writeLines([JSONOutput.encode(MatrixLine(matrix: MatrixJSON(matrix, elapsed: elapsed)))])
        case .text: writeLines([""] + header(matrix, elapsed: elapsed) + table(matrix) + [""] + Self.intervalPairLines(matrix))
        }
    }

    /// The pair table when it stays readable every interval, else a line saying where it is.
    static func intervalPairLines(_ matrix: MeshMatrix) -> [String] {
        let pairs = MeshPairTable.pairCount(matrix)
        if pairs <= MeshPairTable.intervalPairLimit { return MeshPairTable.lines(matrix) }
        return ["pairs: \(pairs), listed in the final print (and every interval with --format json)"]
    }

    // MARK: At the end

    /// Prints the final matrix, the participants and the problems; returns the verdict.
    func printSummary(_ matrix: MeshMatrix, elapsed: Int64) -> MeshVerdict {
        let problems = problemLines(matrix)
        let verdict: MeshVerdict = problems.isEmpty ? .clean : .failed
        switch format {
        case .json:
            let summary = SummaryJSON(matrix: MatrixJSON(matrix, elapsed: elapsed), problems: problems, exitStatus: verdict == .clean ? 0 : 1,
                                      sendFailures: session.failures.count, latestFailure: session.failures.latest.map { "\($0)" })
            writeLines([JSONOutput.encode(SummaryLine(summary: summary))])
        case .text:
            var lines = [""] + header(matrix, elapsed: elapsed, final: true) + table(matrix) + [""] + legend() + [""]
                + MeshPairTable.lines(matrix) + [""] + Self.participantLines(matrix)
            let counters = matrix.counters
            lines.append("")
            lines.append("beacons: \(counters.beaconsSent) sent, \(counters.beaconSendFailures) failed to send, \(counters.beaconsReceived) received")
            lines.append("other datagrams on the group: \(counters.notProbes) not probes, \(counters.plainProbes) plain probes, \(counters.malformed) malformed")
            lines.append("runs: \(counters.peerOverflow) over the cap of 64, \(counters.peersEvicted) dropped for newcomers")
            lines.append("beacons dropped: \(counters.addressMismatches) with a known run id from another address")
            let failures = session.failures
            if failures.count > 0 { lines.append("send/receive failures: \(failures.count), latest: \(failures.latest.map { "\($0)" } ?? "")") }
            lines.append("")
            if problems.isEmpty {
                lines.append("every pair meets --max-loss \(NumberFormat.fixed(maxLossPercent, 1))%")
            } else {
                lines.append("problems")
                lines += problems.map { "  " + $0 }
            }
            writeLines(lines)
        }
        return verdict
    }

    /// Every failing pair and a missing --expect count, as sentences.
    func problemLines(_ matrix: MeshMatrix) -> [String] {
        Self.problemLines(matrix, maxLossPercent: maxLossPercent, expected: expected)
    }

    /// Every failing pair, runs sharing a name and address, a missing --expect count (counted as
    /// ``MeshMatrix/presentParticipantCount`` does: present, heard here, one per name and
    /// address), and no other participant heard directly, as sentences.
    static func problemLines(_ matrix: MeshMatrix, maxLossPercent: Double, expected: Int?) -> [String] {
        var lines: [String] = []
        let names = Dictionary(matrix.participants.map { ($0.runID, $0.nameText) }, uniquingKeysWith: { a, _ in a })
        for problem in matrix.failingPairs(maxLossPercent: maxLossPercent) {
            let receiver = names[problem.receiver] ?? "?", sender = names[problem.sender] ?? "?"
            switch problem.kind {
            case .loss(let loss):
                lines.append("\(receiver) loses \(NumberFormat.fixed(loss, 1))% of \(sender)'s beacons (--max-loss \(NumberFormat.fixed(maxLossPercent, 1))%)")
            case .notHeard:
                lines.append("\(receiver) does not hear \(sender)")
            case .duplicates(let count):
                lines.append("\(receiver) receives \(count) of \(sender)'s beacons twice (a loop or two paths)")
            }
        }
        for group in matrix.sharedIdentities() {
            guard let first = group.first, let participant = matrix.participants.first(where: { $0.runID == first }) else { continue }
            lines.append("\(group.count) runs share name \(participant.nameText) and address \(participant.address.map { "\($0)" } ?? "-") "
                         + "(runs \(group.map { String($0, radix: 16) }.joined(separator: ", ")): two mcexpert mesh on one host, or forged beacons)")
        }
        let present = matrix.presentParticipantCount
        if let expected, present < expected {
            lines.append("\(present) participant\(present == 1 ? "" : "s") present and heard here, \(expected) expected")
        }
        if !matrix.participants.contains(where: { !$0.isSelf && $0.isHeardDirectly }) { lines.append("no other participant heard") }
        return lines.map(TerminalText.sanitize)
    }

    // MARK: Text

    private func header(_ matrix: MeshMatrix, elapsed: Int64, final: Bool = false) -> [String] {
        let present = matrix.participants.filter { !$0.isGone }.count
        let gone = matrix.participants.count - present
        let interfaceName = TerminalText.sanitize(session.interface.name)
        return ["mcexpert mesh \(GroupSpec.text(group, port: port)) on \(interfaceName)\(final ? ", final" : ""): "
                + "\(present) participant\(present == 1 ? "" : "s")\(gone > 0 ? " (+\(gone) gone)" : ""), "
                + "\(NumberFormat.fixed(Double(elapsed) / 1e9, 1)) s, beacons every \(NumberFormat.fixed(Double(session.configuration.intervalNanoseconds) / 1e6, 0)) ms"]
    }

    /// The matrix: a row per receiver, a column per sender.
    func table(_ matrix: MeshMatrix) -> [String] {
        let names = matrix.participants.map { Self.shortName($0) }
        var texts: [[String]] = []
        for (r, receiver) in matrix.participants.enumerated() {
            texts.append(matrix.participants.indices.map { s in
                let cell = r < matrix.cells.count && s < matrix.cells[r].count ? matrix.cells[r][s] : nil
                return Self.cellText(cell, receiver: receiver, isDiagonal: r == s)
            })
        }
        let rowLabels = matrix.participants.enumerated().map { i, p in names[i] + (p.isSelf ? " *" : "") + (p.isGone ? " (gone)" : "") }
        let firstWidth = max(rowLabels.map(\.count).max() ?? 0, "receiver \\ sender".count) + 2
        let widths = matrix.participants.indices.map { s in max(names[s].count, texts.map { $0[s].count }.max() ?? 0) + 2 }
        var lines = [column("receiver \\ sender", firstWidth) + names.enumerated().map { column($1, widths[$0]) }.joined()]
        for (r, label) in rowLabels.enumerated() {
            lines.append(column(label, firstWidth) + texts[r].enumerated().map { column($1, widths[$0]) }.joined())
        }
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    func legend() -> [String] {
        ["cells: loss % of the sender's beacons at the receiver, then latency: 40µs",
         "       one-way (the clocks agree), r80µs round trip; — not heard, ? unknown",
         "       (this host does not hear that receiver), gone: no longer heard;",
         "       * this host; the diagonal is a host hearing its own beacons (loopback)"]
    }

    /// A line per participant: address, run id and what is known about it.
    static func participantLines(_ matrix: MeshMatrix) -> [String] {
        var lines = ["participants"]
        for p in matrix.participants {
            var line = "  " + column(Self.shortName(p), Self.nameWidth + 2) + column(p.address.map { "\($0)" } ?? "-", 26)
            line += column("run " + String(p.runID, radix: 16), 22)
            var facts: [String] = []
            if p.isSelf { facts.append("this host") }
            if p.isReplaced { facts.append("restarted (a new run replaced it)") } else if p.isGone { facts.append("gone") }
            if p.isSendOnly { facts.append("send-only (not joined)") }
            if !p.isSelf && !p.isHeardDirectly { facts.append("not heard here, known from reports") }
            if let silence = p.silenceNanoseconds { facts.append("last \(NumberFormat.fixed(Double(silence) / 1e9, 1)) s ago") }
            if let me = matrix.participants.first(where: \.isSelf), let hops = matrix.cell(receiver: me.runID, sender: p.runID)?.lastHopLimit {
                facts.append("TTL \(hops) here")
            }
            if p.omittedReports > 0 { facts.append("\(p.omittedReports) reports rotated out per beacon") }
            lines.append(line + facts.joined(separator: ", "))
        }
        return lines.map(TerminalText.sanitize)
    }

    static func shortName(_ participant: MeshParticipant) -> String {
        let text = TerminalText.sanitize(participant.nameText)
        return text.count > nameWidth ? String(text.prefix(nameWidth - 1)) + "…" : text
    }

    /// `0%  40µs`, `12.5% r1.2ms`, `—`, `?`, `gone`.
    static func cellText(_ cell: MeshCell?, receiver: MeshParticipant, isDiagonal: Bool) -> String {
        guard let cell else { return receiver.isSelf || receiver.isHeardDirectly ? "—" : "?" }
        if cell.isGone { return "gone" }
        let loss = cell.lossPercent.map { percent($0) } ?? "-"
        if isDiagonal { return "self " + loss }
        var text = loss
        switch cell.latency {
        case .oneWay(let ns)?: text += " " + duration(ns)
        case .roundTrip(let ns)?: text += " r" + duration(ns)
        case nil: break
        }
        return text
    }

    static func percent(_ value: Double) -> String {
        if value == 0 { return "0%" }
        if value >= 99.95 { return "100%" }
        return NumberFormat.fixed(value, value < 10 ? 1 : 0) + "%"
    }

    /// `40µs`, `1.2ms`, `850ms`, `2.1s`.
    static func duration(_ nanoseconds: Int64) -> String {
        let value = Double(nanoseconds)
        if abs(value) < 1_000_000 { return "\(Int64(saturating: (value / 1000).rounded()))µs" }
        if abs(value) < 100_000_000 { return NumberFormat.fixed(value / 1e6, 1) + "ms" }
        if abs(value) < 10_000_000_000 { return "\(Int64(saturating: (value / 1e6).rounded()))ms" }
        return NumberFormat.fixed(value / 1e9, 1) + "s"
    }

    private func writeLines(_ lines: [String]) {
        var bytes: [UInt8] = []
        for line in lines {
            bytes.append(contentsOf: TerminalText.sanitize(line).utf8)
            bytes.append(0x0a)
        }
        writeAll(1, bytes)
    }
}

// MARK: JSON shapes

private struct MatrixLine: Encodable {
    let matrix: MatrixJSON
}

private struct SummaryLine: Encodable {
    let summary: SummaryJSON
}

private struct SummaryJSON: Encodable {
    let matrix: MatrixJSON
    let problems: [String]
    let exitStatus: Int
    let sendFailures: UInt64
    let latestFailure: String?

    enum CodingKeys: String, CodingKey {
        case matrix, problems, exitStatus = "exit_status", sendFailures = "send_failures", latestFailure = "latest_failure"
    }
}

/// The matrix as JSON: participants, and one object per (receiver, sender) cell that has figures.
private struct MatrixJSON: Encodable {
    let time: String
    let elapsedS: Double
    let participants: [ParticipantJSON]
    let cells: [CellJSON]
    let counters: CountersJSON

    enum CodingKeys: String, CodingKey {
        case time, elapsedS = "elapsed_s", participants, cells, counters
    }

    init(_ matrix: MeshMatrix, elapsed: Int64) {
        time = TimeFormat.iso8601(.now)
        elapsedS = Double(elapsed) / 1e9
        participants = matrix.participants.map(ParticipantJSON.init)
        var cells: [CellJSON] = []
        for (r, receiver) in matrix.participants.enumerated() {
            for (s, sender) in matrix.participants.enumerated() {
                guard r < matrix.cells.count, s < matrix.cells[r].count, let cell = matrix.cells[r][s] else { continue }
                cells.append(CellJSON(cell, receiver: receiver, sender: sender))
            }
        }
        self.cells = cells
        counters = CountersJSON(matrix.counters)
    }
}

private struct ParticipantJSON: Encodable {
    let runID: String
    let name: String
    let address: String?
    let isSelf: Bool
    let heardDirectly: Bool
    let gone: Bool
    let replaced: Bool
    let sendOnly: Bool
    let silenceS: Double?
    let intervalS: Double
    let omittedReports: Int

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", name, address, isSelf = "self", heardDirectly = "heard_directly", gone, replaced, sendOnly = "send_only"
        case silenceS = "silence_s", intervalS = "interval_s", omittedReports = "omitted_reports"
    }

    init(_ p: MeshParticipant) {
        runID = String(p.runID, radix: 16)
        name = p.nameText
        address = p.address.map { "\($0)" }
        isSelf = p.isSelf
        heardDirectly = p.isSelf || p.isHeardDirectly
        gone = p.isGone
        replaced = p.isReplaced
        sendOnly = p.isSendOnly
        silenceS = p.silenceNanoseconds.map { Double($0) / 1e9 }
        intervalS = Double(p.intervalNanoseconds) / 1e9
        omittedReports = p.omittedReports
    }
}

private struct CellJSON: Encodable {
    let receiver: String
    let sender: String
    let receiverRunID: String
    let senderRunID: String
    let origin: String
    let ageS: Double?
    let received: UInt64
    let lost: UInt64
    let lossPercent: Double?
    let duplicates: UInt64
    let oneWayMs: Double?
    let clocksAgree: Bool
    let rttMs: Double?
    let jitterMs: Double
    let ttl: Int?
    let gone: Bool

    enum CodingKeys: String, CodingKey {
        case receiver, sender, receiverRunID = "receiver_run_id", senderRunID = "sender_run_id", origin, ageS = "age_s", received, lost
        case lossPercent = "loss_pct", duplicates, oneWayMs = "one_way_ms", clocksAgree = "clocks_agree", rttMs = "rtt_ms", jitterMs = "jitter_ms", ttl, gone
    }

    init(_ cell: MeshCell, receiver: MeshParticipant, sender: MeshParticipant) {
        self.receiver = receiver.nameText
        self.sender = sender.nameText
        receiverRunID = String(receiver.runID, radix: 16)
        senderRunID = String(sender.runID, radix: 16)
        switch cell.origin {
        case .measured: origin = "measured"; ageS = nil
        case .reported(let age): origin = "reported"; ageS = Double(age) / 1e9
        }
        received = cell.received
        lost = cell.lost
        lossPercent = cell.lossPercent
        duplicates = cell.duplicates
        oneWayMs = cell.clocksAgree ? cell.oneWayNanoseconds.map { Double($0) / 1e6 } : nil
        clocksAgree = cell.clocksAgree
        rttMs = cell.roundTripNanoseconds.map { Double($0) / 1e6 }
        jitterMs = cell.jitterNanoseconds / 1e6
        ttl = cell.lastHopLimit
        gone = cell.isGone
    }
}

private struct CountersJSON: Encodable {
    let beaconsSent: UInt64
    let beaconSendFailures: UInt64
    let beaconsReceived: UInt64
    let notProbes: UInt64
    let plainProbes: UInt64
    let malformed: UInt64
    let peerOverflow: UInt64
    let reportsOmitted: UInt64
    let peersEvicted: UInt64
    let addressMismatches: UInt64

    enum CodingKeys: String, CodingKey {
        case beaconsSent = "beacons_sent", beaconSendFailures = "beacon_send_failures", beaconsReceived = "beacons_received", notProbes = "not_probes", plainProbes = "plain_probes"
        case malformed, peerOverflow = "peer_overflow", reportsOmitted = "reports_omitted", peersEvicted = "peers_evicted"
        case addressMismatches = "address_mismatches"
    }

    init(_ c: MeshCounters) {
        beaconsSent = c.beaconsSent
        beaconSendFailures = c.beaconSendFailures
        beaconsReceived = c.beaconsReceived
        notProbes = c.notProbes
        plainProbes = c.plainProbes
        malformed = c.malformed
        peerOverflow = c.peerOverflow
        reportsOmitted = c.reportsOmitted
        peersEvicted = c.peersEvicted
        addressMismatches = c.addressMismatches
    }
}
