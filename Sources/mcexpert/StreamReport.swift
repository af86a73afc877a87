import MulticastExpert
import MulticastMonitor
import MulticastStreamList
import MulticastText

/// The JSON shape of `listen`'s closing summary (`{"summary": ...}`, the last line of
/// `--format json`): one object per stream with the figures its payload kind allows.
struct ListenSummaryReport: Encodable {
    var summary: Body

    struct Body: Encodable {
        var datagrams: Int
        var streams: [StreamReport]
    }

    /// `streams` are the snapshot's, with the listed streams that brought nothing among them.
    init(_ streams: [StreamStatistics], received: Int, names: StreamNameIndex? = nil) {
        summary = Body(datagrams: received, streams: streams.map { stream in
            var report = StreamReport(stream)
            report.name = names?.name(for: stream)
            return report
        })
    }
}

/// One stream in the JSON summary. Sequence figures (lost, expected, ...) are present when the
/// stream's datagrams carry sequence numbers (probe, RTP, iperf); `rtp`, `ts` and `iperf` when
/// the busiest sender's payload is of that kind.
struct StreamReport: Encodable {
    /// The stream's name in the stream list (`--streams`); absent without one.
    var name: String?
    var group: String
    var port: UInt16
    var interface: String
    var kind: String?
    var packets: UInt64
    var bytes: UInt64
    var sources: Int
    var kernelDrops: UInt64
    /// Current rates, over the last second (0 for a stream that has stopped).
    var packetsPerSecond: Double
    var bitsPerSecond: Double
    /// Average bit rate from the first datagram to the last; nil with fewer than two.
    var averageBitsPerSecond: Double?
    var lost: UInt64?
    var expected: UInt64?
    var reordered: UInt64?
    var duplicates: UInt64?
    var lossPercent: Double?
    var jitterMs: Double?
    /// MPEG-TS priority-1 errors over every kind the stream's senders were read as.
    var streamErrors: UInt64
    /// Datagrams that did not decode as their sender's kind.
    var undecodable: UInt64
    var latencyMs: PercentilesReport?
    var delayVariationMs: PercentilesReport?
    var health: String
    var rtp: RTPReport?
    var ts: TransportStreamReport?
    var iperf: IperfReport?

    init(_ stream: StreamStatistics) {
        group = "\(stream.key.group)"
        port = stream.key.port
        interface = stream.key.interfaceName
        kind = stream.kind?.name
        packets = stream.packets
        bytes = stream.bytes
        sources = stream.sources.count
        kernelDrops = stream.kernelDrops
        packetsPerSecond = finite(stream.rate.packetsPerSecond) ?? 0
        bitsPerSecond = finite(stream.rate.bitsPerSecond) ?? 0
        if let first = stream.firstSeen?.nanosecondsSinceEpoch, let last = stream.lastSeen?.nanosecondsSinceEpoch, last > first {
            averageBitsPerSecond = finite(Double(stream.bytes) * 8 / (Double(last) - Double(first)) * 1e9)
        }
        if stream.expected > 0 {
            lost = stream.lost
            expected = stream.expected
            reordered = stream.reordered
            duplicates = stream.duplicates
            lossPercent = finite(stream.lossPercent)
        }
        jitterMs = finite(stream.jitterNanoseconds.map { $0 / 1e6 })
        health = SilentStreams.isSilent(stream) ? SilentStreams.health : StreamHealth.brief(stream)
        streamErrors = stream.streamErrors
        undecodable = stream.sources.values.reduce(0) { $0.addingSaturating($1.payload.figures.undecodable) }
        latencyMs = stream.delays.latencyPercentiles.map(PercentilesReport.init)
        delayVariationMs = stream.delays.delayVariationPercentiles.map(PercentilesReport.init)
        let decoders = stream.primarySource?.payload.decoders
        rtp = decoders?.rtp.map(RTPReport.init)
        ts = decoders?.transportStream.map(TransportStreamReport.init)
        iperf = decoders.flatMap { decoders in decoders.iperf.map { IperfReport($0, finals: decoders.iperfFinals) } }
    }

    enum CodingKeys: String, CodingKey {
        case name, group, port, interface, kind, packets, bytes, sources, lost, expected, reordered, duplicates, health, rtp, ts, iperf, undecodable
        case streamErrors = "stream_errors", latencyMs = "latency_ms", delayVariationMs = "delay_variation_ms"
        case kernelDrops = "kernel_drops", packetsPerSecond = "packets_per_second", bitsPerSecond = "bits_per_second"
        case averageBitsPerSecond = "average_bits_per_second"
        case lossPercent = "loss_percent", jitterMs = "jitter_ms"
    }
}

/// Percentiles of a distribution in milliseconds, with the number of samples.
struct PercentilesReport: Encodable {
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var samples: UInt64

    init(_ percentiles: DelayHistograms.Percentiles) {
        p50 = finite(percentiles.p50 / 1e6) ?? 0
        p90 = finite(percentiles.p90 / 1e6) ?? 0
        p99 = finite(percentiles.p99 / 1e6) ?? 0
        max = finite(percentiles.max / 1e6) ?? 0
        samples = percentiles.samples
    }
}

/// RTP figures of one sender: lost, expected, reordered, duplicates and restarts over every SSRC
/// it used; ssrc, payload type, clock rate and jitter of the SSRC it sends now.
struct RTPReport: Encodable {
    var ssrc: String?
    var payloadType: UInt8?
    var clockRate: UInt32?
    var lost: UInt64
    var expected: UInt64
    var reordered: UInt64
    var duplicates: UInt64
    var restarts: UInt64
    var ssrcChanges: UInt64
    var jitterMs: Double?

    init(_ rtp: RTPStreamTracker) {
        ssrc = rtp.current.map { StreamHealth.hex32($0.ssrc) }
        payloadType = rtp.current?.payloadType
        clockRate = rtp.current?.clockRate
        lost = rtp.lost
        expected = rtp.expected
        reordered = rtp.reordered
        duplicates = rtp.duplicates
        restarts = rtp.restarts
        ssrcChanges = rtp.ssrcChanges
        jitterMs = finite(rtp.jitterNanoseconds.map { $0 / 1e6 })
    }

    enum CodingKeys: String, CodingKey {
        case ssrc, lost, expected, reordered, duplicates, restarts
        case payloadType = "payload_type", clockRate = "clock_rate", ssrcChanges = "ssrc_changes", jitterMs = "jitter_ms"
    }
}

/// The MPEG-TS checks (ETSI TR 101 290 priority 1) and the PID table of one sender.
struct TransportStreamReport: Encodable {
    var packets: UInt64
    var syncByteErrors: UInt64
    var syncLosses: UInt64
    var continuityErrors: UInt64
    var patErrors: UInt64
    var pmtErrors: UInt64
    var pidErrors: UInt64
    var transportErrors: UInt64
    var nullPercent: Double?
    var malformedDatagrams: UInt64
    var untrackedPIDPackets: UInt64
    var duplicatePackets: UInt64
    var crcErrors: UInt64
    var unparsedSections: UInt64
    var ignoredTableChanges: UInt64
    var pids: [PIDReport]

    var programs: [ProgramReport]

    struct ProgramReport: Encodable {
        var program: UInt16
        var pmtPID: UInt16
        var pmtSeen: Bool
        var elementaryPIDs: [UInt16]

        enum CodingKeys: String, CodingKey {
            case program
            case pmtPID = "pmt_pid", pmtSeen = "pmt_seen", elementaryPIDs = "elementary_pids"
        }
    }

    struct PIDReport: Encodable {
        var pid: UInt16
        var role: String
        var packets: UInt64
        var continuityErrors: UInt64
        var bitsPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case pid, role, packets
            case continuityErrors = "continuity_errors", bitsPerSecond = "bits_per_second"
        }
    }

    init(_ ts: TransportStreamAnalyzer) {
        packets = ts.packets
        syncByteErrors = ts.syncByteErrors
        syncLosses = ts.syncLosses
        continuityErrors = ts.continuityErrors
        patErrors = ts.patErrors
        pmtErrors = ts.pmtErrors
        pidErrors = ts.pidErrors
        transportErrors = ts.transportErrors
        nullPercent = finite(ts.nullPercent)
        malformedDatagrams = ts.malformedDatagrams
        untrackedPIDPackets = ts.untrackedPIDPackets
        duplicatePackets = ts.duplicatePackets
        crcErrors = ts.crcErrors
        unparsedSections = ts.unparsedSections
        ignoredTableChanges = ts.ignoredTableChanges
        programs = ts.programs.map { ProgramReport(program: $0.programNumber, pmtPID: $0.pmtPID, pmtSeen: $0.pmtSeen, elementaryPIDs: $0.elementaryPIDs) }
        pids = ts.pids.map { PIDReport(pid: $0.pid, role: $0.roleName, packets: $0.packets, continuityErrors: $0.continuityErrors, bitsPerSecond: finite($0.bitsPerSecond) ?? 0) }
    }

    enum CodingKeys: String, CodingKey {
        case packets, pids, programs
        case syncByteErrors = "sync_byte_errors", syncLosses = "sync_losses", continuityErrors = "continuity_errors"
        case patErrors = "pat_errors", pmtErrors = "pmt_errors", pidErrors = "pid_errors", transportErrors = "transport_errors"
        case nullPercent = "null_percent", malformedDatagrams = "malformed_datagrams", untrackedPIDPackets = "untracked_pid_packets"
        case duplicatePackets = "duplicate_packets", crcErrors = "crc_errors", unparsedSections = "unparsed_sections"
        case ignoredTableChanges = "ignored_table_changes"
    }
}

/// iperf2 figures of one sender: its sequence numbers and, when clocks agree, one-way latency.
struct IperfReport: Encodable {
    var lost: UInt64
    var expected: UInt64
    var reordered: UInt64
    var duplicates: UInt64
    var finals: UInt64
    var jitterMs: Double
    var latencyMs: Double?

    init(_ iperf: ProbeSequenceTracker, finals: UInt64) {
        lost = iperf.lost
        expected = iperf.expected
        reordered = iperf.reordered
        duplicates = iperf.duplicates
        self.finals = finals
        jitterMs = finite(iperf.jitterNanoseconds / 1e6) ?? 0
        latencyMs = iperf.latencyIsPlausible ? finite(iperf.latencyAverage.map { Double($0) / 1e6 }) : nil
    }

    enum CodingKeys: String, CodingKey {
        case lost, expected, reordered, duplicates, finals
        case jitterMs = "jitter_ms", latencyMs = "latency_ms"
    }
}

/// The value when it is a number JSON can carry (JSONEncoder refuses NaN and infinities).
private func finite(_ value: Double?) -> Double? {
    guard let value, value.isFinite else { return nil }
    return value
}
