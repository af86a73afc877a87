import MulticastExpert
import MulticastMonitor
import MulticastText

/// The selected stream's last datagrams as a hexdump, one at a time, with probe headers decoded.
enum InspectorView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        guard let key = state.inspector.stream else {
            canvas.put(1, area.top + 1, "Select a stream on the Groups screen (2) and press x to inspect its packets.", .dim)
            return
        }
        let packets = state.inspectedPackets
        let title = "\(GroupSpec.text(key.group, port: key.port)) on \(key.interfaceName)" + (state.inspector.frozenPackets != nil ? "  [FROZEN]" : "")
        canvas.put(0, area.top, title, .title)
        guard !packets.isEmpty else {
            canvas.put(1, area.top + 2, "no packets captured yet", .dim)
            return
        }
        let index = min(state.inspector.index ?? packets.count - 1, packets.count - 1)
        let packet = packets[index]
        canvas.put(0, area.top + 1, "packet \(index + 1)/\(packets.count)  from \(packet.source)  \(packet.length) bytes  at \(TimeFormat.iso8601(packet.receivedAt))", .header)
        var y = area.top + 2
        if let probe = ProbeHeader(decoding: packet.payloadPrefix) {
            let latency = probe.latencyNanoseconds(receivedAt: packet.receivedAt)
                .flatMap { (-1_000_000...3_600_000_000_000).contains($0) ? $0 : nil }
                .map { Format.fixed(Double($0) / 1e6, 3) + " ms" } ?? "n/a (sender clock differs)"
            canvas.put(0, y, "probe: sender \(Hexdump.compactHex(bigEndian(probe.senderID)))  seq \(probe.sequence)  sent \(TimeFormat.iso8601(Timestamp(nanosecondsSinceEpoch: probe.sendTimeNanoseconds)))  latency \(latency)", .ok)
            y += 1
        }
        let lines = Hexdump.lines(packet.payloadPrefix)
        for line in lines.prefix(area.top + area.height - y) {
            canvas.put(0, y, line)
            y += 1
        }
        if packet.length > packet.payloadPrefix.count, y < area.top + area.height {
            canvas.put(0, y, "... \(packet.length - packet.payloadPrefix.count) more bytes not captured", .dim)
        }
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * $0)) } }
}
