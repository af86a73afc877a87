import MulticastExpert
import MulticastMonitor
import Prometheus

/// The Prometheus series of one configured stream, and the mirrors that turn the engine's
/// running totals into counter increments. Made when the stream is joined, updated on every
/// refresh, unregistered when a reload removes the stream.
///
/// Not thread-safe by itself: a reload makes and primes one before handing it over (`sending`
/// it into the exporter's state), and from then on it is used only under the exporter's state lock.
final class StreamSeries: @unchecked Sendable {
    let labels: [(String, String)]
    private let registry: PrometheusCollectorRegistry
    private var counters: [(Counter, CounterMirror, @Sendable (StreamFigures) -> UInt64)] = []
    /// For the counters mirrored per sender: each sender's mirrors, in ``counters``' order
    /// (senders the engine no longer reports are forgotten; one that comes back starts at its 0).
    private var senderMirrors: [StreamFigures.SenderKey: [CounterMirror]] = [:]
    private let bySender: [Bool]
    private let packetsPerSecond: Gauge
    private let bytesPerSecond: Gauge
    private let jitter: Gauge
    private let lastPacketAge: Gauge
    private let up: Gauge
    private let joined: Gauge
    private let expected: [Gauge]
    private var payloadKind: (kind: PayloadKind, gauge: Gauge)?

    /// Registers every series of `stream` in `registry`, at zero.
    init(_ stream: MonitoredStream, registry: PrometheusCollectorRegistry) {
        self.registry = registry
        let labels = StreamLabels.labels(of: stream)
        self.labels = labels
        for counter in MetricNames.streamCounters {
            counters.append((registry.makeCounter(name: counter.name, labels: labels, help: counter.help), CounterMirror(), counter.figure))
        }
        bySender = MetricNames.streamCounters.map(\.bySender)
        packetsPerSecond = registry.makeGauge(name: MetricNames.packetsPerSecond.name, labels: labels, help: MetricNames.packetsPerSecond.help)
        bytesPerSecond = registry.makeGauge(name: MetricNames.bytesPerSecond.name, labels: labels, help: MetricNames.bytesPerSecond.help)
        jitter = registry.makeGauge(name: MetricNames.jitter.name, labels: labels, help: MetricNames.jitter.help)
        lastPacketAge = registry.makeGauge(name: MetricNames.lastPacketAge.name, labels: labels, help: MetricNames.lastPacketAge.help)
        up = registry.makeGauge(name: MetricNames.up.name, labels: labels, help: MetricNames.up.help)
        joined = registry.makeGauge(name: MetricNames.joined.name, labels: labels, help: MetricNames.joined.help)
        var expected: [Gauge] = []
        let timeout = registry.makeGauge(name: MetricNames.timeout.name, labels: labels, help: MetricNames.timeout.help)
        timeout.set(to: Double(stream.effectiveTimeout.saturatingNanoseconds) / 1e9)
        expected.append(timeout)
        if let rate = stream.expectedPacketRate, rate.isFinite {
            let gauge = registry.makeGauge(name: MetricNames.expectedPacketRate.name, labels: labels, help: MetricNames.expectedPacketRate.help)
            gauge.set(to: rate)
            expected.append(gauge)
        }
        if let rate = stream.expectedBitRate, rate.isFinite {
            let gauge = registry.makeGauge(name: MetricNames.expectedByteRate.name, labels: labels, help: MetricNames.expectedByteRate.help)
            gauge.set(to: rate / 8)
            expected.append(gauge)
        }
        self.expected = expected
    }

    /// Whether the engine accepted the stream's subscription (1) or refused it (0, logged).
    func setJoined(_ isJoined: Bool) { joined.set(to: isJoined ? 1.0 : 0.0) }

    /// Takes `figures` as the starting point of the counters without adding them: the engine's
    /// totals from before the stream was (re)joined belong to an earlier definition.
    func prime(_ figures: StreamFigures) {
        _ = increments(figures)
    }

    /// Brings every series to `figures`: counters grow by what the engine's totals grew by
    /// (per sender for the figures mirrored per sender).
    func update(_ figures: StreamFigures) {
        for (position, increment) in increments(figures).enumerated() where increment > 0 {
            counters[position].0.increment(by: Int64(clamping: increment))
        }
        packetsPerSecond.set(to: figures.packetsPerSecond)
        bytesPerSecond.set(to: figures.bitsPerSecond / 8)
        jitter.set(to: figures.jitterSeconds ?? 0)
        lastPacketAge.set(to: figures.lastPacketAgeSeconds)
        up.set(to: figures.isUp ? 1.0 : 0.0)
        if figures.detectedKind != payloadKind?.kind {
            if let old = payloadKind { registry.unregisterGauge(old.gauge) }
            payloadKind = figures.detectedKind.map { kind in
                let gauge = registry.makeGauge(name: MetricNames.payloadKind.name, labels: labels + [("detected_kind", kind.name)],
                                               help: MetricNames.payloadKind.help)
                gauge.set(to: 1)
                return (kind, gauge)
            }
        }
    }

    /// What each counter grows by to reach `figures`, moving every mirror on.
    private func increments(_ figures: StreamFigures) -> [UInt64] {
        var increments = [UInt64](repeating: 0, count: counters.count)
        for position in counters.indices where !bySender[position] {
            increments[position] = counters[position].1.delta(to: counters[position].2(figures))
        }
        var seen: [StreamFigures.SenderKey: [CounterMirror]] = [:]
        for (key, own) in figures.senders {
            var mirrors = senderMirrors[key] ?? [CounterMirror](repeating: CounterMirror(), count: counters.count)
            for position in counters.indices where bySender[position] {
                increments[position] = increments[position].addingSaturating(mirrors[position].delta(to: counters[position].2(own)))
            }
            seen[key] = mirrors
        }
        senderMirrors = seen
        return increments
    }

    /// Removes every series of the stream from the registry.
    func unregister() {
        for (counter, _, _) in counters { registry.unregisterCounter(counter) }
        for gauge in [packetsPerSecond, bytesPerSecond, jitter, lastPacketAge, up, joined] + expected { registry.unregisterGauge(gauge) }
        if let old = payloadKind { registry.unregisterGauge(old.gauge) }
        payloadKind = nil
    }
}
