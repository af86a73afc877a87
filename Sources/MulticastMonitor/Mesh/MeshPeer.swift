import MulticastExpert

/// What a mesh state knows about one participant (this host included): its identity, how this
/// host hears it, and what it says it hears. Internal to ``MeshState``.
struct MeshPeer: Sendable {
    /// A report kept with when it arrived (monotonic nanoseconds).
    struct StoredReport: Sendable {
        var report: MeshReport
        var receivedAt: Int64
    }

    /// The participant's latest beacon as heard here, for the echo in this host's reports.
    struct HeardBeacon: Sendable {
        var sequence: UInt64
        var sendTimeNanoseconds: Int64
        var heardAtNanoseconds: Int64  // wall clock, this host
    }

    let runID: UInt64
    var name: [UInt8]
    /// The address to show: where its first beacon heard directly came from, else what a report said.
    var address: IPAddress?
    /// Where its first beacon heard directly came from. Later beacons with its run id from
    /// anywhere else are someone else's (a hijack) and are dropped.
    var pinnedAddress: IPAddress?
    let isSelf: Bool
    var isSendOnly = false
    var intervalNanoseconds: Int64 = 0
    var trackedPeers = 0
    var omittedReports = 0
    /// When this host first learnt of it (monotonic).
    var firstKnown: Int64
    /// Its latest beacon heard directly (monotonic); nil when only known from reports.
    var lastHeard: Int64?
    /// The latest report (from a participant heard at that moment) that said it was heard.
    var lastMentioned: Int64?
    /// Whether a participant that is itself established reported hearing it (see ``isEstablished``).
    var isVouchedFor = false
    var tracker: ProbeSequenceTracker?
    var lastHopLimit: Int?
    var latestBeacon: HeardBeacon?
    /// Round trip between this host and it, nanoseconds: latest and smoothed (as TCP's SRTT, 1/8).
    var roundTripLatest: Int64?
    var roundTripSmoothed: Double?
    /// What it says it hears, by sender run id.
    var reports: [UInt64: StoredReport] = [:]

    init(runID: UInt64, name: [UInt8], address: IPAddress?, isSelf: Bool, firstKnown: Int64) {
        self.runID = runID
        self.name = name
        self.address = address
        self.isSelf = isSelf
        self.firstKnown = firstKnown
    }

    /// The latest sign of life, heard or mentioned (monotonic); nil when neither.
    var lastSign: Int64? {
        switch (lastHeard, lastMentioned) {
        case (let heard?, let mentioned?): max(heard, mentioned)
        case (let heard?, nil): heard
        case (nil, let mentioned?): mentioned
        case (nil, nil): nil
        }
    }

    /// Whether it has shown itself to be a real participant: this host, heard directly in at least
    /// three beacons, or reported heard by an established participant. A full table makes room by
    /// dropping runs that are not (one forged beacon each is what a table-filling spoofer sends).
    var isEstablished: Bool {
        isSelf || isVouchedFor || (tracker?.uniqueReceived ?? 0) >= 3
    }

    /// The round trip to report and show, nanoseconds.
    var roundTrip: Int64? { roundTripSmoothed.map { Int64(saturating: $0.rounded()) } }

    /// Takes one more round-trip sample.
    mutating func recordRoundTrip(_ nanoseconds: Int64) {
        roundTripLatest = nanoseconds
        if let smoothed = roundTripSmoothed {
            roundTripSmoothed = smoothed + (Double(nanoseconds) - smoothed) / 8
        } else {
            roundTripSmoothed = Double(nanoseconds)
        }
    }

    /// Whether the one-way latency measured here is believable: the mean lies between 0 and the
    /// round trip (0.5 ms of slack each side). A participant's own beacons share its clock.
    var clocksAgree: Bool {
        guard let tracker, let oneWay = tracker.latencyAverage else { return false }
        if isSelf { return true }
        guard let roundTrip else { return false }
        return oneWay >= -500_000 && oneWay <= roundTrip.addingSaturating(500_000)
    }
}
