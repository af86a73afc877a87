import MulticastExpert

/// The state of one participant of an all-pairs multicast test: fed every datagram received on
/// the group and asked for the next beacon to send, it holds every participant by run id and
/// produces the matrix of who hears whom.
///
/// Pure: bytes, addresses and explicit times in, values out; no sockets, no clock reads. Two
/// clocks come in: the wall clock (`receivedAt`, `sendTime`; the beacons' send times and the
/// echo are on it) and a monotonic one (`now`; silences and ages are on it).
///
/// Everything in a beacon is the sender's claim, and anyone on the group can send one:
/// - At most ``MeshConfiguration/peerCapacity`` participants besides this host are kept. A new
///   run id beyond that takes the place of the participant silent longest that is gone, else of
///   one not yet established (heard in fewer than 3 beacons and reported by no established
///   participant) that has been silent for 2 of this host's intervals (at least the shortest gone
///   time); otherwise it is counted in ``MeshCounters/peerOverflow`` and ignored. A spoofer
///   sending one beacon per fake run id so fills the table only for a second or so, and real
///   participants, once established, are never pushed out by newcomers.
/// - A participant's claimed interval counts for gone-ness only up to 10 of this host's
///   intervals (at least 5 s), so a forged "one beacon a minute" does not keep a run present.
/// - A run id belongs to the address of its first beacon heard directly (for this host's own
///   run id, its own first beacon looped back, sent before anyone can know the random id):
///   beacons with that run id from elsewhere are counted in ``MeshCounters/addressMismatches``
///   and dropped.
/// - A run is shown as replaced (restarted) only once it is gone and a newer run has its name and
///   address: a forged beacon with a live host's name and address, or a second `mcexpert mesh`
///   on the same host, never makes a live participant gone. Runs present at once under one name
///   and address are reported by ``MeshMatrix/sharedIdentities()``.
/// - A participant keeps one report per sender it mentions, only for participants in the table.
/// - A round trip is taken from an echo only when the echoed sequence number and send time are
///   one of this host's last 64 beacons, and it is between 0 and 60 s.
public struct MeshState: Sendable {
    /// Who this host is and the limits.
    public let configuration: MeshConfiguration
    /// What was received, rejected and left out.
    public private(set) var counters = MeshCounters()
    /// The sequence number of the next beacon.
    public private(set) var nextSequence: UInt64 = 0

    private var peers: [UInt64: MeshPeer] = [:]
    /// This host's latest beacons' send times, by sequence number modulo 64.
    private var recentSends = [Int64?](repeating: nil, count: 64)
    private var recentSequences = [UInt64](repeating: 0, count: 64)
    /// Where the next beacon's reports start (they rotate when they do not all fit).
    private var rotation = 0
    /// No participant can make room before this monotonic time (found by the last full scan), so
    /// a flood of new run ids against a full table costs no scan each.
    private var noVictimBefore: Int64 = .min

    /// A state with only this host in it.
    public init(configuration: MeshConfiguration) {
        self.configuration = configuration
        peers[configuration.runID] = MeshPeer(runID: configuration.runID, name: configuration.name, address: nil, isSelf: true, firstKnown: .min)
    }

    /// Participants tracked besides this host.
    public var peerCount: Int { peers.count - 1 }

    /// Accounts for one datagram that arrived on the group: a beacon is taken in; anything else is
    /// counted by kind.
    ///
    /// - Parameters:
    ///   - payload: the datagram's bytes.
    ///   - source: the address it came from.
    ///   - hopLimit: the TTL / hop limit it arrived with, when known.
    ///   - receivedAt: when it arrived, wall clock (the kernel's timestamp).
    ///   - now: monotonic nanoseconds.
    public mutating func receive(payload: [UInt8], from source: IPAddress?, hopLimit: Int?, receivedAt: Timestamp, now: Int64) {
        do throws(MeshBeaconRejection) {
            let beacon = try MeshBeacon(decoding: payload)
            receive(beacon, from: source, hopLimit: hopLimit, receivedAt: receivedAt, now: now)
        } catch {
            switch error {
            case .notProbe: counters.notProbes &+= 1
            case .notMesh: counters.plainProbes &+= 1
            default: counters.malformed &+= 1
            }
        }
    }

    /// Takes in one decoded beacon; see ``receive(payload:from:hopLimit:receivedAt:now:)``.
    public mutating func receive(_ beacon: MeshBeacon, from source: IPAddress?, hopLimit: Int?, receivedAt: Timestamp, now: Int64) {
        let runID = beacon.runID
        let isNew = peers[runID] == nil
        if isNew {
            guard admit(runID, name: beacon.name, address: source, now: now) else {
                counters.beaconsReceived &+= 1
                return
            }
        }
        guard var peer = peers[runID] else { return }
        if let source {
            if let pinned = peer.pinnedAddress, pinned != source {
                counters.addressMismatches &+= 1
                return
            }
            if peer.pinnedAddress == nil {
                peer.pinnedAddress = source
                peer.address = source
            }
        }
        counters.beaconsReceived &+= 1
        let isSelf = peer.isSelf
        if !isSelf {
            peer.name = beacon.name
            peer.isSendOnly = beacon.isSendOnly
            peer.intervalNanoseconds = Int64(beacon.intervalMicroseconds).multipliedSaturating(by: 1000)
            peer.trackedPeers = Int(beacon.trackedPeers)
            peer.omittedReports = Int(beacon.omittedReports)
        }
        peer.lastHeard = now
        let wall = receivedAt.nanosecondsSinceEpoch
        if peer.tracker == nil {
            peer.tracker = ProbeSequenceTracker(first: beacon.probe, receivedAt: wall, now: now)
        } else {
            peer.tracker?.record(beacon.probe, receivedAt: wall, now: now)
        }
        if let hopLimit { peer.lastHopLimit = hopLimit }
        if let latest = peer.latestBeacon, latest.sequence &- beacon.probe.sequence < 1 << 63, latest.sequence != beacon.probe.sequence {
            // older than the latest: keep the latest for the echo
        } else {
            peer.latestBeacon = .init(sequence: beacon.probe.sequence, sendTimeNanoseconds: beacon.probe.sendTimeNanoseconds, heardAtNanoseconds: wall)
        }
        peers[runID] = peer
        if isNew { noteNewcomer(runID) }
        guard !isSelf else { return }
        takeReports(of: beacon, from: runID, receivedAt: wall, now: now)
    }

    /// The next beacon to send, with this host's reports (rotating through them when they do not
    /// all fit in ``MeshBeacon/maximumLength``). Advances ``nextSequence``.
    ///
    /// - Parameters:
    ///   - sendTime: the wall-clock time it is sent (goes into the probe header).
    ///   - now: monotonic nanoseconds.
    public mutating func makeBeacon(sendTime: Timestamp, now: Int64) -> MeshBeacon {
        if let me = peers[configuration.runID], me.firstKnown == .min { peers[configuration.runID]?.firstKnown = now }
        let sequence = nextSequence
        nextSequence &+= 1
        let slot = Int(sequence % UInt64(recentSends.count))
        recentSends[slot] = sendTime.nanosecondsSinceEpoch
        recentSequences[slot] = sequence

        let heard = peers.values.filter { $0.tracker != nil }.sorted { $0.runID < $1.runID }
        var reports: [MeshReport] = []
        var budget = MeshBeacon.maximumLength - MeshBeacon.fixedLength - configuration.name.count
        if !heard.isEmpty {
            let start = rotation % heard.count
            for step in 0..<heard.count {
                let report = report(on: heard[(start + step) % heard.count], sendTime: sendTime.nanosecondsSinceEpoch, now: now)
                guard reports.count < MeshBeacon.maximumReports, report.encodedLength <= budget else { break }
                budget -= report.encodedLength
                reports.append(report)
            }
            rotation = (start + reports.count) % heard.count
        }
        let omitted = heard.count - reports.count
        counters.reportsOmitted &+= UInt64(omitted)
        let interval = UInt32(clamping: configuration.intervalNanoseconds / 1000)
        let probe = ProbeHeader(senderID: configuration.runID, sequence: sequence, sendTimeNanoseconds: sendTime.nanosecondsSinceEpoch)
        return MeshBeacon(probe: probe, name: configuration.name, isSendOnly: configuration.isSendOnly, intervalMicroseconds: interval,
                          omittedReports: UInt16(clamping: omitted), trackedPeers: UInt16(clamping: heard.count), reports: reports)
    }

    /// Counts a beacon from ``makeBeacon(sendTime:now:)`` as sent when the kernel took it, else
    /// as a send failure: ``MeshCounters/beaconsSent`` says what actually left, not what was made.
    public mutating func noteBeaconSent(_ succeeded: Bool) {
        if succeeded { counters.beaconsSent &+= 1 } else { counters.beaconSendFailures &+= 1 }
    }

    /// Who hears whom at monotonic time `now`.
    public func matrix(now: Int64) -> MeshMatrix {
        let ordered = peers.values.sorted { a, b in
            if a.isSelf != b.isSelf { return a.isSelf }
            if a.name != b.name { return a.name.lexicographicallyPrecedes(b.name) }
            if a.address != b.address {
                guard let x = a.address else { return false }
                guard let y = b.address else { return true }
                return x < y
            }
            return a.runID < b.runID
        }
        let participants = ordered.map { participant($0, now: now) }
        let cells = ordered.map { receiver in ordered.map { sender in cell(receiver: receiver, sender: sender, now: now) } }
        return MeshMatrix(participants: participants, cells: cells, counters: counters)
    }

    // MARK: - Admission

    /// Makes room for and adds a participant; false when the table is full of present,
    /// established ones.
    private mutating func admit(_ runID: UInt64, name: [UInt8], address: IPAddress?, now: Int64) -> Bool {
        if peers.count - 1 >= configuration.peerCapacity {
            guard now >= noVictimBefore, let victim = victim(now: now) else {
                counters.peerOverflow &+= 1
                return false
            }
            peers[victim] = nil
            for key in peers.keys { peers[key]?.reports[victim] = nil }
            counters.peersEvicted &+= 1
        }
        peers[runID] = MeshPeer(runID: runID, name: name, address: address, isSelf: false, firstKnown: now)
        return true
    }

    /// The participant to drop for a newcomer in a full table: the one gone and silent longest,
    /// else the unestablished one silent longest among those quiet for the probation time; nil
    /// when there is none. Remembers when the next one can be due, so the scan is not repeated
    /// for every newcomer before then.
    private mutating func victim(now: Int64) -> UInt64? {
        var best: (key: (Int, Int64), runID: UInt64)?
        var due = 0
        var next = Int64.max
        for peer in peers.values where !peer.isSelf {
            let time = victimTime(peer)
            guard time <= now else {
                next = min(next, time)
                continue
            }
            due += 1
            let key = (isGone(peer, now: now) ? 0 : 1, peer.lastSign ?? .min)
            if best.map({ key < $0.key }) ?? true { best = (key, peer.runID) }
        }
        noVictimBefore = due > 1 ? now : next
        return best?.runID
    }

    /// The earliest monotonic time a participant can make room for a newcomer.
    private func victimTime(_ peer: MeshPeer) -> Int64 {
        if peer.isSelf { return .max }
        guard let sign = peer.lastSign else { return .min }
        let gone = goneAfter(peer)
        let quiet = peer.isEstablished ? gone : min(gone, probationSilence)
        return sign.addingSaturating(quiet).addingSaturating(1)
    }

    /// A participant just added to a full table can make room sooner than the last scan found.
    private mutating func noteNewcomer(_ runID: UInt64) {
        guard peers.count - 1 >= configuration.peerCapacity, let peer = peers[runID] else { return }
        noVictimBefore = min(noVictimBefore, victimTime(peer))
    }

    /// How long an unestablished run must be silent before a newcomer may take its place:
    /// two of this host's intervals, at least the shortest gone time.
    private var probationSilence: Int64 {
        max(configuration.intervalNanoseconds.multipliedSaturating(by: 2), configuration.minimumGoneNanoseconds)
    }

    // MARK: - Reports

    private mutating func takeReports(of beacon: MeshBeacon, from reporter: UInt64, receivedAt wall: Int64, now: Int64) {
        var mentioned = Set<UInt64>()
        for report in beacon.reports {
            let subject = report.peerRunID
            mentioned.insert(subject)
            if subject == configuration.runID, let echo = report.echo { takeEcho(echo, from: reporter, receivedAt: wall) }
            let isNew = peers[subject] == nil
            if isNew {
                guard !report.isGone, admit(subject, name: report.peerName, address: report.peerAddress, now: now) else { continue }
            }
            if !report.isGone, subject != reporter {
                peers[subject]?.lastMentioned = now
                if peers[reporter]?.isEstablished == true { peers[subject]?.isVouchedFor = true }
            }
            if isNew { noteNewcomer(subject) }
            peers[reporter]?.reports[subject] = .init(report: report, receivedAt: now)
        }
        // A beacon that left nothing out is the reporter's whole picture: forget what it no longer mentions.
        if beacon.omittedReports == 0, let stored = peers[reporter]?.reports.keys {
            for subject in stored where !mentioned.contains(subject) { peers[reporter]?.reports[subject] = nil }
        }
        if let count = peers[reporter]?.reports.count, count > configuration.peerCapacity + 1 {
            for subject in peers[reporter]!.reports.keys where peers[subject] == nil { peers[reporter]?.reports[subject] = nil }
        }
    }

    /// A peer's echo of one of this host's beacons: the round trip, if the echo is of a beacon
    /// this host really sent lately.
    private mutating func takeEcho(_ echo: MeshEcho, from reporter: UInt64, receivedAt wall: Int64) {
        let slot = Int(echo.sequence % UInt64(recentSends.count))
        guard recentSequences[slot] == echo.sequence, recentSends[slot] == echo.sendTimeNanoseconds else { return }
        let (elapsed, overflow) = wall.subtractingReportingOverflow(echo.sendTimeNanoseconds)
        guard !overflow else { return }
        let roundTrip = elapsed - Int64(echo.holdMicroseconds) * 1000
        guard roundTrip >= 0, roundTrip <= 60_000_000_000 else { return }
        peers[reporter]?.recordRoundTrip(roundTrip)
    }

    /// This host's report on a participant it hears.
    private func report(on peer: MeshPeer, sendTime: Int64, now: Int64) -> MeshReport {
        let tracker = peer.tracker
        var echo: MeshEcho?
        if let latest = peer.latestBeacon {
            let (hold, overflow) = sendTime.subtractingReportingOverflow(latest.heardAtNanoseconds)
            if !overflow, hold >= 0, hold / 1000 <= Int64(UInt32.max) {
                echo = MeshEcho(sequence: latest.sequence, sendTimeNanoseconds: latest.sendTimeNanoseconds, holdMicroseconds: UInt32(hold / 1000))
            }
        }
        return MeshReport(
            peerRunID: peer.runID,
            received: UInt32(clamping: tracker?.uniqueReceived ?? 0),
            lost: UInt32(clamping: tracker?.lost ?? 0),
            duplicates: UInt32(clamping: tracker?.duplicates ?? 0),
            oneWayMicroseconds: tracker?.latencyAverage.map { Int32(clamping: $0 / 1000) },
            clocksAgree: peer.clocksAgree,
            jitterMicroseconds: UInt32(saturating: (tracker?.jitterNanoseconds ?? 0) / 1000),
            roundTripMicroseconds: peer.roundTrip.map { UInt32(clamping: $0 / 1000) },
            lastHopLimit: peer.lastHopLimit.map { UInt8(clamping: $0) },
            isGone: isHeardGone(peer, now: now),
            echo: echo,
            peerAddress: peer.address,
            peerName: peer.name)
    }

    // MARK: - Matrix

    /// How long a participant may be silent before it is gone, nanoseconds. Its claimed interval
    /// counts up to 10 of this host's intervals (at least 5 s).
    private func goneAfter(_ peer: MeshPeer) -> Int64 {
        let own = configuration.intervalNanoseconds
        let longest = max(own.multipliedSaturating(by: 10), 5_000_000_000)
        let interval = peer.intervalNanoseconds > 0 ? min(max(peer.intervalNanoseconds, 1_000_000), longest) : own
        return max(interval * Int64(min(configuration.goneAfterIntervals, 1000)), configuration.minimumGoneNanoseconds)
    }

    /// Whether this host no longer hears the participant directly.
    private func isHeardGone(_ peer: MeshPeer, now: Int64) -> Bool {
        guard let heard = peer.lastHeard else { return true }
        return now.subtractingSaturating(heard) > goneAfter(peer)
    }

    /// Whether nobody has heard of the participant for a while.
    private func isGone(_ peer: MeshPeer, now: Int64) -> Bool {
        if peer.isSelf { return false }
        guard let sign = peer.lastSign else { return true }
        return now.subtractingSaturating(sign) > goneAfter(peer)
    }

    /// Whether a gone participant restarted: a run known later has its name and address. Only a
    /// gone run is replaced, so a forged beacon or a second run with the same name and address
    /// never hides a participant that is still there.
    private func isReplaced(_ peer: MeshPeer, now: Int64) -> Bool {
        guard !peer.isSelf, let address = peer.address, isGone(peer, now: now) else { return false }
        return peers.values.contains { $0.runID != peer.runID && $0.firstKnown > peer.firstKnown && $0.name == peer.name && $0.address == address }
    }

    private func participant(_ peer: MeshPeer, now: Int64) -> MeshParticipant {
        let interval = peer.isSelf ? configuration.intervalNanoseconds : peer.intervalNanoseconds
        let cycles = Int64(max(peer.trackedPeers, 1) + MeshBeacon.maximumReports - 1) / Int64(MeshBeacon.maximumReports) + 1
        let settle = goneAfter(peer).addingSaturating((interval > 0 ? interval : configuration.intervalNanoseconds).multipliedSaturating(by: cycles))
        let since = peer.firstKnown == .min ? 0 : now.subtractingSaturating(peer.firstKnown)
        return MeshParticipant(
            runID: peer.runID, name: peer.name, address: peer.address, isSelf: peer.isSelf,
            isHeardDirectly: peer.lastHeard != nil, isGone: isGone(peer, now: now), isReplaced: isReplaced(peer, now: now),
            isSendOnly: peer.isSelf ? configuration.isSendOnly : peer.isSendOnly,
            isSettled: since >= settle,
            silenceNanoseconds: peer.isSelf ? nil : peer.lastSign.map { max(0, now.subtractingSaturating($0)) },
            intervalNanoseconds: interval, trackedPeers: peer.isSelf ? peers.values.filter { $0.tracker != nil }.count : peer.trackedPeers,
            omittedReports: peer.omittedReports)
    }

    private func cell(receiver: MeshPeer, sender: MeshPeer, now: Int64) -> MeshCell? {
        if receiver.isSelf {
            guard let tracker = sender.tracker else { return nil }
            return MeshCell(
                origin: .measured, received: tracker.uniqueReceived, lost: tracker.lost, duplicates: tracker.duplicates,
                oneWayNanoseconds: tracker.latencyAverage, clocksAgree: sender.clocksAgree, roundTripNanoseconds: sender.roundTrip,
                jitterNanoseconds: tracker.jitterNanoseconds, lastHopLimit: sender.lastHopLimit, isGone: isHeardGone(sender, now: now))
        }
        guard let stored = receiver.reports[sender.runID] else { return nil }
        let report = stored.report
        return MeshCell(
            origin: .reported(ageNanoseconds: max(0, now.subtractingSaturating(stored.receivedAt))),
            received: UInt64(report.received), lost: UInt64(report.lost), duplicates: UInt64(report.duplicates),
            oneWayNanoseconds: report.oneWayMicroseconds.map { Int64($0) * 1000 }, clocksAgree: report.clocksAgree,
            roundTripNanoseconds: report.roundTripMicroseconds.map { Int64($0) * 1000 },
            jitterNanoseconds: Double(report.jitterMicroseconds) * 1000, lastHopLimit: report.lastHopLimit.map(Int.init),
            isGone: report.isGone || isGone(receiver, now: now))
    }
}
