import MulticastExpert
@testable import MulticastMonitor

/// Streams made of crafted datagrams, fed through ``StreamStatistics/record(_:now:)`` like the
/// engine does: RTP with a few lost packets, MPEG-TS (PAT, PMT, H.264 video, AAC audio, null)
/// with continuity errors on the video PID, and mcexpert probes.
enum StreamFixtures {
    static let second: Int64 = 1_000_000_000
    /// The monotonic clock at the first datagram.
    static let start: Int64 = 1_000 * second
    /// The wall clock at the first datagram.
    static let epoch: Int64 = 1_700_000_000 * second
    /// How long every fixture stream runs: more than the 60 s the graphs show.
    static let seconds = 65
    /// The monotonic time the fixtures end at (the snapshot's "now").
    static var end: Int64 { start + Int64(seconds) * second }

    static let rtpSSRC: UInt32 = 0x1A2B_3C4D
    /// RTP sequence numbers lost on the way: three in second 20, an outage over seconds 40 and 41.
    static let rtpLost = Set([500, 501, 502] + Array(1000..<1050))
    /// TS datagrams whose first video packet skips a continuity counter (seconds 30 and 58).
    static let tsContinuityBreaks: Set<Int> = [600, 1160]

    /// A stream of `seconds` × `perSecond` datagrams from one source; `payload(i)` is the i-th
    /// datagram, or nil for one that is lost on the way.
    /// Arrivals are up to 0.45 ms late, in a repeating pattern, so jitter is not zero.
    static func stream(_ group: String, port: UInt16 = 5000, perSecond: Int, source: String = "198.18.0.1", limits: StatisticsLimits = StatisticsLimits(),
                       payload: (Int) -> [UInt8]?) -> StreamStatistics {
        let multicastGroup = try! MulticastGroup(parsing: group)
        var stream = StreamStatistics(key: StreamKey(group: multicastGroup, port: port, interfaceIndex: 2, interfaceName: "eth0"), limits: limits)
        let step = second / Int64(perSecond)
        for i in 0..<(seconds * perSecond) {
            let offset = Int64(i) * step + Int64(i % 4) * 150_000
            stream.advance(to: start + offset)
            guard let bytes = payload(i) else { continue }
            let datagram = Datagram(payload: bytes, source: SocketAddress(address: IPAddress(source)!, port: 4000), group: multicastGroup, port: port,
                                    interfaceIndex: 2, interfaceName: "eth0", receivedAt: Timestamp(nanosecondsSinceEpoch: epoch + offset))
            stream.record(datagram, now: start + offset)
        }
        stream.advance(to: end)
        return stream
    }

    /// 25 RTP datagrams a second, payload type 96, 90 kHz timestamps, four lost.
    static func rtpStream(_ group: String = "239.1.1.1", limits: StatisticsLimits = StatisticsLimits()) -> StreamStatistics {
        stream(group, perSecond: 25, limits: limits) { i in
            rtpLost.contains(i) ? nil : rtp(sequence: UInt16(truncatingIfNeeded: i), timestamp: UInt32(i) &* 3600, ssrc: rtpSSRC,
                                            payload: [UInt8](repeating: 0xAB, count: 1000))
        }
    }

    /// 20 datagrams of 7 TS packets a second: PAT and PMT every fifth datagram, two continuity
    /// errors on the video PID.
    static func transportStream(_ group: String = "239.1.1.2", limits: StatisticsLimits = StatisticsLimits()) -> StreamStatistics {
        var counters: [UInt16: UInt8] = [:]
        func next(_ pid: UInt16, skip: Bool = false) -> UInt8 {
            let cc = (counters[pid, default: 0] &+ (skip ? 1 : 0)) & 0x0F
            counters[pid] = (cc + 1) & 0x0F
            return cc
        }
        return stream(group, perSecond: 20, limits: limits) { i in
            var packets: [[UInt8]] = []
            if i % 5 == 0 {
                packets.append(tsPacket(pid: 0, cc: next(0), payloadUnitStart: true, payload: [0] + pat))
                packets.append(tsPacket(pid: 0x100, cc: next(0x100), payloadUnitStart: true, payload: [0] + pmt))
            } else {
                packets.append(tsPacket(pid: 0x102, cc: next(0x102)))
                packets.append(tsPacket(pid: 0x1FFF, cc: 0))
            }
            packets.append(tsPacket(pid: 0x101, cc: next(0x101, skip: tsContinuityBreaks.contains(i)), payloadUnitStart: true))
            for _ in 0..<4 { packets.append(tsPacket(pid: 0x101, cc: next(0x101))) }
            return packets.flatMap { $0 }
        }
    }

    /// 10 probes a second, sent 2 ms before they arrive, none lost.
    static func probeStream(_ group: String = "239.1.1.3") -> StreamStatistics {
        stream(group, perSecond: 10) { i in
            ProbeHeader(senderID: 0xC0FFEE, sequence: UInt64(i), sendTimeNanoseconds: epoch + Int64(i) * second / 10 - 2_000_000).datagram(size: 100)
        }
    }

    /// A snapshot of the streams, one subscription each.
    static func snapshot(_ streams: [StreamStatistics]) -> MonitorSnapshot {
        var subscriptions: [SubscriptionID: Subscription] = [:]
        for (i, stream) in streams.enumerated() {
            subscriptions[SubscriptionID(rawValue: UInt64(i) + 1)] = Subscription(groups: [stream.key.group], port: stream.key.port, interfaces: ["eth0"])
        }
        return MonitorSnapshot(streams: streams, subscriptions: subscriptions, totalPackets: streams.reduce(0) { $0 + $1.packets },
                               totalPacketsPerSecond: streams.reduce(0) { $0 + $1.rate.packetsPerSecond })
    }

    // MARK: Datagrams

    /// An RTP datagram: version 2, no padding, extension or CSRCs.
    static func rtp(sequence: UInt16, timestamp: UInt32, ssrc: UInt32, payloadType: UInt8 = 96, marker: Bool = false, payload: [UInt8]) -> [UInt8] {
        [0x80, (marker ? 0x80 : 0) | payloadType, UInt8(sequence >> 8), UInt8(sequence & 0xFF)] + bigEndian(timestamp) + bigEndian(ssrc) + payload
    }

    /// One 188-byte TS packet carrying `payload` (then 0xFF stuffing); with `adaptation`, a
    /// 2-byte adaptation field whose flags byte is `adaptationFlags`.
    static func tsPacket(pid: UInt16, cc: UInt8, payloadUnitStart: Bool = false, transportError: Bool = false, scrambling: UInt8 = 0,
                         adaptation: Bool = false, adaptationFlags: UInt8 = 0, payload: [UInt8] = []) -> [UInt8] {
        var p = [UInt8](repeating: 0xFF, count: 188)
        p[0] = 0x47
        p[1] = (transportError ? 0x80 : 0) | (payloadUnitStart ? 0x40 : 0) | UInt8(pid >> 8 & 0x1F)
        p[2] = UInt8(pid & 0xFF)
        p[3] = (scrambling & 3) << 6 | (adaptation ? 0x30 : 0x10) | (cc & 0x0F)
        var i = 4
        if adaptation {
            p[4] = 1
            p[5] = adaptationFlags
            i = 6
        }
        for byte in payload where i < 188 {
            p[i] = byte
            i += 1
        }
        return p
    }

    /// A PAT listing program 1 with its PMT on PID 0x100.
    static let pat = section(tableID: 0x00, extension: 1, body: [0x00, 0x01, 0xE1, 0x00])
    /// Program 1's PMT: PCR on 0x101, H.264 on 0x101, AAC on 0x102.
    static let pmt = section(tableID: 0x02, extension: 1, body: [0xE1, 0x01, 0xF0, 0x00, 0x1B, 0xE1, 0x01, 0xF0, 0x00, 0x0F, 0xE1, 0x02, 0xF0, 0x00])

    /// A long-form PSI section with its length and CRC.
    static func section(tableID: UInt8, extension tableIDExtension: UInt16, body: [UInt8]) -> [UInt8] {
        let length = 5 + body.count + 4
        let bytes: [UInt8] = [tableID, 0xB0 | UInt8(length >> 8 & 0x0F), UInt8(length & 0xFF), UInt8(tableIDExtension >> 8), UInt8(tableIDExtension & 0xFF),
                              0xC1, 0, 0] + body
        return bytes + bigEndian(crc32(bytes))
    }

    /// MPEG-2's CRC-32, a bit at a time.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        }
        return crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
}
