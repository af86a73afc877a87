// Micro benchmarks of what mcexpert does for every datagram, and of one TUI frame.
import Benchmark
import MulticastExpert
import MulticastMonitor
import MulticastTUI

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
        var streams: [StreamStatistics] = []
        for i in 0..<50 {
            let g = try! MulticastGroup(parsing: "239.1.2.\(i + 1)")
            var stream = StreamStatistics(key: StreamKey(group: g, port: 5000, interfaceIndex: 2, interfaceName: "eth0"))
            for s in 0..<100 { stream.record(probeDatagram(UInt64(s)), now: Int64(s) * 10_000_000) }
            streams.append(stream)
        }
        var state = AppState(hostName: "bench", privileged: false)
        _ = state.handle(.resize(width: 120, height: 40))
        _ = state.handle(.snapshot(MonitorSnapshot(streams: streams, subscriptions: [:], totalPackets: 5000, totalPacketsPerSecond: 100_000)))
        for _ in benchmark.scaledIterations { blackHole(Renderer.render(state, glyphs: .unicode, now: .now)) }
    }
}
