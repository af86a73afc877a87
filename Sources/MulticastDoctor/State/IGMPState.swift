import MulticastExpert

/// The IGMP and MLD conversation on this host's links as a bounded value: the queriers per
/// interface, the groups with the hosts that reported them, how this host answered the queries
/// about the groups it joined, and counts of what was heard and rejected.
///
/// Pure: it changes only by ``record(_:)`` with messages and times given to it,
/// so a test feeds it crafted messages and the CLI, the TUI and the doctor feed it what
/// ``IGMPListener`` hears. Views and warnings (``findings(at:interfaces:families:)``) are functions
/// of the state and a time. Every table is capped (``IGMPLimits``); what does not fit is counted
/// in ``overflow``.
public struct IGMPState: Sendable, Hashable {
    public let limits: IGMPLimits
    /// What the state knows about this host: set it, and refresh it as the host changes (the CLI
    /// does every second); reports from its addresses are marked as its own from then on.
    public var host: IGMPHostFacts
    /// Monotonic time the listen started, nanoseconds.
    public let startedAt: Int64
    /// The latest time the state has seen (a message's, or one given to ``advance(to:)``).
    public private(set) var latestAt: Int64
    /// Queriers in the order first heard.
    public private(set) var queriers: [IGMPQuerier] = []
    /// Groups in the order first heard.
    public private(set) var groups: [IGMPGroup] = []
    /// How this host answered queries about the groups it had joined, per interface and group.
    public private(set) var responses: [IGMPResponseRecord] = []
    public private(set) var counts = IGMPCounts()
    public private(set) var overflow = IGMPOverflow()
    /// The latest rejected frame.
    public private(set) var lastRejection: IGMPRejection?

    private var querierPositions: [InterfaceAddress: Int] = [:]
    private var groupPositions: [InterfaceAddress: Int] = [:]
    private var responsePositions: [InterfaceAddress: Int] = [:]
    private var openQueries: [OpenQuery] = []
    private var storedReporters = 0
    private var storedSources = 0

    /// An address on an interface: the key of queriers, groups and response records.
    private struct InterfaceAddress: Hashable {
        var interfaceIndex: Int
        var address: IPAddress
    }

    /// A query whose response window (max response time and a second's slack) is open: this
    /// host should report each `expected` group before `deadline`.
    private struct OpenQuery: Hashable {
        var interfaceIndex: Int
        var family: AddressFamily
        var at: Int64
        var deadline: Int64
        var querier: IPAddress
        var responseMilliseconds: Int
        var expected: [IPAddress]
        var answered: Set<IPAddress> = []
        var suppressedBy: [IPAddress: IPAddress] = [:]
    }

    /// Slack after a query's max response time before a missing answer counts, nanoseconds.
    static let responseSlack: Int64 = 1_000_000_000
    /// The most groups one open query expects answers for.
    static let expectedGroupsPerQuery = 256

    /// An empty state for a listen that starts at `startedAt` (monotonic nanoseconds).
    public init(startedAt: Int64, host: IGMPHostFacts = IGMPHostFacts(), limits: IGMPLimits = IGMPLimits()) {
        self.startedAt = startedAt
        self.latestAt = startedAt
        self.host = host
        self.limits = limits
    }

    // MARK: Recording

    /// Adds what the decoder made of one frame (frames that are not IGMP or MLD are ignored).
    public mutating func record(_ decoding: IGMPDecoding) {
        switch decoding {
        case .message(let message): record(message)
        case .rejected(let rejection): record(rejection)
        case .other: break
        }
    }

    /// Counts a rejected frame by its reason. It never becomes a querier or a member.
    public mutating func record(_ rejection: IGMPRejection) {
        advance(to: rejection.heardAt)
        counts.rejected[rejection.reason, default: 0].increment()
        lastRejection = rejection
    }

    /// Adds one message.
    public mutating func record(_ message: IGMPMessage) {
        advance(to: message.heardAt)
        counts.messages[message.kind, default: 0].increment()
        let own = host.sent(message)
        if message.sentByThisHost { counts.sentByThisHost.increment() }
        switch message.body {
        case .query(let query):
            recordQuery(message, query, own: own)
        case .report(let group):
            update(message, group: group, own: own) { reporter in
                reporter.mode = .exclude
                reporter.lastRecordType = nil
                reporter.leftAt = nil
                return (sources: .replace([]), left: false)
            }
            noteAnswer(message, groups: [group], own: own)
        case .leave(let group):
            update(message, group: group, own: own, isLeave: true) { reporter in
                reporter.lastRecordType = nil
                return (sources: .keep, left: true)
            }
        case .records(let records):
            for record in records where record.type.isKnown {
                update(message, group: record.group, own: own) { reporter in Self.apply(record, to: &reporter) }
            }
            noteAnswer(message, groups: records.filter { $0.type.isKnown }.map(\.group), own: own)
        }
    }

    /// Moves the state's clock to `now` (if later) and closes the response windows that ended by then.
    public mutating func advance(to now: Int64) {
        if now > latestAt { latestAt = now }
        guard openQueries.contains(where: { $0.deadline < latestAt }) else { return }
        for query in openQueries where query.deadline < latestAt { settle(query) }
        openQueries.removeAll { $0.deadline < latestAt }
    }

    /// This state with its clock moved to `now`: what views and checks read.
    public func advanced(to now: Int64) -> IGMPState {
        var copy = self
        copy.advance(to: now)
        return copy
    }

    private mutating func recordQuery(_ message: IGMPMessage, _ query: IGMPQuery, own: Bool) {
        let time = message.heardAt
        let key = InterfaceAddress(interfaceIndex: message.interfaceIndex, address: message.source)
        var position = querierPositions[key]
        if position == nil {
            if queriers.count < limits.queriers {
                position = queriers.count
                querierPositions[key] = queriers.count
                queriers.append(IGMPQuerier(interfaceIndex: message.interfaceIndex, address: message.source, version: message.version,
                                            isThisHost: own, firstHeardAt: time, maxResponseMilliseconds: query.maxResponseMilliseconds,
                                            routerAlert: message.routerAlert))
            } else {
                overflow.queriers.increment()
            }
        }
        if let position {
            var querier = queriers[position]
            querier.version = message.version
            querier.isThisHost = querier.isThisHost || own
            querier.firstHeardAt = min(querier.firstHeardAt, time)
            querier.lastHeardAt = max(querier.lastHeardAt, time)
            querier.routerAlert = message.routerAlert
            if let robustness = query.robustness { querier.robustness = robustness }
            if let interval = query.queryInterval { querier.advertisedInterval = interval }
            switch query.kind {
            case .general:
                querier.generalQueries.increment()
                if let last = querier.lastGeneralQueryAt, time >= last {
                    querier.intervals.append(time.subtractingSaturating(last))
                    if querier.intervals.count > limits.intervalHistory { querier.intervals.removeFirst(querier.intervals.count - limits.intervalHistory) }
                }
                querier.lastGeneralQueryAt = max(querier.lastGeneralQueryAt ?? time, time)
                querier.maxResponseMilliseconds = query.maxResponseMilliseconds
            case .groupSpecific:
                querier.groupSpecificQueries.increment()
                querier.lastQueriedGroup = query.group
            case .groupAndSourceSpecific:
                querier.groupAndSourceSpecificQueries.increment()
                querier.lastQueriedGroup = query.group
            }
            queriers[position] = querier
        }
        if let group = query.group, let index = groupPosition(message.interfaceIndex, group, at: time) {
            groups[index].groupQueries.increment()
            groups[index].lastGroupQueryAt = time
            groups[index].lastHeardAt = max(groups[index].lastHeardAt, time)
        }
        // This host should answer a query from elsewhere about groups it has joined.
        guard !own, query.kind != .groupAndSourceSpecific else { return }
        let joined = host.reportedGroups(interfaceIndex: message.interfaceIndex, family: message.version.family)
        let expected = query.group.map { group in joined.contains(group) ? [group] : [] } ?? Array(joined.prefix(Self.expectedGroupsPerQuery))
        guard !expected.isEmpty, limits.openQueries > 0 else { return }
        if openQueries.count >= limits.openQueries { openQueries.removeFirst() }  // dropped unjudged: no false alarm
        let window = Int64(query.maxResponseMilliseconds).multipliedSaturating(by: 1_000_000).addingSaturating(Self.responseSlack)
        openQueries.append(OpenQuery(interfaceIndex: message.interfaceIndex, family: message.version.family, at: time,
                                     deadline: time.addingSaturating(window), querier: message.source,
                                     responseMilliseconds: query.maxResponseMilliseconds, expected: expected))
    }

    /// A report of `groups` inside an open response window: this host's own answers it; another
    /// host's IGMPv1/v2 or MLDv1 report silences this host (report suppression, RFC 2236 §3).
    private mutating func noteAnswer(_ message: IGMPMessage, groups reported: [IPAddress], own: Bool) {
        let suppressing = message.version == .igmpV1 || message.version == .igmpV2 || message.version == .mldV1
        guard own || suppressing else { return }
        for i in openQueries.indices where openQueries[i].interfaceIndex == message.interfaceIndex
            && openQueries[i].family == message.version.family && openQueries[i].at <= message.heardAt {
            for group in reported where openQueries[i].expected.contains(group) {
                if own {
                    openQueries[i].answered.insert(group)
                } else if openQueries[i].suppressedBy[group] == nil {
                    openQueries[i].suppressedBy[group] = message.source
                }
            }
        }
    }

    private mutating func settle(_ query: OpenQuery) {
        for group in query.expected {
            let key = InterfaceAddress(interfaceIndex: query.interfaceIndex, address: group)
            var position = responsePositions[key]
            if position == nil, responses.count < limits.groups {
                position = responses.count
                responsePositions[key] = responses.count
                responses.append(IGMPResponseRecord(interfaceIndex: query.interfaceIndex, group: group))
            }
            guard let position else { continue }
            if query.answered.contains(group) {
                responses[position].answered.increment()
            } else if let suppressor = query.suppressedBy[group] {
                responses[position].suppressed.increment()
                responses[position].lastSuppressedBy = suppressor
            } else {
                responses[position].missed.increment()
                responses[position].lastMissedQueryAt = query.at
                responses[position].lastMissedQuerier = query.querier
                responses[position].lastMissedResponseMilliseconds = query.responseMilliseconds
            }
        }
    }

    // MARK: Groups and reporters

    /// What a report does to a reporter's sources.
    private enum SourceChange {
        case keep
        case replace([IPAddress])
        case add([IPAddress])
        case remove([IPAddress])
    }

    /// RFC 3376 §6.4 / RFC 3810 §7.4 applied to one host's filter: how a record changes its
    /// mode and sources, and whether the host has now left the group.
    private static func apply(_ record: IGMPGroupRecord, to reporter: inout IGMPReporter) -> (sources: SourceChange, left: Bool) {
        reporter.lastRecordType = record.type
        switch record.type {
        case .isInclude, .toInclude:
            reporter.mode = .include
            return (.replace(record.sources), record.sources.isEmpty)
        case .isExclude, .toExclude:
            reporter.mode = .exclude
            return (.replace(record.sources), false)
        case .allow:
            return reporter.mode == .include ? (.add(record.sources), false) : (.remove(record.sources), false)
        default:  // .block
            return reporter.mode == .include ? (.remove(record.sources), false) : (.add(record.sources), false)
        }
    }

    /// Finds or makes the entry for `group` on the message's interface and the reporter for its
    /// source, lets `change` update the reporter, then applies the source change and the leave.
    private mutating func update(_ message: IGMPMessage, group: IPAddress, own: Bool, isLeave: Bool = false,
                                 _ change: (inout IGMPReporter) -> (sources: SourceChange, left: Bool)) {
        let time = message.heardAt
        guard let g = groupPosition(message.interfaceIndex, group, at: time) else { return }
        groups[g].lastHeardAt = max(groups[g].lastHeardAt, time)
        if isLeave {
            groups[g].lastLeaveAt = time
        } else {
            groups[g].reports.increment()
            groups[g].lastReportAt = max(groups[g].lastReportAt ?? time, time)
        }
        var r = groups[g].reporters.firstIndex { $0.address == message.source }
        if r == nil {
            guard groups[g].reporters.count < limits.reportersPerGroup, storedReporters < limits.reporters else {
                groups[g].reportersOverflow.increment()
                overflow.reporters.increment()
                if isLeave { groups[g].leaves.increment() }
                return
            }
            storedReporters += 1
            r = groups[g].reporters.count
            // A host starts as INCLUDE {} (RFC 3376 §3.2); a v1/v2 report makes it EXCLUDE {}.
            groups[g].reporters.append(IGMPReporter(address: message.source, version: message.version, mode: .include,
                                                    at: time, isThisHost: own))
        }
        guard let r else { return }
        var reporter = groups[g].reporters[r]
        let wasMember = !reporter.hasLeft
        reporter.version = message.version
        reporter.isThisHost = reporter.isThisHost || own
        reporter.reports.increment()
        reporter.lastReportAt = max(reporter.lastReportAt, time)
        let (sources, left) = change(&reporter)
        apply(sources, to: &reporter)
        // In include mode with no source left, the host receives nothing: it has left.
        if left || (reporter.mode == .include && reporter.sources.isEmpty && reporter.sourcesOverflow == 0) {
            if wasMember {
                reporter.leftAt = time
                groups[g].leaves.increment()
                groups[g].lastLeaveAt = time
            }
        } else {
            reporter.leftAt = nil
        }
        groups[g].reporters[r] = reporter
    }

    private mutating func apply(_ change: SourceChange, to reporter: inout IGMPReporter) {
        switch change {
        case .keep:
            return
        case .replace(let sources):
            storedSources -= reporter.sources.count
            reporter.sources = []
            reporter.sourcesOverflow = 0
            add(sources, to: &reporter)
        case .add(let sources):
            add(sources, to: &reporter)
        case .remove(let sources):
            guard !sources.isEmpty, !reporter.sources.isEmpty else { return }
            let removed = Set(sources), before = reporter.sources.count
            reporter.sources.removeAll { removed.contains($0) }
            storedSources -= before - reporter.sources.count
        }
    }

    /// Adds sources to a filter up to the caps; once the filter is full, the rest are only counted
    /// (so a record listing thousands of sources costs no more than one listing a few).
    private mutating func add(_ sources: [IPAddress], to reporter: inout IGMPReporter) {
        for (i, source) in sources.enumerated() {
            guard reporter.sources.count < limits.sourcesPerReporter, storedSources < limits.sources else {
                let rest = sources.count - i
                reporter.sourcesOverflow = reporter.sourcesOverflow.addingSaturating(rest)
                overflow.sources = overflow.sources.addingSaturating(rest)
                return
            }
            if !reporter.sources.contains(source) {
                reporter.sources.append(source)
                storedSources += 1
            }
        }
    }

    /// The position of the entry for `group` on interface `index`, made if needed; nil when the
    /// table is full (counted).
    private mutating func groupPosition(_ index: Int, _ group: IPAddress, at time: Int64) -> Int? {
        let key = InterfaceAddress(interfaceIndex: index, address: group)
        if let position = groupPositions[key] { return position }
        guard groups.count < limits.groups else {
            overflow.groups.increment()
            return nil
        }
        groupPositions[key] = groups.count
        groups.append(IGMPGroup(interfaceIndex: index, group: group, at: time))
        return groups.count - 1
    }

    // MARK: Reading

    /// The queriers heard on interface `index` in `family`, in the order first heard.
    public func queriers(interfaceIndex index: Int, family: AddressFamily) -> [IGMPQuerier] {
        queriers.filter { $0.interfaceIndex == index && $0.family == family }
    }

    /// The groups heard of on interface `index` (both families), in the order first heard.
    public func groups(interfaceIndex index: Int) -> [IGMPGroup] { groups.filter { $0.interfaceIndex == index } }

    /// The querier's part in its link's election at `now`: the lowest address of those still
    /// querying is elected (an unspecified address loses to any other).
    public func role(of querier: IGMPQuerier, at now: Int64) -> IGMPQuerierRole {
        guard querier.isQuerying(at: now) else { return .stopped }
        let lower = queriers(interfaceIndex: querier.interfaceIndex, family: querier.family).contains {
            $0.address != querier.address && $0.isQuerying(at: now) && $0.address.electsBefore(querier.address)
        }
        return lower ? .notElected : .elected
    }

    /// The elected querier on interface `index` in `family` at `now`, if any is querying.
    public func electedQuerier(interfaceIndex index: Int, family: AddressFamily, at now: Int64) -> IGMPQuerier? {
        queriers(interfaceIndex: index, family: family).filter { $0.isQuerying(at: now) }
            .min { $0.address.electsBefore($1.address) }
    }

    /// Whether this host's reverse-path filter drops the querier's queries (never for its own
    /// queries, nor for a querier at 0.0.0.0, which the kernel does not check).
    public func reversePathDrops(_ querier: IGMPQuerier) -> Bool {
        !querier.address.isUnspecified && !querier.isThisHost
            && host.reversePathVerdict(source: querier.address, interfaceIndex: querier.interfaceIndex).isDropped
    }

    /// Nanoseconds listened by `now`.
    public func listened(at now: Int64) -> Int64 { max(now.subtractingSaturating(startedAt), 0) }
}
