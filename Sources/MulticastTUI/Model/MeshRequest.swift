import MulticastExpert
import MulticastMonitor

/// A mesh the TUI should run: what the Mesh screen's start form describes, and what
/// `mcexpert mesh GROUP:PORT -i IFACE --name NAME --rate RATE` runs on the command line.
public struct MeshRequest: Sendable, Hashable {
    /// The group every participant sends to and listens on (any-source).
    public var group: MulticastGroup
    /// The UDP port, the same on every host.
    public var port: UInt16
    /// The interface to join and send on.
    public var interface: InterfaceSpecifier
    /// This host's name in every participant's matrix (at most 32 bytes of UTF-8).
    public var name: String
    /// Beacons per second.
    public var rate: Double

    /// Makes a request; ``MeshForm/validated(against:)`` makes the ones the screen starts.
    public init(group: MulticastGroup, port: UInt16, interface: InterfaceSpecifier, name: String, rate: Double) {
        self.group = group
        self.port = port
        self.interface = interface
        self.name = name
        self.rate = rate
    }

    /// The session the request opens: joined, TTL 1, as `mcexpert mesh` runs by default.
    var sessionOptions: MeshSessionOptions {
        MeshSessionOptions(group: group, port: port, interface: interface, name: name, beaconsPerSecond: rate)
    }

    /// `239.255.77.77:7777 on eth0 as host-a, 5 beacons/s`.
    var summary: String {
        "\(GroupSpec.text(group, port: port)) on \(interface) as \(name), \(Format.fixed(rate, rate == rate.rounded() ? 0 : 1)) beacons/s"
    }
}
