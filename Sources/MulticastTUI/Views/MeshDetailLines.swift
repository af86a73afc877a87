import MulticastExpert
import MulticastMonitor
import MulticastText

/// The selected pair of the mesh matrix in full: where its figures come from (measured here, or
/// the receiver's report and how old it is), received, lost, loss, duplicates, latency (one-way
/// when the clocks agree, else the round trip), jitter and the TTL / hop limit on arrival; then
/// the two participants and the session's counters. Wrapped to the width given.
enum MeshDetailLines {
    /// The rule's title: `h2 hears h1`, `h1 hears itself`.
    static func title(_ matrix: MeshMatrix, receiver r: Int, sender s: Int) -> String {
        guard matrix.participants.indices.contains(r), matrix.participants.indices.contains(s) else { return "" }
        let receiver = MeshCellLook.name(matrix.participants[r])
        return r == s ? "\(receiver) hears itself" : "\(receiver) hears \(MeshCellLook.name(matrix.participants[s]))"
    }

    static func lines(_ snapshot: MeshSnapshot, receiver r: Int, sender s: Int, width: Int) -> [(text: String, style: Style)] {
        let matrix = snapshot.matrix
        let participants = matrix.participants
        guard participants.indices.contains(r), participants.indices.contains(s) else { return [] }
        var paragraphs: [(text: String, style: Style)] = []
        if participants.count < 2 {
            let request = snapshot.request
            paragraphs.append(("No other participant heard yet: run mcexpert mesh \(GroupSpec.text(request.group, port: request.port)) -i IFACE on the other hosts"
                               + " (the same group and port), or start the Mesh screen there.", .info))
        }
        paragraphs += pair(matrix, receiver: r, sender: s)
        paragraphs.append((participant(participants[r], matrix: matrix), participants[r].isGone ? .dim : .normal))
        if s != r { paragraphs.append((participant(participants[s], matrix: matrix), participants[s].isGone ? .dim : .normal)) }
        paragraphs.append((counters(snapshot), .dim))
        if snapshot.failures > 0 {
            paragraphs.append(("\(snapshot.failures) send/receive failures, the latest: \(TerminalText.sanitize(snapshot.latestFailure ?? "?"))", .error))
        }
        return paragraphs.flatMap { paragraph in Format.wrap(paragraph.text, width: max(width, 10)).map { ($0, paragraph.style) } }
    }

    /// What the cell says, and where that comes from.
    static func pair(_ matrix: MeshMatrix, receiver r: Int, sender s: Int) -> [(text: String, style: Style)] {
        let receiver = matrix.participants[r], sender = matrix.participants[s]
        let rName = MeshCellLook.name(receiver), sName = MeshCellLook.name(sender)
        let look = MeshCellLook.of(matrix, receiver: r, sender: s, glyphs: .ascii)
        guard let cell = r < matrix.cells.count && s < matrix.cells[r].count ? matrix.cells[r][s] : nil else {
            if !receiver.isSelf && !receiver.isHeardDirectly {
                return [("Unknown: this host does not hear \(rName), so what \(rName) hears cannot arrive here (\(rName) is known from the others' reports).", .warn)]
            }
            if r == s {
                return [(receiver.isSendOnly ? "\(rName) sends without joining the group, so it hears nobody, itself included."
                         : "\(rName) does not hear its own beacons (multicast loopback off, or not joined).", .dim)]
            }
            if receiver.isGone || sender.isGone {
                return [("Not heard, and \(receiver.isGone ? rName : sName) is gone.", .dim)]
            }
            if look.style == .fail {
                return [("\(rName) does not hear \(sName) at all: none of \(sName)'s beacons arrive at \(rName).", .fail)]
            }
            return [("Not reported yet: \(rName)'s reports on \(sName) take a few beacons to arrive.", .dim)]
        }
        var lines: [(text: String, style: Style)] = []
        var origin: String
        switch cell.origin {
        case .measured: origin = "Measured by this host."
        case .reported(let age): origin = "Reported by \(rName) in its beacon \(Format.age(nanoseconds: age)) ago."
        }
        if cell.isGone { origin += " \(rName) no longer hears \(sName)." }
        lines.append((origin, cell.isGone ? .dim : .normal))
        let loss = cell.lossPercent.map { Format.fixed($0, $0 > 0 && $0 < 0.1 ? 3 : 1) + "%" } ?? "-"
        lines.append(("Received \(cell.received) beacons, lost \(cell.lost) (\(loss)), \(cell.duplicates) duplicate\(cell.duplicates == 1 ? "" : "s").",
                      look.style == .ok ? .normal : look.style))
        var timing: String
        switch cell.latency {
        case .oneWay(let ns)?: timing = "Latency \(Format.milliseconds(Double(ns))) one-way (the clocks agree)"
        case .roundTrip(let ns)?: timing = "Latency \(Format.milliseconds(Double(ns))) round trip (the clocks disagree, so no one-way figure)"
        case nil: timing = "Latency not measured yet"
        }
        if cell.clocksAgree, let rtt = cell.roundTripNanoseconds { timing += ", round trip \(Format.milliseconds(Double(rtt)))" }
        timing += "; jitter \(Format.milliseconds(cell.jitterNanoseconds.isFinite ? cell.jitterNanoseconds : 0))."
        lines.append((timing, .normal))
        lines.append(("TTL/hop limit on arrival: " + (cell.lastHopLimit.map(String.init) ?? "not known") + ".", .normal))
        return lines
    }

    /// `h1: 198.18.0.1, run 3f2a9c, a beacon every 200ms, heard 0.1s ago; gone`.
    static func participant(_ participant: MeshParticipant, matrix: MeshMatrix) -> String {
        var text = MeshCellLook.name(participant) + ": " + (participant.address.map { "\($0)" } ?? "address unknown")
        text += ", run " + String(participant.runID, radix: 16)
        if participant.intervalNanoseconds > 0 { text += ", a beacon every \(MeshView.interval(participant.intervalNanoseconds))" }
        var facts: [String] = []
        if participant.isSelf { facts.append("this host") }
        if let silence = participant.silenceNanoseconds {
            facts.append((participant.isHeardDirectly ? "heard " : "mentioned ") + Format.age(nanoseconds: silence) + " ago")
        }
        if !participant.isSelf && !participant.isHeardDirectly { facts.append("not heard here, known from the others' reports") }
        if participant.isReplaced {
            facts.append("restarted: a new run replaced it")
        } else if participant.isGone {
            facts.append("gone")
        }
        if participant.isSendOnly { facts.append("send-only (not joined)") }
        if participant.omittedReports > 0 { facts.append("\(participant.omittedReports) reports rotate through its beacons") }
        return text + (facts.isEmpty ? "" : "; " + facts.joined(separator: ", "))
    }

    /// What the session sent, received and left out; the rarer counters only when not zero.
    static func counters(_ snapshot: MeshSnapshot) -> String {
        let c = snapshot.matrix.counters
        var text = "Beacons: \(c.beaconsSent) sent, \(c.beaconsReceived) received; on the group also \(c.notProbes) not probes, \(c.plainProbes) plain probes, "
        text += "\(c.malformed) malformed"
        if c.beaconSendFailures > 0 { text += "; \(c.beaconSendFailures) beacons failed to send" }
        if c.peerOverflow > 0 { text += "; \(c.peerOverflow) participants over the cap of 64 ignored" }
        if c.peersEvicted > 0 { text += "; \(c.peersEvicted) runs dropped for newcomers (gone or never established)" }
        if c.addressMismatches > 0 { text += "; \(c.addressMismatches) beacons dropped: their run id belongs to another address" }
        return text + "."
    }
}
