// Micro benchmarks of what mcexpert does for every datagram, and of one TUI frame.
import Benchmark
import MulticastExpert
import MulticastMonitor
import MulticastTUI
import MulticastText

let group = try! MulticastGroup(parsing: "239.1.2.3")
let source = SocketAddress(address: IPAddress("198.18.0.1")!, port: 4000)

func probeDatagram(_ sequence: UInt64, size: Int = 64) -> Datagram {
    Datagram(payload: ProbeHeader(senderID: 7, sequence: sequence, sendTimeNanoseconds: 1_000).datagram(size: size), source: source,
             group: group, port: 5000, interfaceIndex: 2, interfaceName: "eth0", receivedAt: Timestamp(nanosecondsSinceEpoch: 2_000))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark("statistics update per datagram (probe, 64 B)", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .throughput])) { benchmark in
        var stream = StreamStatistics(key: StreamKey(group: group, port: 5000, interfaceIndex: 2, interfaceName: "eth0"))
        let datagrams = (0..<1000).map { probeDatagram(UInt64($0)) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (i, datagram) in datagrams.enumerated() { stream.record(datagram, now: Int64(i) * 10_000) }
        }
        blackHole(stream.packets)
    }

    // The payload kinds mcexpert decodes, like the probe figure above: a fresh stream each
    // sample, fed 1000 prepared datagrams of one well-formed stream from one source (sequence
    // numbers and continuity counters advancing, PAT and PMT every 40 datagrams for MPEG-TS),
    // 10 µs apart on the receiver's clock. The time per sample in µs is ns per datagram; it
    // includes the kind's detection (the first 3 to 16 datagrams) and the stream's first
    // allocations (the mallocs counted: none per datagram after them). "raw" runs no decoder:
    // the difference to it is what decoding a kind costs. A sample fails if the stream was not
    // taken for the kind sent, or counted loss or MPEG-TS errors.
    for fixture in PayloadFixture.allCases {
        let datagrams = fixture.datagrams(count: 1000)
        Benchmark("statistics update per datagram (\(fixture.label))", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .throughput])) { benchmark in
            var stream = StreamStatistics(key: StreamKey(group: group, port: 5000, interfaceIndex: 2, interfaceName: "eth0"))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                for (i, datagram) in datagrams.enumerated() { stream.record(datagram, now: Int64(i) * PayloadFixture.spacing) }
            }
            benchmark.stopMeasurement()
            if stream.kind != fixture.kind || stream.lost != 0 || stream.streamErrors != 0 {
                benchmark.error("\(fixture.label): kind \(stream.kind?.name ?? "none"), lost \(stream.lost), stream errors \(stream.streamErrors)")
            }
            blackHole(stream.packets)
        }
    }

    // The decoders alone, in steady state: each sample warms a fresh decoder with 100 datagrams
    // (past RTP's probation, past the first PAT and PMT), then times the next 1000.
    let tsDatagrams = PayloadFixture.ts.datagrams(count: 1100).map(\.payload)
    Benchmark("TS analysis of one 7×188 datagram (TransportStreamAnalyzer alone)", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .throughput])) { benchmark in
        var analyzer = TransportStreamAnalyzer()
        for (i, payload) in tsDatagrams[..<100].enumerated() { payload.withUnsafeBytes { analyzer.record($0, now: Int64(i) * PayloadFixture.spacing) } }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for i in 100..<1100 { tsDatagrams[i].withUnsafeBytes { analyzer.record($0, now: Int64(i) * PayloadFixture.spacing) } }
        }
        benchmark.stopMeasurement()
        if analyzer.priorityOneErrors != 0 || analyzer.packets != 7700 || analyzer.programs.first?.elementaryStreams.count != 1 {
            benchmark.error("TS analysis: \(analyzer.priorityOneErrors) priority-1 errors, \(analyzer.packets) packets, programs \(analyzer.programs)")
        }
        blackHole(analyzer.packets)
    }

    let rtpDatagrams = PayloadFixture.rtpAudio.datagrams(count: 1100)
    Benchmark("RTP header decode + RTPStreamTracker.record", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .throughput])) { benchmark in
        var tracker = RTPStreamTracker()
        func take(_ d: Datagram) {
            d.payload.withUnsafeBytes { bytes in
                if let header = RTPHeader(decoding: bytes) { tracker.record(header, receivedAt: d.receivedAt.nanosecondsSinceEpoch) }
            }
        }
        for d in rtpDatagrams[..<100] { take(d) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for d in rtpDatagrams[100...] { take(d) }
        }
        benchmark.stopMeasurement()
        if tracker.lost != 0 || tracker.uniqueReceived != 1100 || tracker.ssrcChanges != 0 {
            benchmark.error("RTP: lost \(tracker.lost), unique \(tracker.uniqueReceived), ssrc changes \(tracker.ssrcChanges)")
        }
        blackHole(tracker.received)
    }

    Benchmark("probe header decode", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        let bytes = ProbeHeader(senderID: 7, sequence: 42, sendTimeNanoseconds: 1).datagram(size: 64)
        for _ in benchmark.scaledIterations { blackHole(ProbeHeader(decoding: bytes)) }
    }

    Benchmark("hexdump of a 1400-byte payload", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        let bytes = (0..<1400).map { UInt8(truncatingIfNeeded: $0) }
        for _ in benchmark.scaledIterations { blackHole(Hexdump.lines(bytes)) }
    }

    Benchmark("TUI frame: groups table with 50 streams at 120x40", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        let state = groupsScreenState(streams: 50)
        for _ in benchmark.scaledIterations { blackHole(Renderer.render(state, glyphs: .unicode, now: .now)) }
    }

    // 1000 streams: what one frame costs when the table holds far more rows than the screen.
    // The frame filters and sorts every stream, then draws a screenful; the sort and the filter
    // are also measured alone.
    Benchmark("TUI frame: groups table with 1000 streams at 120x40", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        let state = groupsScreenState(streams: 1000)
        for _ in benchmark.scaledIterations { blackHole(Renderer.render(state, glyphs: .unicode, now: .now)) }
    }

    Benchmark("TUI frame: 1000 streams sorted by packets/s, descending, at 120x40", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        var state = groupsScreenState(streams: 1000)
        state.groups.sortColumn = .packetsPerSecond
        state.groups.sortAscending = false
        for _ in benchmark.scaledIterations { blackHole(Renderer.render(state, glyphs: .unicode, now: .now)) }
    }

    Benchmark("TUI frame: 1000 streams filtered by \"239.1.2.\" at 120x40", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        var state = groupsScreenState(streams: 1000)
        state.groups.search = ListSearch(text: "239.1.2.")
        for _ in benchmark.scaledIterations { blackHole(Renderer.render(state, glyphs: .unicode, now: .now)) }
    }

    Benchmark("TUI sort alone: 1000 streams by packets/s", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        var state = groupsScreenState(streams: 1000)
        state.groups.sortColumn = .packetsPerSecond
        for _ in benchmark.scaledIterations { blackHole(state.visibleStreams) }
    }

    Benchmark("TUI filter alone: 1000 streams by \"239.1.2.\"", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        var state = groupsScreenState(streams: 1000)
        state.groups.search = ListSearch(text: "239.1.2.")
        for _ in benchmark.scaledIterations { blackHole(state.visibleStreams) }
    }
}

/// The TUI's state on the Groups screen at 120x40 after a snapshot of `count` streams
/// (239.1.0.1, 239.1.0.2, ...: 250 per /24), each with 100 probes recorded at a slightly
/// different interval, so the rates differ and a sort by rate has work to do.
func groupsScreenState(streams count: Int) -> AppState {
    var streams: [StreamStatistics] = []
    for i in 0..<count {
        let g = try! MulticastGroup(parsing: "239.1.\(i / 250).\(i % 250 + 1)")
        var stream = StreamStatistics(key: StreamKey(group: g, port: 5000, interfaceIndex: 2, interfaceName: "eth0"))
        for s in 0..<100 { stream.record(probeDatagram(UInt64(s)), now: Int64(s) * (10_000_000 + Int64(i) * 1_000)) }
        streams.append(stream)
    }
    var state = AppState(hostName: "bench", privileged: false)
    _ = state.handle(.resize(width: 120, height: 40))
    _ = state.handle(.snapshot(MonitorSnapshot(streams: streams, subscriptions: [:], totalPackets: UInt64(count * 100), totalPacketsPerSecond: 100_000)))
    return state
}

/// Well-formed streams of the payload kinds mcexpert decodes, as one source sends them: what the
/// per-datagram benchmarks feed. Datagram i is recorded at monotonic time ``spacing`` × i and
/// carries the receive time ``epoch`` + ``arrivalSpacing`` × i.
enum PayloadFixture: CaseIterable {
    /// RTP, PCMU audio (payload type 0, 8 kHz): 12-byte header and 160 bytes, timestamps 160 apart.
    case rtpAudio
    /// MPEG-TS straight over UDP: 7 × 188 bytes.
    case ts
    /// MPEG-TS over RTP (payload type 33, 90 kHz): 12-byte header and 7 × 188 bytes.
    case rtpTS
    /// iperf2 UDP (2.1's header with 64-bit sequence numbers), 1470 bytes, sent 100 µs before arrival.
    case iperf
    /// 1316 zero bytes, the payload of Benchmarks/run.sh's receive and listen tables: detected as
    /// raw, no decoder runs, so the difference to the others is what their decoding costs.
    case raw

    /// The receiver's monotonic clock between consecutive datagrams, ns (100k datagrams/s, the
    /// end-to-end benchmark's order, as for the probe figure): what the rate windows see.
    static let spacing: Int64 = 10_000
    /// The first datagram's receive time, ns since the epoch.
    static let epoch: Int64 = 1_750_000_000_000_000_000
    static let ssrc: UInt32 = 0x1A2B_3C4D
    /// Program 1: PMT on 0x100, one video stream (H.264) on 0x101, which also carries the PCR.
    static let pmtPID: UInt16 = 0x100
    static let videoPID: UInt16 = 0x101
    /// Datagrams from one PAT and PMT to the next.
    static let tableInterval = 40

    var label: String {
        switch self {
        case .rtpAudio: "RTP, 172 B audio"
        case .ts: "MPEG-TS 7×188 over UDP"
        case .rtpTS: "MPEG-TS 7×188 over RTP"
        case .iperf: "iperf2, 1470 B"
        case .raw: "raw, 1316 B zeros: no decoder"
        }
    }

    var kind: PayloadKind {
        switch self {
        case .rtpAudio: .rtp
        case .ts: .ts
        case .rtpTS: .rtpTS
        case .iperf: .iperf
        case .raw: .raw
        }
    }

    /// Receive times (the kernel's, for jitter and latency) between consecutive datagrams, ns:
    /// the audio's 20 ms packets, else ``spacing``.
    var arrivalSpacing: Int64 { self == .rtpAudio ? 20_000_000 : Self.spacing }

    /// `count` consecutive datagrams of the stream from its start.
    func datagrams(count: Int) -> [Datagram] {
        var ts = TSMux()
        return (0..<count).map { i in
            let payload: [UInt8]
            switch self {
            case .rtpAudio:
                payload = Self.rtpHeader(payloadType: 0, sequence: UInt16(truncatingIfNeeded: 1000 + i), timestamp: UInt32(i) &* 160)
                    + [UInt8](repeating: 0xFF, count: 160)
            case .ts:
                payload = ts.datagram(i)
            case .rtpTS:
                payload = Self.rtpHeader(payloadType: RTPClockRate.mpegTransportStream, sequence: UInt16(truncatingIfNeeded: 1000 + i),
                                         timestamp: UInt32(Int64(i) * arrivalSpacing * 90_000 / 1_000_000_000)) + ts.datagram(i)
            case .iperf:
                payload = Self.iperfHeader(sequence: UInt64(i + 1), sendTime: Self.epoch + Int64(i) * arrivalSpacing - 100_000, size: 1470)
            case .raw:
                payload = [UInt8](repeating: 0, count: 1316)
            }
            return Datagram(payload: payload, source: source, group: group, port: 5000, interfaceIndex: 2, interfaceName: "eth0",
                            receivedAt: Timestamp(nanosecondsSinceEpoch: Self.epoch + Int64(i) * arrivalSpacing))
        }
    }

    static func rtpHeader(payloadType: UInt8, sequence: UInt16, timestamp: UInt32) -> [UInt8] {
        [0x80, payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF)] + bigEndian(timestamp) + bigEndian(ssrc)
    }

    /// id · tv_sec · tv_usec · id2 · flags (HEADER_SEQNO64B), then zeros.
    static func iperfHeader(sequence: UInt64, sendTime: Int64, size: Int) -> [UInt8] {
        var bytes = bigEndian(UInt32(truncatingIfNeeded: sequence)) + bigEndian(UInt32(sendTime / 1_000_000_000))
            + bigEndian(UInt32(sendTime % 1_000_000_000 / 1000)) + bigEndian(UInt32(truncatingIfNeeded: sequence >> 32))
            + bigEndian(IperfHeader.sequence64BitFlag)
        bytes += [UInt8](repeating: 0, count: size - bytes.count)
        return bytes
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// A single-program transport stream as a multiplexer sends it over UDP, 7 packets a datagram:
/// video packets on one PID, and every ``PayloadFixture/tableInterval`` datagrams the PAT and
/// the PMT in place of the last two, the first video packet then carrying a PCR. Continuity
/// counters advance per PID.
struct TSMux {
    private var counters: [UInt16: UInt8] = [:]
    private let pat: [UInt8]
    private let pmt: [UInt8]

    init() {
        pat = Self.section(tableID: 0x00, tableIDExtension: 1, body: [0x00, 0x01, 0xE0 | UInt8(PayloadFixture.pmtPID >> 8), UInt8(PayloadFixture.pmtPID & 0xFF)])
        let video = PayloadFixture.videoPID
        pmt = Self.section(tableID: 0x02, tableIDExtension: 1,
                           body: [0xE0 | UInt8(video >> 8), UInt8(video & 0xFF), 0xF0, 0x00, 0x1B, 0xE0 | UInt8(video >> 8), UInt8(video & 0xFF), 0xF0, 0x00])
    }

    /// Datagram `index` of the stream (call in order: the counters run on).
    mutating func datagram(_ index: Int) -> [UInt8] {
        let tables = index % PayloadFixture.tableInterval == 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(7 * 188)
        for k in 0..<(tables ? 5 : 7) {
            bytes += packet(pid: PayloadFixture.videoPID, payloadUnitStart: tables && k == 0, pcr: tables && k == 0 ? UInt64(index) * 270 : nil, payload: [])
        }
        if tables {
            bytes += packet(pid: 0, payloadUnitStart: true, pcr: nil, payload: [0] + pat)
            bytes += packet(pid: PayloadFixture.pmtPID, payloadUnitStart: true, pcr: nil, payload: [0] + pmt)
        }
        return bytes
    }

    private mutating func packet(pid: UInt16, payloadUnitStart: Bool, pcr: UInt64?, payload: [UInt8]) -> [UInt8] {
        let cc = counters[pid, default: 0]
        counters[pid] = (cc + 1) & 0x0F
        var p = [UInt8](repeating: 0xFF, count: 188)
        p[0] = 0x47
        p[1] = (payloadUnitStart ? 0x40 : 0) | UInt8(pid >> 8 & 0x1F)
        p[2] = UInt8(pid & 0xFF)
        p[3] = (pcr == nil ? 0x10 : 0x30) | cc
        var i = 4
        if let pcr {
            // Adaptation field of 7 bytes: flags (PCR), 33-bit base, 6 reserved bits, 9-bit extension 0.
            let base = pcr / 300
            p[4] = 7
            p[5] = 0x10
            p[6] = UInt8(base >> 25 & 0xFF); p[7] = UInt8(base >> 17 & 0xFF); p[8] = UInt8(base >> 9 & 0xFF); p[9] = UInt8(base >> 1 & 0xFF)
            p[10] = UInt8(base & 1) << 7 | 0x7E
            p[11] = 0
            i = 12
        }
        for byte in payload where i < 188 {
            p[i] = byte
            i += 1
        }
        return p
    }

    /// A long-form PSI section (version 0, current, section 0 of 0) with its CRC_32.
    static func section(tableID: UInt8, tableIDExtension: UInt16, body: [UInt8]) -> [UInt8] {
        let length = 5 + body.count + 4
        var s: [UInt8] = [tableID, 0xB0 | UInt8(length >> 8 & 0x0F), UInt8(length & 0xFF),
                          UInt8(tableIDExtension >> 8), UInt8(tableIDExtension & 0xFF), 0xC1, 0x00, 0x00] + body
        var crc: UInt32 = 0xFFFF_FFFF  // MPEG-2 CRC-32, bit by bit
        for byte in s {
            crc ^= UInt32(byte) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        }
        s += PayloadFixture.bigEndian(crc)
        return s
    }
}
