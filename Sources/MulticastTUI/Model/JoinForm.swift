import MulticastExpert
import MulticastMonitor

/// The join form: group (with :port), interfaces, optional sources — validated as you type,
/// with the same messages as the command line.
public struct JoinForm: Sendable, Hashable {
    public var fields = [
        TextField(label: "Group:port", placeholder: "239.1.2.3:5000 or [ff15::1]:5000"),
        TextField(label: "Interfaces", placeholder: "all, or e.g. eth0,eth1"),
        TextField(label: "Sources", placeholder: "optional, for source-specific joins"),
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
        return .success(Subscription(groups: [spec.group], port: port, interfaces: interfaces, sources: sources))
    }
}

/// The send form: where and how fast to send a probe stream.
public struct SendForm: Sendable, Hashable {
    public var fields = [
        TextField(label: "Group:port", placeholder: "239.1.2.3:5000"),
        TextField(label: "Interface", placeholder: "e.g. eth0 (required)"),
        TextField(label: "Rate (pkt/s)", text: "10"),
    ]
    public var focus = 0

    public init() {}

    /// The stream the form describes, or the first problem with it.
    public func validated(against table: InterfaceTable) -> Result<SendRequest, InputError> {
        let spec: GroupSpec
        do { spec = try GroupSpec(parsing: fields[0].text.trimmed) } catch { return .failure(error) }
        guard let port = spec.port else { return .failure(InputError("add the port: \(GroupSpec.text(spec.group, port: 5000))")) }
        let name = fields[1].text.trimmed
        guard !name.isEmpty else { return .failure(InputError("name the interface to send on")) }
        do {
            let interface = try table.interface(matching: InterfaceSpecifier(name))
            guard !interface.addresses(spec.group.family).isEmpty else {
                return .failure(InputError(MulticastError.noAddress(interface: interface.name, family: spec.group.family).description))
            }
        } catch {
            return .failure(InputError(error.description))
        }
        guard let rate = Double(fields[2].text.trimmed), rate >= 0.001, rate <= 1_000_000 else {
            return .failure(InputError("rate \"\(fields[2].text)\" must be a number of packets per second from 0.001 to 1000000"))
        }
        return .success(SendRequest(group: spec.group, port: port, interface: InterfaceSpecifier(name), rate: rate))
    }
}

/// A probe stream the TUI should send.
public struct SendRequest: Sendable, Hashable {
    public var group: MulticastGroup
    public var port: UInt16
    public var interface: InterfaceSpecifier
    public var rate: Double
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
