import MulticastExpert
import MulticastMonitor

/// Every interface with its state, addresses, the default-gateway mark, live rate and doctor badge.
enum InterfacesView {
    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        canvas.put(0, area.top, "IDX " + "NAME".fitted(13) + "STATE ".fitted(7) + "MC  " + "PKT/S".fitted(8) + "DOC   " + "ADDRESSES", .header)
        var rates: [UInt32: Double] = [:]
        for stream in state.snapshot?.streams ?? [] { rates[stream.key.interfaceIndex, default: 0] += stream.rate.packetsPerSecond }
        let badges = state.doctorBadges
        let interfaces = state.interfaceTable.interfaces
        let visible = area.height - 1
        let offset = scrollOffset(selection: state.interfaces.cursor.index, count: interfaces.count, visible: visible)
        for (i, interface) in interfaces.enumerated().dropFirst(offset).prefix(visible) {
            let y = area.top + 1 + i - offset
            let stateText = !interface.isUp ? "DOWN" : interface.flags.contains(.lowerUp) || interface.isLoopback ? "UP" : "NO-CARRIER"
            var addresses = (interface.ipv4Addresses + interface.ipv6Addresses).map(\.description).joined(separator: " ")
            if state.interfaces.defaultGateways.contains(interface.index) { addresses = "[default] " + addresses }
            let badge = badges[interface.name].map { $0.description.uppercased() } ?? "-"
            let row = String(interface.index).fitted(4) + interface.name.fitted(13) + stateText.fitted(7) + (interface.isMulticastCapable ? "yes " : "no  ")
                + Format.compact(rates[interface.index] ?? 0).fitted(8) + badge.fitted(6) + addresses
            if i == state.interfaces.cursor.index {
                canvas.fillRow(y, .selected)
                canvas.put(0, y, row, .selected)
            } else {
                canvas.put(0, y, row, interface.isUp ? .normal : .dim)
                if let severity = badges[interface.name] { canvas.put(36, y, badge, severityStyle(severity)) }
            }
        }
        if interfaces.isEmpty { canvas.put(1, area.top + 2, "reading interfaces...", .dim) }
    }
}
