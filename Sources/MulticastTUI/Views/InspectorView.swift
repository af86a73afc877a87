import MulticastExpert
import MulticastMonitor
import MulticastText

/// The selected stream's last datagrams as a hexdump, one at a time, with their headers decoded
/// as the sending source's payload kind: beside the hexdump when the terminal is wide enough,
/// above it otherwise.
enum InspectorView {
    /// Columns a hexdump line takes (offset, 16 bytes in two groups, the ASCII column).
    static let hexdumpWidth = 78
    /// The narrowest column the decoded headers get beside the hexdump.
    static let minimumSideWidth = 44

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
        let stream = state.snapshot?.streams.first { $0.key == key }
        let kind = stream?.sources[packet.source]?.payload.kind ?? stream?.kind
        let bottom = area.top + area.height
        let header = "packet \(index + 1)/\(packets.count)  from \(packet.source)  \(packet.length) bytes  at \(TimeFormat.iso8601(packet.receivedAt))"
            + (kind.map { "  as \($0.name)" } ?? "")
        var y = area.top + 1
        y += canvas.putWrapped(0, y, header, .header, width: area.width, rows: 2)
        let decoded = DecodedHeaderLines.lines(packet, kind: kind)
        let beside = area.width >= hexdumpWidth + 2 + minimumSideWidth
        if beside {
            // Beside the hexdump: each decoded line wraps within the column.
            let sideWidth = area.width - hexdumpWidth - 2
            let lines = decoded.flatMap { line in Format.wrap(line.0, width: sideWidth).map { ($0, line.1) } }
            canvas.putLines(hexdumpWidth + 2, y, lines, width: sideWidth, rows: bottom - y)
        } else {
            // Above it: wrapped across the width, leaving the hexdump a row at least.
            let lines = decoded.flatMap { line in Format.wrap(line.0, width: area.width).map { ($0, line.1) } }
            y += canvas.putLines(0, y, lines, width: area.width, rows: max(bottom - y - 1, 0))
        }
        for line in Hexdump.lines(packet.payloadPrefix).prefix(max(bottom - y, 0)) {
            canvas.put(0, y, line, .normal, maxWidth: beside ? hexdumpWidth : nil)
            y += 1
        }
        if packet.length > packet.payloadPrefix.count, y < bottom {
            canvas.put(0, y, "... \(packet.length - packet.payloadPrefix.count) more bytes not captured", .dim)
        }
    }
}
