#if canImport(Glibc)
import Glibc
#endif
import MulticastExpert
import MulticastMonitor
import MulticastStreamList
import MulticastText

/// Prints datagrams, tables and the closing summary of `listen` in the chosen format.
/// Payloads go through ``PrintableText`` or hex, and every line through ``TerminalText``: nothing
/// from the network or the host reaches the terminal raw.
final class DatagramPrinter {
    let format: ListenFormat
    private var labeler: PayloadLabeler
    private var buffer: [UInt8] = []
    // What repeats between datagrams, kept for the next line.
    private var labelKey: (group: MulticastGroup, port: UInt16, interface: String)?
    private var label: [UInt8] = []
    private var lastSource: SocketAddress?
    private var sourceText: [UInt8] = []
    private var secondPrefix: (second: Int64, text: [UInt8])?
    /// The stream list's names (`--streams`); nil when there is no list.
    private let names: StreamNameIndex?
    /// The stream list's streams, shown with no data until something arrives for them.
    private let listed: [StreamDefinition]
    /// Resolves list entries naming an interface by index or address, for the stand-ins' rows.
    private let interfaces: InterfaceTable?
    /// The last datagram's stream-list entry, kept while datagrams come from the same stream and sender.
    /// The last stream-list name printed and its sanitised `[name]  ` label.
    private var nameLabel: (name: String, text: [UInt8])?
    private var lookup: (group: MulticastGroup, port: UInt16, interfaceIndex: UInt32, source: SocketAddress, stream: StreamDefinition?)?

    init(format: ListenFormat, payload: PayloadChoice = .auto, names: StreamNameIndex? = nil, listed: [StreamDefinition] = [],
         interfaces: InterfaceTable? = nil) {
        self.format = format
        labeler = PayloadLabeler(choice: payload)
        self.names = names
        self.listed = listed
        self.interfaces = interfaces
        buffer.reserveCapacity(1 << 16)
    }

    /// The stream-list entry a datagram belongs to, if any.
    private func listed(_ d: DatagramView) -> StreamDefinition? {
        guard let names else { return nil }
        if let lookup, lookup.group == d.group, lookup.port == d.port, lookup.interfaceIndex == d.interfaceIndex, lookup.source == d.source {
            return lookup.stream
        }
        let stream = names.stream(group: d.group, port: d.port, interfaceIndex: d.interfaceIndex, interfaceName: d.interfaceName, source: d.source.address)
        lookup = (d.group, d.port, d.interfaceIndex, d.source, stream)
        return stream
    }

    /// The kind a datagram counts as: its stream-list entry's payload choice, else `--payload`'s.
    private func kind(of d: DatagramView, _ stream: StreamDefinition?) -> PayloadKind? {
        labeler.kind(of: d, choice: stream?.payload.choice ?? labeler.choice)
    }

    /// Prints one datagram seen in place (``Monitor/poll(timeout:visit:)``): the text line is
    /// written straight into the output buffer, with what repeats from datagram to datagram (the
    /// stream's label, the source, the time down to the second) worked out once and kept.
    func print(_ d: DatagramView) {
        let stream = listed(d)
        switch format {
        case .text:
            appendTextLine(d, kind: kind(of: d, stream), name: stream?.name)
        case .json:
            write(jsonLine(d.datagram, kind: kind(of: d, stream), name: stream?.name))
        case .hex:
            appendTextLine(d, kind: kind(of: d, stream), name: stream?.name)
            for line in Hexdump.lines([UInt8](d.payload)) { write("  " + line) }
        case .stats:
            break
        }
        if buffer.count > 60_000 { flush() }
    }

    /// `2026-11-25T07:58:01.123456Z  239.1.2.3:5000  eth0  198.18.0.1:41234  64 bytes  probe #12 from sender ...`
    private func appendTextLine(_ d: DatagramView, kind: PayloadKind?, name: String? = nil) {
        appendTime(d.receivedAt)
        if labelKey?.group != d.group || labelKey?.port != d.port || labelKey?.interface != d.interfaceName {
            labelKey = (d.group, d.port, d.interfaceName)
            label = Array(("  " + GroupSpec.text(d.group, port: d.port) + "  " + TerminalText.sanitize(d.interfaceName) + "  ").utf8)
        }
        buffer.append(contentsOf: label)
        if let name {
            // From a file: sanitised like everything else from outside, once per name, not per datagram.
            if nameLabel?.name != name { nameLabel = (name, Array(("[" + TerminalText.sanitize(name) + "]  ").utf8)) }
            buffer.append(contentsOf: nameLabel?.text ?? [])
        }
        if d.source != lastSource {
            lastSource = d.source
            sourceText = Array(d.source.description.utf8)
        }
        buffer.append(contentsOf: sourceText)
        buffer.append(contentsOf: "  ".utf8)
        appendDecimal(UInt64(d.payload.count))
        buffer.append(contentsOf: " bytes  ".utf8)
        if kind != .raw, let probe = ProbeHeader(decoding: d.payload) {
            buffer.append(contentsOf: "probe #".utf8)
            appendDecimal(probe.sequence)
            buffer.append(contentsOf: " from sender ".utf8)
            appendHex(probe.senderID)
        } else if kind == .rtp || kind == .rtpTS, let rtp = RTPHeader(decoding: d.payload) {
            buffer.append(contentsOf: "rtp #".utf8)
            appendDecimal(UInt64(rtp.sequence))
            buffer.append(contentsOf: " ts ".utf8)
            appendDecimal(UInt64(rtp.timestamp))
            buffer.append(contentsOf: " pt ".utf8)
            appendDecimal(UInt64(rtp.payloadType))
            buffer.append(contentsOf: " ssrc ".utf8)
            buffer.append(contentsOf: StreamHealth.hex32(rtp.ssrc).utf8)
            if rtp.marker { buffer.append(contentsOf: " M".utf8) }
            if kind == .rtpTS { appendTransportPackets(rtp.payloadLength) }
        } else if kind == .ts {
            appendTransportPackets(d.payload.count)
        } else if kind == .iperf, let iperf = IperfHeader(decoding: d.payload) {
            buffer.append(contentsOf: (iperf.isFinal ? "iperf end of test" : "iperf #").utf8)
            if !iperf.isFinal { appendDecimal(iperf.sequence) }
        } else {
            // Printable ASCII as it is, every other byte as `.`: nothing from the network reaches the terminal raw.
            buffer.append(UInt8(ascii: "\""))
            for byte in d.payload.prefix(48) { buffer.append((0x20...0x7e).contains(byte) ? byte : UInt8(ascii: ".")) }
            buffer.append(contentsOf: (d.payload.count > 48 ? "\"…" : "\"").utf8)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `  mpeg-ts 7x188`: how many TS packets a payload of `length` bytes holds.
    private func appendTransportPackets(_ length: Int) {
        buffer.append(contentsOf: "  mpeg-ts ".utf8)
        appendDecimal(UInt64(max(0, length) / TSPacketHeader.packetLength))
        buffer.append(contentsOf: "x188".utf8)
        if length % TSPacketHeader.packetLength != 0 { buffer.append(contentsOf: " + ".utf8); appendDecimal(UInt64(max(0, length) % TSPacketHeader.packetLength)) }
    }

    /// The time as RFC 3339 with microseconds; the part down to the second is kept while it lasts.
    private func appendTime(_ time: Timestamp) {
        let nanoseconds = time.nanosecondsSinceEpoch
        let (second, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        guard remainder >= 0, let cached = secondPrefix, cached.second == second else {
            let text = TimeFormat.iso8601(time)  // `...:SS.uuuuuuZ`
            buffer.append(contentsOf: text.utf8)
            if remainder >= 0 { secondPrefix = (second, Array(text.utf8.dropLast(7))) }  // keeps the point
            return
        }
        buffer.append(contentsOf: cached.text)
        let micros = remainder / 1000
        var divisor: Int64 = 100_000
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8((micros / divisor) % 10))
            divisor /= 10
        }
        buffer.append(UInt8(ascii: "Z"))
    }

    private func appendDecimal(_ value: UInt64) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            for i in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[i]) }
        }
    }

    private func appendHex(_ value: UInt64) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { table in
            for shift in stride(from: 60, through: 0, by: -4) { buffer.append(table[Int((value >> UInt64(shift)) & 0xf)]) }
        }
    }

    /// One JSON object: group, port, interface, source, source_port, length, payload_hex, time
    /// (+ probe_sequence and probe_sender for probes).
    func jsonLine(_ d: Datagram, kind: PayloadKind? = nil, name: String? = nil) -> String { JSONOutput.encode(DatagramRow(d, kind: kind, name: name)) }

    /// The stream-list name of a stream the monitor reports, or nil.
    private func name(of stream: StreamStatistics) -> String? { names?.name(for: stream) }

    /// The snapshot's streams and, for each listed stream nothing has arrived for, a row with
    /// no data, in the snapshot's order (group, port, interface).
    private func rows(_ snapshot: MonitorSnapshot) -> [StreamStatistics] {
        guard let names else { return snapshot.streams }
        return SilentStreams.merged(snapshot.streams, listed: listed, names: names, interfaces: interfaces)
    }

    /// The HEALTH of a row: "no data" for a listed stream nothing has arrived for.
    private func health(_ stream: StreamStatistics) -> String {
        SilentStreams.isSilent(stream) ? SilentStreams.health : StreamHealth.brief(stream)
    }

    func printTable(_ snapshot: MonitorSnapshot) {
        let nameColumn = names != nil
        write((nameColumn ? column("NAME", 20) : "") + column("STREAM", 26) + column("IFACE", 10) + column("KIND", 7) + column("SRCS", 5) + column("PACKETS", 10) + column("PPS", 9)
              + column("KBIT/S", 10) + column("LOSS%", 7) + column("JITTER", 11) + column("DROPS", 6) + "HEALTH")
        for stream in rows(snapshot) {
            write((nameColumn ? column(truncatedName(name(of: stream) ?? "-", 19), 20) : "") + column(GroupSpec.text(stream.key.group, port: stream.key.port), 26) + column(stream.key.interfaceName, 10)
                  + column(stream.kind?.name ?? "?", 7)
                  + column(String(stream.sources.count), 5) + column(String(stream.packets), 10)
                  + column(fixed(stream.rate.packetsPerSecond, 0), 9) + column(fixed(stream.rate.bitsPerSecond / 1000, 1), 10)
                  + column(stream.lossPercent.map { fixed($0, 2) } ?? "-", 7)
                  + column(stream.jitterNanoseconds.map(milliseconds) ?? "-", 11) + column(String(stream.kernelDrops), 6)
                  + health(stream))
        }
        write("")
        flush()
    }

    /// The closing summary; on stderr for JSON so stdout stays pure JSON lines.
    func printSummary(_ snapshot: MonitorSnapshot, received: Int, receiveBuffer: ReceiveBufferReport? = nil) {
        flush()
        let rows = rows(snapshot)
        let silent = rows.count - snapshot.streams.count
        var lines = ["summary: \(received) datagram\(received == 1 ? "" : "s") in \(snapshot.streams.count) stream\(snapshot.streams.count == 1 ? "" : "s")"
                     + (silent > 0 ? "; \(silent) listed stream\(silent == 1 ? "" : "s") with no data" : "")]
        for stream in rows {
            var line = "  " + (name(of: stream).map { "\($0): " } ?? "") + "\(GroupSpec.text(stream.key.group, port: stream.key.port)) on \(stream.key.interfaceName): \(stream.packets) packet\(stream.packets == 1 ? "" : "s"), \(stream.bytes) byte\(stream.bytes == 1 ? "" : "s"), \(stream.sources.count) source\(stream.sources.count == 1 ? "" : "s")"
            if SilentStreams.isSilent(stream) {
                lines.append(line + ", \(SilentStreams.health): nothing arrived since the join")
                continue
            }
            guard let kind = stream.kind else {
                let looks = stream.sources.values.max { $0.packets < $1.packets }?.payload.detector.candidate
                let hint = looks.map { "looks like \($0.name), but \(stream.packets) datagram\(stream.packets == 1 ? " is" : "s are") too few to be sure" }
                    ?? "too few datagrams to tell"
                lines.append(line + ", kind not yet known (\(hint)), kernel drops \(stream.kernelDrops)")
                continue
            }
            line += ", kind \(kind.name)"
            if stream.expected > 0 {
                line += ", lost \(stream.lost) of \(stream.expected) (\(fixed(stream.lossPercent ?? 0, 2))%), reordered \(stream.reordered), duplicates \(stream.duplicates)"
                if let jitter = stream.jitterNanoseconds { line += ", jitter \(milliseconds(jitter))" }
                if stream.outOfRange > 0 { line += ", \(stream.outOfRange) probe\(stream.outOfRange == 1 ? "" : "s") with an implausible sequence number ignored" }
            } else if stream.payloadOptions.choice == .forced(.raw) {
                line += ", loss n/a (--payload raw: not decoded)"
            } else if kind == .raw {
                line += ", loss n/a (no sequence numbers: not probes, RTP or iperf2)"
            }
            let health = StreamHealth.brief(stream)
            if !health.isEmpty { line += ", " + health }
            line += ", kernel drops \(stream.kernelDrops)"
            lines.append(line)
        }
        if let error = snapshot.lastError { lines.append("  last receive error: \(error)") }
        if let note = receiveBuffer?.line { lines.append("  " + note) }
        if received == 0 { lines.append("  nothing arrived: check the sender's interface, TTL and port, reverse-path filtering (rp_filter) and the firewall") }
        for line in lines {
            if format == .json { printToStderr(line) } else { write(line) }
        }
        if format == .json { write(JSONOutput.encode(ListenSummaryReport(rows, received: received, names: names))) }
        flush()
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        writeAll(1, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Queues one line; interface names and anything else from outside in it are sanitised here.
    private func write(_ line: String) {
        buffer.append(contentsOf: TerminalText.sanitize(line).utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

}

/// The JSON shape of one datagram in `listen --format json`.
private struct DatagramRow: Encodable {
    /// The stream's name in the stream list (`--streams`); absent without one.
    var name: String?
    var group: String
    var port: UInt16
    var interface: String
    var source: String
    var sourcePort: UInt16
    var length: Int
    var payloadHex: String
    var time: String
    var probeSequence: UInt64?
    var probeSender: String?
    /// What the datagram counts as (its sender's detected or forced kind); absent while detecting.
    var kind: String?
    var rtpSequence: UInt16?
    var rtpTimestamp: UInt32?
    var rtpSSRC: String?
    var rtpPayloadType: UInt8?
    var rtpMarker: Bool?
    var tsPackets: Int?
    var iperfSequence: UInt64?
    var iperfFinal: Bool?

    init(_ d: Datagram, kind: PayloadKind?, name: String? = nil) {
        self.name = name
        self.kind = kind?.name
        group = "\(d.group)"
        port = d.port
        interface = d.interfaceName
        source = "\(d.source.address)"
        sourcePort = d.source.port
        length = d.payload.count
        payloadHex = Hexdump.compactHex(d.payload)
        time = TimeFormat.iso8601(d.receivedAt)
        if kind != .raw, let probe = ProbeHeader(decoding: d.payload) {
            probeSequence = probe.sequence
            probeSender = Hexdump.compactHex(probe.senderID.bigEndianBytes)
        }
        if kind == .rtp || kind == .rtpTS, let rtp = RTPHeader(decoding: d.payload) {
            rtpSequence = rtp.sequence
            rtpTimestamp = rtp.timestamp
            rtpSSRC = StreamHealth.hex32(rtp.ssrc)
            rtpPayloadType = rtp.payloadType
            rtpMarker = rtp.marker
            if kind == .rtpTS { tsPackets = rtp.payloadLength / TSPacketHeader.packetLength }
        }
        if kind == .ts { tsPackets = d.payload.count / TSPacketHeader.packetLength }
        if kind == .iperf, let iperf = IperfHeader(decoding: d.payload) {
            iperfSequence = iperf.isFinal ? nil : iperf.sequence
            iperfFinal = iperf.isFinal
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, group, port, interface, source, length, time, kind
        case sourcePort = "source_port", payloadHex = "payload_hex", probeSequence = "probe_sequence", probeSender = "probe_sender"
        case rtpSequence = "rtp_sequence", rtpTimestamp = "rtp_timestamp", rtpSSRC = "rtp_ssrc", rtpPayloadType = "rtp_payload_type"
        case rtpMarker = "rtp_marker", tsPackets = "ts_packets", iperfSequence = "iperf_sequence", iperfFinal = "iperf_final"
    }
}

extension UInt64 {
    /// The eight bytes, most significant first.
    var bigEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> UInt64(56 - 8 * $0)) } }
}

/// What the kernel made of the receive buffer `listen` asked for, said once in the summary, with
/// the way to get more when it fell short.
struct ReceiveBufferReport {
    var grant: ReceiveBufferGrant?
    /// net.core.rmem_max, the cap without CAP_NET_ADMIN.
    var systemMaximum: Int? = ProcFiles.read("/proc/sys/net/core/rmem_max").flatMap { Int($0.filter(\.isNumber)) }

    var line: String? {
        guard let grant else { return nil }
        var text = "receive buffer: \(NumberFormat.byteSize(grant.usable)) per socket"
        if grant.isShort {
            text += ", less than the \(NumberFormat.byteSize(grant.requested)) asked for"
            if let systemMaximum { text += " (net.core.rmem_max is \(NumberFormat.byteSize(systemMaximum)))" }
            text += "; for more, run with CAP_NET_ADMIN (as root) or: sysctl -w net.core.rmem_max=\(grant.requested)"
        }
        return text
    }
}
