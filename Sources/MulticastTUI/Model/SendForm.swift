import MulticastExpert
import MulticastMonitor
import MulticastText

/// The send form: where and how fast to send a probe stream.
public struct SendForm: Sendable, Hashable, FormFields {
    public var fields = [
        TextField(label: "Group:port", placeholder: "239.1.2.3:5000"),
        TextField(label: "Interface", placeholder: "e.g. eth0 (required)"),
        TextField(label: "Rate (pkt/s)", text: "10"),
    ]
    public var focus = 0

    public init() {}

    /// A form filled in with a request (the demo's sender shows what it sends).
    init(_ request: SendRequest) {
        fields[0].text = GroupSpec.text(request.group, port: request.port)
        fields[1].text = request.interface.description
        fields[2].text = NumberFormat.fixed(request.rate, request.rate == request.rate.rounded() ? 0 : 3)
    }

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
