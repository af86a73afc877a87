/// How much an ``IGMPState`` keeps at most. Anyone on a link can send membership messages, so
/// every table has a cap, and what does not fit is counted in ``IGMPOverflow`` instead of stored:
/// a flood of forged reports costs a fixed amount of memory (a few megabytes at these defaults).
public struct IGMPLimits: Sendable, Hashable {
    /// Queriers (interface and address) kept.
    public var queriers: Int
    /// Groups (interface and group) kept.
    public var groups: Int
    /// Reporters kept per group, and in all groups together.
    public var reportersPerGroup: Int
    public var reporters: Int
    /// Sources kept per reporter's filter, and in all filters together.
    public var sourcesPerReporter: Int
    public var sources: Int
    /// Gaps between general queries kept per querier (the observed interval is their median).
    public var intervalHistory: Int
    /// Queries whose response window is open at once (for the check that this host answers).
    public var openQueries: Int

    public init(queriers: Int = 64, groups: Int = 1024, reportersPerGroup: Int = 64, reporters: Int = 16_384,
                sourcesPerReporter: Int = 64, sources: Int = 65_536, intervalHistory: Int = 16, openQueries: Int = 32) {
        self.queriers = max(queriers, 0)
        self.groups = max(groups, 0)
        self.reportersPerGroup = max(reportersPerGroup, 0)
        self.reporters = max(reporters, 0)
        self.sourcesPerReporter = max(sourcesPerReporter, 0)
        self.sources = max(sources, 0)
        self.intervalHistory = max(intervalHistory, 1)
        self.openQueries = max(openQueries, 0)
    }
}

/// What did not fit in an ``IGMPState``: each count is of items heard but not stored (saturating).
public struct IGMPOverflow: Sendable, Hashable {
    /// Queries from queriers beyond ``IGMPLimits/queriers``.
    public var queriers = 0
    /// Reports, leaves and queries about groups beyond ``IGMPLimits/groups``.
    public var groups = 0
    /// Reports from reporters beyond the per-group or total cap.
    public var reporters = 0
    /// Sources beyond the per-reporter or total cap.
    public var sources = 0

    public init() {}

    /// Whether anything overflowed.
    public var any: Bool { queriers > 0 || groups > 0 || reporters > 0 || sources > 0 }
}

/// Messages heard by kind and frames rejected by reason.
public struct IGMPCounts: Sendable, Hashable {
    public var messages: [IGMPMessageKind: Int] = [:]
    public var rejected: [IGMPRejectionReason: Int] = [:]
    /// Messages this host sent (its own reports, and its queries when it is a querier).
    public var sentByThisHost = 0

    public init() {}

    public var totalMessages: Int { messages.values.reduce(0) { $0.addingSaturating($1) } }
    public var totalRejected: Int { rejected.values.reduce(0) { $0.addingSaturating($1) } }
}

extension Int {
    /// Adds one, stopping at `Int.max`.
    mutating func increment() { self = self.addingSaturating(1) }
}
