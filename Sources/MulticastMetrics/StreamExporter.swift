import MulticastExpert
import MulticastMonitor
import Prometheus
import Synchronization

/// The exporter's state: the streams followed, their subscriptions in the engine and their
/// Prometheus series, and the process-wide series. Thread-safe: the HTTP thread asks for the
/// exposition, the main thread applies (re)loads, the IGMP thread hands in querier figures.
///
/// A scrape never waits for the receive loop: it copies the engine's statistics
/// (``Monitor/snapshot()``, which waits at most for one datagram to be recorded) and updates the
/// series from the copy, at most every ``refreshInterval``.
public final class StreamExporter: Sendable {
    /// The series, for the exposition.
    public let registry: PrometheusCollectorRegistry
    /// The receive engine the streams are joined in.
    public let monitor: Monitor
    /// Streams followed at most; further streams of a list are refused and counted.
    public let maximumStreams: Int
    /// Scrapes closer together than this reuse the previous refresh (nanoseconds): a client
    /// scraping in a loop cannot keep the engine's statistics lock busy.
    public static let refreshInterval: Int64 = 500_000_000

    private let state: Mutex<State>
    /// Held for a whole (re)load, so two never interleave; scrapes do not take it.
    private let applying = Mutex<Void>(())
    /// The last exposition and when it was made (monotonic): scrapes within ``refreshInterval``
    /// get the same bytes, so a client asking in a loop costs a copy, not an emit and a sort.
    private let cachedExposition = Mutex<(madeAt: Int64, bytes: [UInt8])?>(nil)
    private let streamCount: Gauge
    private let refusedTotal: Counter
    private let untrackedTotal: Counter
    private let igmpListenerUp: Gauge
    private let receiveFailures: Counter

    private struct State: ~Copyable {
        var followed: [String: FollowedStream] = [:]
        var order: [MonitoredStream] = []
        var lastRefresh: Int64 = .min
        var untracked = CounterMirror()
        var querierSeries: [QuerierKey: QuerierSeries] = [:]
    }

    /// Makes an exporter over `monitor` with the process series set (start time, build info).
    ///
    /// - Parameters:
    ///   - version: the release, for `mcexpert_build_info`.
    ///   - startTime: when the process started, wall clock nanoseconds since the epoch.
    public init(monitor: Monitor, maximumStreams: Int, version: String, configuration: String,
                startTime: Int64, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.monitor = monitor
        self.maximumStreams = max(maximumStreams, 0)
        state = Mutex(State())
        registry.makeGauge(name: MetricNames.startTime.name, help: MetricNames.startTime.help).set(to: Double(startTime) / 1e9)
        registry.makeGauge(name: MetricNames.buildInfo.name, labels: [("version", StreamLabels.bounded(version)), ("configuration", configuration)],
                           help: MetricNames.buildInfo.help).set(to: 1)
        streamCount = registry.makeGauge(name: MetricNames.streams.name, help: MetricNames.streams.help)
        refusedTotal = registry.makeCounter(name: MetricNames.streamsRefused.name, help: MetricNames.streamsRefused.help)
        untrackedTotal = registry.makeCounter(name: MetricNames.untrackedPackets.name, help: MetricNames.untrackedPackets.help)
        igmpListenerUp = registry.makeGauge(name: MetricNames.igmpListenerUp.name, help: MetricNames.igmpListenerUp.help)
        receiveFailures = registry.makeCounter(name: MetricNames.receiveFailures.name, help: MetricNames.receiveFailures.help)
        for result in ReloadResult.allCases { reloadCounter(result) }
    }

    /// What a load or reload did.
    public struct Outcome: Sendable {
        /// The diff that was applied.
        public var plan: ReloadPlan
        /// Streams whose join the engine refused, with why (they are exported with `joined` 0).
        public var joinFailures: [(name: String, reason: String)]

        /// Streams added and joined: the added ones less those whose join failed, so a start
        /// log never counts as joined a stream the next line says was not.
        public var joinedCount: Int { max(plan.added.count - joinFailures.count, 0) }

        /// The counts for the start and reload log: "kept K, joined J, not joined F, left L, refused R".
        public var counts: String {
            "kept \(plan.kept.count), joined \(joinedCount), not joined \(joinFailures.count), left \(plan.removed.count), refused \(plan.refused.count)"
        }
    }

    /// Follows exactly `streams` from now on: streams whose definition is unchanged keep their
    /// counters and subscription; removed ones are left and their series unregistered; changed
    /// and new ones are joined with fresh series. Counts a successful reload.
    ///
    /// - Parameter interfaceTable: resolves the streams' interfaces (default: read now).
    @discardableResult
    public func apply(_ streams: [MonitoredStream], interfaceTable: InterfaceTable? = nil) -> Outcome {
        applying.withLock { _ in applyAlone(streams, interfaceTable: interfaceTable) }
    }

    /// ``apply(_:interfaceTable:)`` with no other apply running. The state lock, which every
    /// scrape takes, is held only to take the plan and to install the result: the joins, each a
    /// few system calls per interface and stream, happen outside it, so a reload of thousands of
    /// streams does not stall `/metrics` and `/healthz`. In between, the added streams' series
    /// are registered at their starting values and not yet refreshed.
    private func applyAlone(_ streams: [MonitoredStream], interfaceTable: InterfaceTable?) -> Outcome {
        let table = interfaceTable ?? (try? InterfaceTable.current())
        let now = wallClock()
        let (plan, left) = state.withLock { state -> (ReloadPlan, [FollowedStream]) in
            let plan = ReloadPlan(current: state.order, wanted: streams, maximumStreams: maximumStreams)
            let left = plan.removed.compactMap { state.followed.removeValue(forKey: $0) }
            state.order = state.order.filter { state.followed[$0.name] != nil }
            return (plan, left)
        }
        for old in left {
            if let id = old.subscription { monitor.unsubscribe(id) }
            old.series.unregister()
        }
        // The engine keeps the statistics of a group it no longer receives, so a changed or
        // re-added stream starts from the engine's totals now, not from zero.
        let before = plan.added.isEmpty ? [] : monitor.snapshot().streams
        var failures: [(name: String, reason: String)] = []
        var joined: [FollowedStream] = []
        for stream in plan.added {
            let series = StreamSeries(stream, registry: registry)
            var followed = FollowedStream(stream: stream, series: series, joinedAt: now)
            do {
                if let interface = stream.interface {
                    guard let table else { throw MulticastError.interfaceNotFound(interface, available: []) }
                    followed.interfaceIndexes = [try table.interface(matching: InterfaceSpecifier(interface)).index]
                }
                series.prime(StreamFigures.measure(stream, statistics: before, interfaceIndexes: followed.interfaceIndexes, now: now, joinedAt: now))
                followed.subscription = try monitor.subscribe(stream.subscription, interfaceTable: table)
            } catch {
                failures.append((stream.name, "\(error)"))
            }
            series.setJoined(followed.subscription != nil)
            joined.append(followed)
        }
        state.withLock { state in
            for followed in joined { state.followed[followed.stream.name] = followed }
            state.order = plan.streams
            state.lastRefresh = .min
        }
        let outcome = Outcome(plan: plan, joinFailures: failures)
        streamCount.set(to: Double(outcome.plan.streams.count))
        if !outcome.plan.refused.isEmpty { refusedTotal.increment(by: Int64(clamping: outcome.plan.refused.count)) }
        reloadCounter(.success).increment()
        invalidateExposition()
        return outcome
    }

    /// Counts a (re)load that failed (a bad file): the streams followed stay as they were.
    public func recordFailedReload() {
        reloadCounter(.failure).increment()
        invalidateExposition()
    }

    /// Counts a receive-loop poll that failed.
    public func recordReceiveFailure() { receiveFailures.increment() }

    /// The streams followed now, in file order.
    public var streams: [MonitoredStream] { state.withLock { $0.order } }

    /// Says whether the IGMP/MLD listener runs (it needs CAP_NET_RAW).
    public func setIGMPListener(running: Bool) {
        igmpListenerUp.set(to: running ? 1 : 0)
        invalidateExposition()
    }

    /// Sets the per-interface querier series; interfaces not in `figures` keep their last values.
    public func updateQueriers(_ figures: [QuerierFigures]) {
        state.withLock { state in
            for figure in figures {
                let key = QuerierKey(interface: figure.interfaceName, family: figure.family)
                let series = state.querierSeries[key] ?? QuerierSeries(key, registry: registry)
                state.querierSeries[key] = series
                series.update(figure)
            }
        }
    }

    /// Brings every stream's series to the engine's statistics now, unless the last refresh is
    /// younger than ``refreshInterval`` (or `force`).
    public func refresh(force: Bool = false) {
        let monotonicNow = monotonicNanoseconds()
        state.withLock { state in
            guard force || monotonicNow.subtractingSaturating(state.lastRefresh) >= Self.refreshInterval else { return }
            state.lastRefresh = monotonicNow
            update(&state, from: monitor.snapshot(), now: wallClock())
        }
    }

    /// Brings every stream's series to `snapshot`, as of wall-clock time `now` (nanoseconds
    /// since the epoch): what a refresh does with the engine's snapshot, open to tests that
    /// build their own statistics.
    public func update(from snapshot: MonitorSnapshot, now: Int64) {
        state.withLock { state in update(&state, from: snapshot, now: now) }
    }

    private func update(_ state: inout State, from snapshot: MonitorSnapshot, now: Int64) {
        var byGroupAndPort: [GroupAndPort: [StreamStatistics]] = [:]
        for engineStream in snapshot.streams {
            byGroupAndPort[GroupAndPort(group: engineStream.key.group, port: engineStream.key.port), default: []].append(engineStream)
        }
        for followed in state.followed.values {
            let statistics = byGroupAndPort[GroupAndPort(group: followed.stream.group, port: followed.stream.port)] ?? []
            followed.series.update(StreamFigures.measure(followed.stream, statistics: statistics, interfaceIndexes: followed.interfaceIndexes,
                                                         now: now, joinedAt: followed.joinedAt))
        }
        let increment = state.untracked.increment(to: snapshot.untrackedStreamPackets)
        if increment > 0 { untrackedTotal.increment(by: increment) }
    }

    /// The Prometheus text exposition (format 0.0.4) of every series, refreshed first, families
    /// and series in a stable order (``ExpositionOrder``).
    ///
    /// Made at most once per ``refreshInterval``; in between the same bytes are returned. A
    /// (re)load or a failed reload makes the next call start afresh.
    public func exposition() -> [UInt8] {
        let now = monotonicNanoseconds()
        if let cached = cachedExposition.withLock({ $0 }), now.subtractingSaturating(cached.madeAt) < Self.refreshInterval {
            return cached.bytes
        }
        refresh()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 * 1024)
        registry.emit(into: &buffer)
        let sorted = ExpositionOrder.sorted(buffer)
        cachedExposition.withLock { $0 = (now, sorted) }
        return sorted
    }

    /// Drops the cached exposition, after a change the next scrape must show.
    private func invalidateExposition() { cachedExposition.withLock { $0 = nil } }

    @discardableResult
    private func reloadCounter(_ result: ReloadResult) -> Counter {
        registry.makeCounter(name: MetricNames.reloads.name, labels: [("result", result.rawValue)], help: MetricNames.reloads.help)
    }

    private func wallClock() -> Int64 { Timestamp.now.nanosecondsSinceEpoch }

    private enum ReloadResult: String, CaseIterable {
        case success, failure
    }

    private struct GroupAndPort: Hashable {
        var group: MulticastGroup
        var port: UInt16
    }
}

/// One stream as the exporter follows it.
struct FollowedStream {
    let stream: MonitoredStream
    let series: StreamSeries
    /// Wall clock, nanoseconds since the epoch.
    let joinedAt: Int64
    /// The engine's subscription; nil when the join was refused.
    var subscription: SubscriptionID?
    /// The interface the stream was joined on; nil for every interface.
    var interfaceIndexes: Set<UInt32>?

    init(stream: MonitoredStream, series: StreamSeries, joinedAt: Int64) {
        self.stream = stream
        self.series = series
        self.joinedAt = joinedAt
    }
}

struct QuerierKey: Hashable {
    var interface: String
    var family: AddressFamily
}

/// The querier series of one interface and family.
final class QuerierSeries {
    private let registry: PrometheusCollectorRegistry
    private let labels: [(String, String)]
    private let seen: Gauge
    private var age: Gauge?

    init(_ key: QuerierKey, registry: PrometheusCollectorRegistry) {
        self.registry = registry
        labels = [("interface", StreamLabels.bounded(key.interface)), ("family", key.family.rawValue)]
        seen = registry.makeGauge(name: MetricNames.querierSeen.name, labels: labels, help: MetricNames.querierSeen.help)
    }

    func update(_ figures: QuerierFigures) {
        seen.set(to: figures.isQuerierSeen ? 1 : 0)
        if let seconds = figures.lastQueryAgeSeconds {
            let gauge = age ?? registry.makeGauge(name: MetricNames.lastQueryAge.name, labels: labels, help: MetricNames.lastQueryAge.help)
            age = gauge
            gauge.set(to: seconds)
        }
    }
}
