import FuzzSupport
import MulticastExpert
import MulticastMonitor
import MulticastText

// The per-datagram path: an arbitrary sequence of datagrams from a few sources into the
// engine's StatisticsBook (three streams, two itemised), probe decoding included, then every
// figure the CLI and the TUI show, from the book's snapshots.
//
// Input layout (see FuzzInput: reads past the end give zeros):
//   byte 0       limits (sources cap 1...8, captured datagrams 0...3, capture length 0...63)
//   bytes 1...8  start of the monotonic clock, 9...16 start of the wall clock
//   then records, each:
//     control byte: bits 0-2 source (sources 0-5 send to stream 0, source 6 to stream 1,
//                   source 7 to stream 2, which the book's cap of two leaves untracked
//                   unless an earlier stream is missing), bits 3-4 clock step, bits 5-6 payload kind, bit 7 print the
//                   payload and read every figure afterwards
//     clock step:   0 none · 1 one byte of ms · 2 two bytes of ms · 3 an edgy 64-bit step (saturating)
//     payload kind: 0 raw bytes (length-prefixed)
//                   1 probe, every field edgy: sender id, sequence, send time, then padding length
//                   2 probe that follows the source's last one: sender id selector, signed sequence
//                     step, signed latency in ms (as a well-behaved or slightly broken sender would)
//                   3 probe-shaped bytes with a fuzzer-chosen version and header length
//     then one flag byte: bit 0 truncated, bits 1-7 the stream socket's kernel drop count step

private let sources: [SocketAddress] = [
    SocketAddress(address: .v4(IPv4Address(198, 18, 0, 1)), port: 40_000),
    SocketAddress(address: .v4(IPv4Address(198, 18, 0, 2)), port: 40_000),
    SocketAddress(address: .v4(IPv4Address(198, 18, 0, 1)), port: 40_001),
    SocketAddress(address: .v6(IPv6Address("fe80::1")!), port: 40_000, scopeID: 2),
    SocketAddress(address: .v6(IPv6Address("2001:db8::1")!), port: 40_000),
    SocketAddress(address: .v4(IPv4Address(0, 0, 0, 0)), port: 0),
    SocketAddress(address: .v4(IPv4Address(255, 255, 255, 255)), port: 65_535),
    SocketAddress(address: .v6(IPv6Address(high: .max, low: .max)), port: 1, scopeID: .max),
]
private let group = try! MulticastGroup(parsing: "239.1.2.3")
/// The streams datagrams go to: the same group on another port, and on another interface.
private let streams = [
    StreamKey(group: group, port: 5000, interfaceIndex: 2, interfaceName: "eth0"),
    StreamKey(group: group, port: 5001, interfaceIndex: 2, interfaceName: "eth0"),
    StreamKey(group: group, port: 5000, interfaceIndex: 3, interfaceName: "eth1"),
]
private let maxStreams = 2

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let shape = input.byte()
    let limits = StatisticsLimits(maxSourcesPerStream: Int(shape & 0x07) + 1,
                                  capturedDatagramsPerStream: Int(shape >> 3 & 0x03),
                                  captureLength: Int(shape >> 5) * 9)
    var book = StatisticsBook(limits: limits, maxStreams: maxStreams)
    // The monotonic clock never goes backwards and is never negative; the wall clock may be
    // anywhere at or after the epoch (a stepped clock), so both start where the fuzzer says.
    var now = Int64(bitPattern: input.uint64() & UInt64(Int64.max))
    var wall = Int64(bitPattern: input.uint64() & UInt64(Int64.max))
    var lastProbe: [Int: ProbeHeader] = [:]
    var drops = [UInt32](repeating: 0, count: streams.count)

    while !input.isEmpty {
        let control = input.byte()
        let sourceIndex = Int(control & 0x07)
        let stream = max(0, sourceIndex - 5)
        let key = streams[stream]
        let step: UInt64
        switch control >> 3 & 0x03 {
        case 0: step = 0
        case 1: step = UInt64(input.byte()) * 1_000_000
        case 2: step = UInt64(input.uint16()) * 1_000_000
        default: step = input.edgyUInt64() & UInt64(Int64.max)
        }
        now = advanced(now, by: step)
        wall = advanced(wall, by: step)

        var payload: [UInt8]
        switch control >> 5 & 0x03 {
        case 0:
            payload = input.chunk()
        case 1:
            let header = ProbeHeader(senderID: input.edgyUInt64(), sequence: input.edgyUInt64(),
                                     sendTimeNanoseconds: Int64(bitPattern: input.edgyUInt64()))
            lastProbe[sourceIndex] = header
            payload = header.datagram(size: ProbeHeader.length + Int(input.byte() & 0x3f))
        case 2:
            let previous = lastProbe[sourceIndex] ?? ProbeHeader(senderID: 0x1234, sequence: 0, sendTimeNanoseconds: wall)
            let selector = input.byte()
            let senderID = selector & 0x80 == 0 ? previous.senderID : (selector & 0x40 == 0 ? previous.senderID &+ 1 : input.edgyUInt64())
            let sequenceStep = Int64(Int8(bitPattern: input.byte()))
            let latencyMs = Int64(Int8(bitPattern: input.byte()))
            let header = ProbeHeader(senderID: senderID, sequence: previous.sequence &+ UInt64(bitPattern: sequenceStep),
                                     sendTimeNanoseconds: wall &- latencyMs &* 1_000_000)
            lastProbe[sourceIndex] = header
            payload = header.datagram(size: ProbeHeader.length + Int(selector & 0x0f))
        default:
            let header = ProbeHeader(senderID: input.edgyUInt64(), sequence: input.edgyUInt64(),
                                     sendTimeNanoseconds: Int64(bitPattern: input.edgyUInt64()))
            payload = header.datagram(size: ProbeHeader.length + Int(input.byte() & 0x3f))
            payload[4] = input.byte() & 0x03  // version 0...3
            let headerLength = input.uint16()
            payload[6] = UInt8(headerLength >> 8)
            payload[7] = UInt8(headerLength & 0xff)
            payload = Array(payload.prefix(Int(input.byte())))
        }

        let flags = input.byte()
        drops[stream] &+= UInt32(flags >> 1)
        let datagram = Datagram(payload: payload, source: sources[sourceIndex], group: key.group, port: key.port,
                                interfaceIndex: key.interfaceIndex, interfaceName: key.interfaceName,
                                receivedAt: Timestamp(nanosecondsSinceEpoch: wall), isTruncated: flags & 1 == 1,
                                socketDropCount: drops[stream])
        if control & 0x07 == 7 && flags & 1 == 1 {
            book.record(datagram, now: now)  // the owned-datagram entry point
        } else {
            datagram.withView { book.record($0, now: now) }
        }
        if control & 0x80 != 0 {
            printPayload(payload, receivedAt: datagram.receivedAt)
            readFigures(book.snapshot(at: now))
        }
    }
    now = advanced(now, by: 1_000_000_000)
    readFigures(book.snapshot(at: now))
    return 0
}

private func advanced(_ time: Int64, by step: UInt64) -> Int64 {
    let (sum, overflow) = time.addingReportingOverflow(Int64(bitPattern: step & UInt64(Int64.max)))
    return overflow ? .max : sum
}

/// Everything the printers do with one payload (hexdump, text, probe line, time stamps).
private func printPayload(_ payload: [UInt8], receivedAt: Timestamp) {
    consume(Hexdump.lines(payload))
    consume(Hexdump.compactHex(payload))
    consume(PrintableText.ascii(payload))
    consume(TimeFormat.iso8601(receivedAt))
    consume(receivedAt.description)
    if let header = ProbeHeader(decoding: payload) {
        let sent = Timestamp(nanosecondsSinceEpoch: header.sendTimeNanoseconds)
        consume(TimeFormat.iso8601(sent))  // as the TUI's inspector shows it
        consume(ProbeHeader(decoding: header.datagram(size: payload.count)) == header)
    }
}

/// The book's accounting, then every stream's figures.
private func readFigures(_ snapshot: MonitorSnapshot) {
    consume((snapshot.totalPackets, snapshot.totalPacketsPerSecond, snapshot.untrackedStreamPackets))
    precondition(snapshot.streams.count <= maxStreams, "\(snapshot.streams.count) streams itemised past the cap")
    precondition(zip(snapshot.streams, snapshot.streams.dropFirst()).allSatisfy { $0.key < $1.key }, "streams out of order")
    let itemised = snapshot.streams.reduce(UInt64(0)) { $0 &+ $1.packets }
    precondition(itemised &+ snapshot.untrackedStreamPackets == snapshot.totalPackets,
                 "streams \(itemised) + untracked \(snapshot.untrackedStreamPackets) != total \(snapshot.totalPackets)")
    precondition(snapshot.totalPacketsPerSecond.isFinite && snapshot.totalPacketsPerSecond >= 0, "total rate \(snapshot.totalPacketsPerSecond)")
    for statistics in snapshot.streams { readFigures(statistics) }
}

/// Every derived figure of one stream, as the CLI's summary, the JSON output and the TUI read them.
private func readFigures(_ statistics: StreamStatistics) {
    consume((statistics.packets, statistics.bytes, statistics.untrackedPackets, statistics.kernelDrops))
    consume((statistics.lost, statistics.reordered, statistics.duplicates, statistics.expected))
    consume((statistics.lossPercent, statistics.jitterNanoseconds, statistics.firstSeen, statistics.lastSeen))
    readRate(statistics.rate)
    consume((statistics.kind, StreamHealth.brief(statistics), statistics.streamErrors, statistics.impairments.perSecond))
    consume((statistics.delays.latencyPercentiles, statistics.delays.delayVariationPercentiles, statistics.rate.bytesPerSecondHistory))
    for captured in statistics.captured {
        consume(Hexdump.lines(captured.payloadPrefix))
        consume((captured.length, captured.source.description, TimeFormat.iso8601(captured.receivedAt)))
    }
    for (address, source) in statistics.sources {
        consume(address.description)
        consume((source.packets, source.bytes, source.nonProbePackets, source.firstSeen, source.lastSeen))
        consume((source.lost, source.reordered, source.duplicates, source.expected, source.lossPercent))
        readRate(source.rate)
        if let probe = source.probe {
            consume((probe.senderID, probe.lowestSequence, probe.highestSequence, probe.uniqueReceived))
            consume((probe.lost, probe.reordered, probe.duplicates, probe.expected, probe.jitterNanoseconds))
            consume((probe.latencyMin, probe.latencyMax, probe.latencyAverage))
            if let jitter = statistics.jitterNanoseconds { precondition(jitter.isNaN || jitter >= probe.jitterNanoseconds || probe.jitterNanoseconds.isNaN) }
            // The tracker's accounting, whatever arrived (saturation aside).
            precondition(probe.lost <= probe.expected, "lost \(probe.lost) > expected \(probe.expected)")
            precondition(probe.expected == .max || probe.uniqueReceived <= probe.expected, "unique \(probe.uniqueReceived) > expected \(probe.expected)")
            precondition(probe.jitterNanoseconds.isFinite && probe.jitterNanoseconds >= 0, "jitter \(probe.jitterNanoseconds)")
            let accounted = probe.uniqueReceived &+ probe.duplicates &+ probe.outOfRange &+ probe.unconfirmed
            precondition(accounted <= source.packets - source.nonProbePackets, "more probes accounted (\(accounted)) than arrived")
        }
    }
}

private func readRate(_ rate: RateMeter) {
    consume((rate.packetsPerSecond, rate.bitsPerSecond))
    let history = rate.packetsPerSecondHistory
    precondition(history.count == RateMeter.historySeconds, "the history has one entry per second")
}

@inline(never)
private func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
