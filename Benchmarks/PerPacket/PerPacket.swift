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
        state.groups.search = "239.1.2."
        for _ in benchmark.scaledIterations { blackHole(Renderer.render(state, glyphs: .unicode, now: .now)) }
    }

    Benchmark("TUI sort alone: 1000 streams by packets/s", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        var state = groupsScreenState(streams: 1000)
        state.groups.sortColumn = .packetsPerSecond
        for _ in benchmark.scaledIterations { blackHole(state.visibleStreams) }
    }

    Benchmark("TUI filter alone: 1000 streams by \"239.1.2.\"", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) { benchmark in
        var state = groupsScreenState(streams: 1000)
        state.groups.search = "239.1.2."
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
