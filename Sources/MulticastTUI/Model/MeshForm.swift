import MulticastExpert
import MulticastMonitor

/// The Mesh screen's start form: group with port, interface, this host's name and the beacon
/// rate, validated as you type with the words `mcexpert mesh` uses. Shown over the Mesh screen
/// while it is open; Enter starts the mesh it describes.
public struct MeshForm: Sendable, Hashable, FormFields {
    /// The group the form offers first: administratively scoped (RFC 2365), so it stays inside
    /// the site, and the same on every host that keeps the default.
    public static let defaultGroup = "239.255.77.77:7777"
    /// The beacon rate the form offers first: `mcexpert mesh`'s default.
    public static let defaultRate = "5"
    /// The range of beacons per second, as `mcexpert mesh --rate` accepts.
    static let rates = 0.1...1000.0

    /// Group:port, interface, name, rate.
    public var fields = [
        TextField(label: "Group:port", text: MeshForm.defaultGroup, placeholder: "the same on every host, e.g. 239.255.77.77:7777"),
        TextField(label: "Interface", placeholder: "e.g. eth0 (required)"),
        TextField(label: "Name", placeholder: "this host's name in everyone's matrix"),
        TextField(label: "Rate (/s)", text: MeshForm.defaultRate, placeholder: "beacons per second, 0.1-1000"),
    ]
    /// The field keys type into.
    public var focus = 0

    /// A form filled in with the last request, or else the defaults, `hostName` and
    /// `interface` (the default route's, when there is one: what `mcexpert mesh` would use).
    public init(hostName: String, interface: String = "", previous: MeshRequest? = nil) {
        if let previous {
            fields[0].text = GroupSpec.text(previous.group, port: previous.port)
            fields[1].text = previous.interface.description
            fields[2].text = previous.name
            fields[3].text = Format.fixed(previous.rate, previous.rate == previous.rate.rounded() ? 0 : 1)
        } else {
            fields[1].text = interface
            fields[2].text = String(hostName.unicodeScalars.filter { $0.isASCII && $0.value >= 0x21 && $0.value < 0x7f }.prefix(MeshBeacon.maximumNameLength).map(Character.init))
        }
    }

    /// The mesh the form describes, or the first problem with it.
    public func validated(against table: InterfaceTable) -> Result<MeshRequest, InputError> {
        let groupText = fields[0].text.trimmed
        guard !groupText.isEmpty else { return .failure(InputError("type a group with its port, e.g. \(Self.defaultGroup)")) }
        let spec: GroupSpec
        do { spec = try GroupSpec(parsing: groupText) } catch { return .failure(error) }
        guard let port = spec.port else { return .failure(InputError("add the port: \(GroupSpec.text(spec.group, port: 7777))")) }
        if spec.group.isSourceSpecificRange {
            return .failure(InputError("\(spec.group) is a source-specific (SSM) group; a mesh needs an any-source group, e.g. 239.255.77.77 or ff15::77"))
        }
        let interfaceName = fields[1].text.trimmed
        guard !interfaceName.isEmpty else { return .failure(InputError("name the interface to join and send on")) }
        do {
            let interface = try table.interface(matching: InterfaceSpecifier(interfaceName))
            guard !interface.addresses(spec.group.family).isEmpty else {
                return .failure(InputError(MulticastError.noAddress(interface: interface.name, family: spec.group.family).description))
            }
        } catch {
            return .failure(InputError(error.description))
        }
        let name = fields[2].text.trimmed
        guard !name.isEmpty else { return .failure(InputError("give this host a name for everyone's matrix")) }
        guard name.utf8.count <= MeshBeacon.maximumNameLength else {
            return .failure(InputError("the name is \(name.utf8.count) bytes; at most \(MeshBeacon.maximumNameLength)"))
        }
        guard let rate = Double(fields[3].text.trimmed), rate.isFinite, Self.rates.contains(rate) else {
            return .failure(InputError("rate \"\(fields[3].text)\" must be a number of beacons per second from 0.1 to 1000"))
        }
        return .success(MeshRequest(group: spec.group, port: port, interface: InterfaceSpecifier(interfaceName), name: name, rate: rate))
    }
}
