import MulticastExpert
import MulticastMonitor

/// The join form: group (with :port), interfaces, optional sources and the payload kind (detected
/// unless named) — validated as you type, with the same messages as the command line. Shown over
/// any screen while it is open.
public struct JoinForm: Sendable, Hashable, FormFields {
    public var fields = [
        TextField(label: "Group:port", placeholder: "239.1.2.3:5000 or [ff15::1]:5000"),
        TextField(label: "Interfaces", placeholder: "all, or e.g. eth0,eth1"),
        TextField(label: "Sources", placeholder: "optional, for source-specific joins"),
        TextField(label: "Payload", placeholder: "auto, or " + PayloadChoice.names.dropFirst().joined(separator: ", ")),
    ]
    public var focus = 0

    public init() {}

    /// The subscription the form describes, or the first problem with it.
    public func validated(against table: InterfaceTable) -> Result<Subscription, InputError> {
        let groupText = fields[0].text.trimmed
        guard !groupText.isEmpty else { return .failure(InputError("type a group with its port, e.g. 239.1.2.3:5000")) }
        let spec: GroupSpec
        do { spec = try GroupSpec(parsing: groupText) } catch { return .failure(error) }
        guard let port = spec.port else {
            return .failure(InputError("add the port: \(GroupSpec.text(spec.group, port: 5000))"))
        }
        var interfaces: [InterfaceSpecifier] = []
        let names = fields[1].items
        if !(names.isEmpty || names == ["all"]) {
            for name in names {
                let specifier = InterfaceSpecifier(name)
                do {
                    let interface = try table.interface(matching: specifier)
                    guard !interface.addresses(spec.group.family).isEmpty else {
                        return .failure(InputError(MulticastError.noAddress(interface: interface.name, family: spec.group.family).description))
                    }
                } catch {
                    return .failure(InputError(error.description))
                }
                interfaces.append(specifier)
            }
        } else if table.listenable(for: spec.group.family).isEmpty {
            return .failure(InputError(MulticastError.noListenableInterfaces(spec.group.family, available: table.interfaces.map(\.name)).description))
        }
        let sources: [IPAddress]
        do { sources = try GroupSpec.sources(fields[2].items) } catch { return .failure(error) }
        if let wrong = sources.first(where: { $0.family != spec.group.family }) {
            return .failure(InputError("source \(wrong) is \(wrong.family) but group \(spec.group) is \(spec.group.family); sources must match the group's family"))
        }
        let payloadText = fields[3].text.trimmed
        guard let choice = payloadText.isEmpty ? .auto : PayloadChoice(name: payloadText) else {
            return .failure(InputError("payload \"\(payloadText)\" is not one of \(PayloadChoice.names.joined(separator: ", "))"))
        }
        return .success(Subscription(groups: [spec.group], port: port, interfaces: interfaces, sources: sources, payload: PayloadOptions(choice: choice)))
    }
}
