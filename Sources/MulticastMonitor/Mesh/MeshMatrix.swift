import MulticastExpert

/// Who hears whom: every participant of a mesh as one row (receiver) and one column (sender),
/// with a cell per pair — measured here for this host's row, as reported in the receiver's
/// latest beacons for the others. What `mcexpert mesh` prints and the TUI's Mesh screen shows.
public struct MeshMatrix: Sendable, Hashable {
    /// The participants in a stable order: this host first, then by name, address and run id.
    /// Row `i` and column `i` are `participants[i]`.
    public var participants: [MeshParticipant]
    /// `cells[receiver][sender]`; nil when the receiver does not hear (or has not reported) the sender.
    public var cells: [[MeshCell?]]
    /// Counts of what was received, rejected and left out.
    public var counters: MeshCounters

    /// Makes a matrix (for tests and replays).
    public init(participants: [MeshParticipant], cells: [[MeshCell?]], counters: MeshCounters = MeshCounters()) {
        self.participants = participants
        self.cells = cells
        self.counters = counters
    }

    /// The index of a participant by run id.
    public func index(of runID: UInt64) -> Int? { participants.firstIndex { $0.runID == runID } }

    /// The cell of `receiver` hearing `sender`, by run id.
    public func cell(receiver: UInt64, sender: UInt64) -> MeshCell? {
        guard let r = index(of: receiver), let s = index(of: sender), r < cells.count, s < cells[r].count else { return nil }
        return cells[r][s]
    }

    /// The pairs (receiver ≠ sender) that fail: loss above `maxLossPercent`, not heard at all
    /// although both have been present long enough for the receiver to have reported the sender,
    /// or heard once and no longer while both are still present; and, as a problem of its own,
    /// beacons received twice (a forwarding loop or two paths to the receiver). Pairs with a participant that
    /// has gone are judged on the loss measured while it was there.
    /// A receiver this host does not hear has an unknown row, not a failing one (its pairs fail
    /// on the hosts that hear it). Empty means the mesh is clean.
    public func failingPairs(maxLossPercent: Double) -> [MeshPairProblem] {
        var problems: [MeshPairProblem] = []
        for (r, receiver) in participants.enumerated() {
            for (s, sender) in participants.enumerated() where r != s {
                let cell = r < cells.count && s < cells[r].count ? cells[r][s] : nil
                if let cell {
                    if cell.duplicates > 0 {
                        problems.append(MeshPairProblem(receiver: receiver.runID, sender: sender.runID, kind: .duplicates(cell.duplicates)))
                    }
                    if let loss = cell.lossPercent, loss > maxLossPercent {
                        problems.append(MeshPairProblem(receiver: receiver.runID, sender: sender.runID, kind: .loss(loss)))
                    } else if cell.isGone && !receiver.isGone && !sender.isGone {
                        // Heard once, no longer, while both are still around: as bad as never heard.
                        problems.append(MeshPairProblem(receiver: receiver.runID, sender: sender.runID, kind: .notHeard))
                    }
                } else if receiver.isSettled && sender.isSettled && !receiver.isGone && !sender.isGone
                            && (receiver.isSelf || receiver.isHeardDirectly) {
                    problems.append(MeshPairProblem(receiver: receiver.runID, sender: sender.runID, kind: .notHeard))
                }
            }
        }
        return problems
    }

    /// Runs present at the same time under one name and address, each group in matrix order:
    /// two `mcexpert mesh` on one host and interface, or someone forging a participant's beacons.
    /// Either way the matrix cannot tell those runs' figures apart, so it is a problem to report.
    public func sharedIdentities() -> [[UInt64]] {
        var groups: [[UInt64]] = []
        var seen = Set<Int>()
        for (i, p) in participants.enumerated() where !seen.contains(i) && !p.isGone && p.address != nil {
            let same = participants.indices.filter { j in
                j != i && !participants[j].isGone && participants[j].name == p.name && participants[j].address == p.address
            }
            guard !same.isEmpty else { continue }
            seen.formUnion(same)
            groups.append([p.runID] + same.map { participants[$0].runID })
        }
        return groups
    }

    /// How many participants are here now, as `--expect` counts them: this host and those heard
    /// directly, not gone (nor replaced), a name and address shared by several runs counted once.
    /// Runs known only from reports, hosts that left and old runs of a restarted host do not count.
    public var presentParticipantCount: Int {
        struct Identity: Hashable {
            var name: [UInt8]
            var address: IPAddress?
        }
        var identities = Set<Identity>()
        var unaddressed = 0
        for p in participants where (p.isSelf || p.isHeardDirectly) && !p.isGone && !p.isReplaced {
            if p.address == nil { unaddressed += 1 } else { identities.insert(Identity(name: p.name, address: p.address)) }
        }
        return identities.count + unaddressed
    }
}

/// A pair that fails the mesh's check.
public struct MeshPairProblem: Sendable, Hashable {
    /// What is wrong with the pair.
    public enum Kind: Sendable, Hashable {
        /// The receiver hears the sender with this loss, percent.
        case loss(Double)
        /// The receiver does not hear the sender (never did, or stopped while both are present).
        case notHeard
        /// The receiver got this many of the sender's beacons twice: a loop or two paths.
        case duplicates(UInt64)
    }

    /// The receiver's run id.
    public var receiver: UInt64
    /// The sender's run id.
    public var sender: UInt64
    /// What is wrong.
    public var kind: Kind

    /// Makes a problem.
    public init(receiver: UInt64, sender: UInt64, kind: Kind) {
        self.receiver = receiver
        self.sender = sender
        self.kind = kind
    }
}

/// One participant of a mesh: a row and a column of the matrix.
public struct MeshParticipant: Sendable, Hashable {
    /// Its run id (random per run; a restart is a new run).
    public var runID: UInt64
    /// Its name as it came off the network (or as configured, for this host): sanitise before showing.
    public var name: [UInt8]
    /// The address its beacons come from; nil when not known.
    public var address: IPAddress?
    /// Whether this is this host.
    public var isSelf: Bool
    /// Whether this host hears its beacons (false: known only from others' reports).
    public var isHeardDirectly: Bool
    /// Whether it has fallen silent (its last beacon, and its last mention in a report, are older
    /// than a few of its intervals). Kept in the matrix, shown as gone.
    public var isGone: Bool
    /// Whether it is gone and a newer run with the same name and address exists: it restarted.
    /// (A run still heard is never replaced, whatever else claims its name and address.)
    public var isReplaced: Bool
    /// Whether it said it sends without joining the group.
    public var isSendOnly: Bool
    /// Whether it has been present long enough that a pair it is in and that nobody reported is
    /// a real "not heard", not a report still on its way.
    public var isSettled: Bool
    /// Since its latest beacon (heard directly) or its latest mention in a report, nanoseconds;
    /// nil for this host.
    public var silenceNanoseconds: Int64?
    /// Its beacon interval, nanoseconds (0 when not known).
    public var intervalNanoseconds: Int64
    /// How many participants it tracks (itself included), as its latest beacon said.
    public var trackedPeers: Int
    /// How many of its reports its latest beacon left out (they rotate through its beacons).
    public var omittedReports: Int

    /// The name as text (invalid UTF-8 replaced; control characters still to be sanitised by
    /// whoever prints it); the address when the name is empty.
    public var nameText: String {
        name.isEmpty ? (address.map { "\($0)" } ?? String(runID, radix: 16)) : String(decoding: name, as: UTF8.self)
    }

    /// Makes a participant (for tests and replays).
    public init(runID: UInt64, name: [UInt8], address: IPAddress? = nil, isSelf: Bool = false, isHeardDirectly: Bool = true,
                isGone: Bool = false, isReplaced: Bool = false, isSendOnly: Bool = false, isSettled: Bool = true,
                silenceNanoseconds: Int64? = nil, intervalNanoseconds: Int64 = 0, trackedPeers: Int = 0, omittedReports: Int = 0) {
        self.runID = runID
        self.name = name
        self.address = address
        self.isSelf = isSelf
        self.isHeardDirectly = isHeardDirectly
        self.isGone = isGone
        self.isReplaced = isReplaced
        self.isSendOnly = isSendOnly
        self.isSettled = isSettled
        self.silenceNanoseconds = silenceNanoseconds
        self.intervalNanoseconds = intervalNanoseconds
        self.trackedPeers = trackedPeers
        self.omittedReports = omittedReports
    }
}

/// How well one receiver hears one sender.
public struct MeshCell: Sendable, Hashable {
    /// Where a cell's figures come from.
    public enum Origin: Sendable, Hashable {
        /// Measured by this host (this host is the receiver).
        case measured
        /// From the receiver's beacon, received this long ago (nanoseconds).
        case reported(ageNanoseconds: Int64)
    }

    /// Measured here or reported by the receiver.
    public var origin: Origin
    /// Distinct beacons received.
    public var received: UInt64
    /// Beacons lost (sequence gaps).
    public var lost: UInt64
    /// Beacons received twice.
    public var duplicates: UInt64
    /// Mean one-way latency, nanoseconds; meaningful only when ``clocksAgree``.
    public var oneWayNanoseconds: Int64?
    /// Whether the two clocks plausibly agree (0 ≤ one-way ≤ round trip, within 0.5 ms), so the
    /// one-way latency can be shown.
    public var clocksAgree: Bool
    /// The round trip between the two, nanoseconds, from the beacon echo (as omping measures it).
    public var roundTripNanoseconds: Int64?
    /// RFC 3550 interarrival jitter, nanoseconds.
    public var jitterNanoseconds: Double
    /// The TTL / hop limit the sender's latest beacon arrived with.
    public var lastHopLimit: Int?
    /// Whether the receiver no longer hears the sender.
    public var isGone: Bool

    /// Makes a cell (for tests and replays).
    public init(origin: Origin, received: UInt64, lost: UInt64, duplicates: UInt64 = 0, oneWayNanoseconds: Int64? = nil,
                clocksAgree: Bool = false, roundTripNanoseconds: Int64? = nil, jitterNanoseconds: Double = 0,
                lastHopLimit: Int? = nil, isGone: Bool = false) {
        self.origin = origin
        self.received = received
        self.lost = lost
        self.duplicates = duplicates
        self.oneWayNanoseconds = oneWayNanoseconds
        self.clocksAgree = clocksAgree
        self.roundTripNanoseconds = roundTripNanoseconds
        self.jitterNanoseconds = jitterNanoseconds
        self.lastHopLimit = lastHopLimit
        self.isGone = isGone
    }

    /// Lost as a share of expected (received + lost), percent; nil before anything was expected.
    public var lossPercent: Double? {
        let expected = received.addingSaturating(lost)
        guard expected > 0 else { return nil }
        return Double(lost) * 100 / Double(expected)
    }

    /// The latency to show: one-way when the clocks agree, otherwise the round trip; nil when
    /// neither is known.
    public var latency: MeshLatency? {
        if clocksAgree, let oneWayNanoseconds { return .oneWay(oneWayNanoseconds) }
        return roundTripNanoseconds.map { .roundTrip($0) }
    }
}

/// A latency figure and which kind it is.
public enum MeshLatency: Sendable, Hashable {
    /// Sender to receiver, nanoseconds (the clocks agree).
    case oneWay(Int64)
    /// There and back, nanoseconds (from the beacon echo).
    case roundTrip(Int64)
}

/// What a mesh state counted beside the matrix: how much it received, what it rejected, what
/// did not fit.
public struct MeshCounters: Sendable, Hashable {
    /// Beacons this host sent: the kernel took them (see ``MeshState/noteBeaconSent(_:)``).
    public var beaconsSent: UInt64 = 0
    /// Beacons this host made but could not send (e.g. no route for the group on the interface):
    /// not in ``beaconsSent``; their sequence numbers are gaps the others count as lost.
    public var beaconSendFailures: UInt64 = 0
    /// Beacons received and accepted (own looped-back ones included).
    public var beaconsReceived: UInt64 = 0
    /// Datagrams on the group that were not mcexpert probes.
    public var notProbes: UInt64 = 0
    /// Probes without the mesh extension (e.g. `mcexpert send --probe` on the same group).
    public var plainProbes: UInt64 = 0
    /// Beacons rejected as malformed (inconsistent lengths, unknown version, ...).
    public var malformed: UInt64 = 0
    /// New run ids ignored because ``MeshConfiguration/peerCapacity`` participants were tracked.
    public var peerOverflow: UInt64 = 0
    /// Reports about this host's peers that did not fit in this host's beacons (rotated).
    public var reportsOmitted: UInt64 = 0
    /// Beacons dropped because their run id belongs to another address (the address of that
    /// run's first beacon heard here): someone reusing a participant's run id.
    public var addressMismatches: UInt64 = 0
    /// Runs dropped from a full table to make room for a newcomer: gone ones, or ones never
    /// established (a beacon or two, nobody established reporting them).
    public var peersEvicted: UInt64 = 0

    /// Zero counts.
    public init() {}
}
