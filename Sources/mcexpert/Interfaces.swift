import ArgumentParser
import MulticastExpert
import MulticastMonitor
import MulticastText

/// `mcexpert interfaces`: what a multicast socket could be bound to on this host.
struct Interfaces: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List network interfaces with index, flags, addresses and the default-gateway interface.",
        discussion: """
            By default only interfaces that are up are shown; --all includes the rest. The interface marked 'default v4'/'default v6' carries the default route: it is what a sender uses when no interface is named.

            Examples:
              mcexpert interfaces
              mcexpert interfaces --all --json | jq '.[] | select(.multicast)'
            """
    )

    @Flag(help: "Include interfaces that are down.")
    var all = false

    @Flag(help: "Print a JSON array instead of a table.")
    var json = false

    func run() throws {
        let table: InterfaceTable
        do {
            table = try InterfaceTable.current()
        } catch {
            throw ValidationError(error.description)
        }
        let default4 = try? table.defaultGatewayInterface(for: .ipv4).index
        let default6 = try? table.defaultGatewayInterface(for: .ipv6).index
        let shown = table.interfaces.filter { all || $0.isUp }
        if json {
            let rows = shown.map { InterfaceRow($0, default4: default4, default6: default6) }
            writeAll(1, Array((JSONOutput.encode(rows, pretty: true) + "\n").utf8))
            return
        }
        printLine(pad("INDEX", 6) + pad("NAME", 16) + pad("FLAGS", 40) + "ADDRESSES")
        for interface in shown {
            var marks: [String] = []
            if interface.index == default4 { marks.append("default v4") }
            if interface.index == default6 { marks.append("default v6") }
            let addresses = (interface.ipv4Addresses + interface.ipv6Addresses).map(\.description)
            let first = addresses.first ?? "-"
            let suffix = marks.isEmpty ? "" : "  [\(marks.joined(separator: ", "))]"
            printLine(pad(String(interface.index), 6) + pad(TerminalText.sanitize(interface.name), 16) + pad(interface.flags.description, 40) + first + suffix)
            for more in addresses.dropFirst() {
                printLine(String(repeating: " ", count: 62) + more)
            }
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

/// The JSON shape of one interface.
private struct InterfaceRow: Encodable {
    var index: UInt32
    var name: String
    var up: Bool
    var running: Bool
    var multicast: Bool
    var loopback: Bool
    var flags: [String]
    var ipv4: [String]
    var ipv6: [String]
    var defaultGateway: [String]

    init(_ interface: NetworkInterface, default4: UInt32?, default6: UInt32?) {
        index = interface.index
        name = interface.name
        up = interface.isUp
        running = interface.flags.contains(.running)
        multicast = interface.isMulticastCapable
        loopback = interface.isLoopback
        flags = interface.flags.description.split(separator: ",").map(String.init)
        ipv4 = interface.ipv4Addresses.map(\.description)
        ipv6 = interface.ipv6Addresses.map(\.description)
        defaultGateway = (interface.index == default4 ? ["ipv4"] : []) + (interface.index == default6 ? ["ipv6"] : [])
    }

    enum CodingKeys: String, CodingKey {
        case index, name, up, running, multicast, loopback, flags, ipv4, ipv6
        case defaultGateway = "default_gateway"
    }
}
