import MulticastExpert
import MulticastMonitor

/// Every interface with its state, addresses, the default-gateway mark, live rate, doctor badge
/// and the IGMP/MLD querier the listener hears on it.
enum InterfacesView {
    /// The NAME column's width: the longest name (up to the kernel's 15 characters) and a gap.
    static func nameWidth(_ interfaces: [NetworkInterface]) -> Int {
        min(max((interfaces.map(\.name.count).max() ?? 0) + 1, 6), 16)
    }

    /// The addresses keep at least this many cells beside the QUERIER column.
    static let minimumAddressesWidth = 16

    /// The QUERIER column's width on a body `width` wide, its gap included: its longest text,
    /// within what leaves the addresses ``minimumAddressesWidth``.
    static func querierWidth(_ texts: [String], from x: Int, width: Int) -> Int {
        min(max((texts.map(\.count).max() ?? 0) + 2, 9), max(width - x - minimumAddressesWidth, 9))
    }

    static func draw(_ canvas: inout Canvas, _ state: AppState, _ area: BodyArea) {
        let interfaces = state.interfaceTable.interfaces
        let name = nameWidth(interfaces)
        let queriers = interfaces.map { state.igmp.querierText($0, privileged: state.privileged) }
        let querier = querierWidth(queriers, from: 33 + name, width: area.width)
        // Columns: index, name, state, multicast flag, rate, doctor badge, querier, then the addresses.
        let xs = (index: 0, name: 4, state: 4 + name, mc: 15 + name, rate: 19 + name, badge: 27 + name, querier: 33 + name, addresses: 33 + name + querier)
        canvas.fillRow(area.top, .header)
        for (x, title) in [(xs.index, "IDX"), (xs.name, "NAME"), (xs.state, "STATE"), (xs.mc, "MC"), (xs.rate, "PKT/S"), (xs.badge, "DOC"), (xs.querier, "QUERIER"),
                           (xs.addresses, "ADDRESSES")] {
            canvas.put(x, area.top, title, .header)
        }
        var rates: [UInt32: Double] = [:]
        for stream in state.snapshot?.streams ?? [] { rates[stream.key.interfaceIndex, default: 0] += stream.rate.packetsPerSecond }
        let badges = state.doctorBadges
        let visible = area.height - 1
        let offset = scrollOffset(selection: state.interfaces.cursor.index, count: interfaces.count, visible: visible)
        for (i, interface) in interfaces.enumerated().dropFirst(offset).prefix(visible) {
            let y = area.top + 1 + i - offset
            let selected = i == state.interfaces.cursor.index
            let style: Style = selected ? .selected : interface.isUp ? .normal : .dim
            if selected { canvas.fillRow(y, .selected) }
            let stateText = !interface.isUp ? "DOWN" : interface.flags.contains(.lowerUp) || interface.isLoopback ? "UP" : "NO-CARRIER"
            var addresses = (interface.ipv4Addresses + interface.ipv6Addresses).map(\.description).joined(separator: " ")
            if state.interfaces.defaultGateways.contains(interface.index) { addresses = "[default] " + addresses }
            canvas.put(xs.index, y, String(interface.index), style, maxWidth: 3)
            canvas.put(xs.name, y, interface.name, style, maxWidth: name - 1)
            canvas.put(xs.state, y, stateText, style, maxWidth: 10)
            canvas.put(xs.mc, y, interface.isMulticastCapable ? "yes" : "no", style)
            canvas.put(xs.rate, y, Format.compact(rates[interface.index] ?? 0), style, maxWidth: 7)
            let badge = badges[interface.name]
            canvas.put(xs.badge, y, badge.map { $0.description.uppercased() } ?? "-", selected ? .selected : badge.map(severityStyle) ?? style)
            let heard = !["-", "none heard", "not listening"].contains(queriers[i]) && !queriers[i].hasSuffix("stopped")
            canvas.put(xs.querier, y, queriers[i], selected ? .selected : heard ? style : .dim, maxWidth: querier - 1)
            canvas.put(xs.addresses, y, addresses, style)
        }
        if interfaces.isEmpty { canvas.put(1, area.top + 2, "reading interfaces...", .dim) }
    }
}
