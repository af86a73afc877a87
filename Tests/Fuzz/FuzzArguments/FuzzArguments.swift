import FuzzSupport
import MulticastExpert
import MulticastMonitor
import MulticastTUI
import MulticastText

// What a person types: groups with and without ports, ports, sources, interface specifiers
// (resolved against this host's interfaces), addresses, and the TUI's join and send forms.
//
// Input layout: byte 0 picks what is parsed; the rest is the text (invalid UTF-8 becomes
// U+FFFD, as it does for arguments). For the forms, the text holds the fields separated by
// newlines. Everything that parses must print back to text that parses to the same value.

private let table = (try? InterfaceTable.current()) ?? InterfaceTable(interfaces: [])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte() % 7
    let text = String(decoding: input.rest(), as: UTF8.self)
    switch selector {
    case 0: groupSpec(text)
    case 1: port(text)
    case 2: sources(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    case 3: interface(text)
    case 4: address(text)
    case 5: joinForm(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    default: sendForm(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }
    return 0
}

private func groupSpec(_ text: String) {
    let spec: GroupSpec
    do {
        spec = try GroupSpec(parsing: text)
    } catch {
        consume(TerminalText.sanitize(error.description))
        return
    }
    precondition(spec.group.address.isMulticast, "a group is multicast")
    if let port = spec.port {
        precondition(port >= 1, "ports are 1-65535")
        let printed = GroupSpec.text(spec.group, port: port)
        precondition((try? GroupSpec(parsing: printed)) == spec, "\(printed) parses back to what it was printed from")
    } else {
        precondition((try? GroupSpec(parsing: spec.group.description)) == spec, "\(spec.group) parses back")
        let printed = GroupSpec.text(spec.group, port: 5000)
        let reparsed = try? GroupSpec(parsing: printed)
        precondition(reparsed?.group == spec.group && reparsed?.port == 5000, "\(printed) parses back")
    }
    consume((spec.group.scope.description, spec.group.isSourceSpecificRange, spec.group.needsScopeID))
}

private func port(_ text: String) {
    do {
        let port = try GroupSpec.port(text, in: text)
        precondition((1...65_535).contains(port), "ports are 1-65535")
        precondition((try? GroupSpec.port(String(port))) == port, "a port prints and parses back")
    } catch {
        consume(TerminalText.sanitize(error.description))
    }
}

private func sources(_ texts: [String]) {
    do {
        let addresses = try GroupSpec.sources(texts)
        precondition(addresses.count == texts.count, "one address per text")
        for address in addresses {
            precondition(!address.isMulticast, "sources are unicast")
            precondition(IPAddress(address.description) == address, "\(address) parses back")
        }
    } catch {
        consume(TerminalText.sanitize(error.description))
    }
}

private func interface(_ text: String) {
    let specifier = InterfaceSpecifier(text)
    if case .name(let name) = specifier { precondition(name == text, "a name is kept as typed") }
    if case .address(let address) = specifier { precondition(IPAddress(address.description) == address, "\(address) parses back") }
    if case .index(let index) = specifier { precondition(InterfaceSpecifier(specifier.description) == .index(index), "an index parses back") }
    do {
        let found = try table.interface(matching: specifier)
        consume((found.name, found.index))
    } catch {
        consume(TerminalText.sanitize(error.description))
    }
}

private func address(_ text: String) {
    if let address = IPAddress(text) {
        precondition(IPAddress(address.description) == address, "\(address) parses back")
        precondition((try? IPAddress.parse(text)) == address, "both parsers agree")
        consume((address.family, address.isMulticast, address.isLoopback))
    } else {
        precondition((try? IPAddress.parse(text)) == nil, "both parsers agree")
    }
    for family in [nil, AddressFamily.ipv4, .ipv6] {
        do {
            let group = try MulticastGroup(parsing: text, family: family)
            precondition(group.address.isMulticast, "a group is multicast")
            if let family { precondition(group.family == family, "the family asked for") }
            precondition(MulticastGroup(group.description) == group, "\(group) parses back")
            consume((group.scope.description, group.isSourceSpecificRange, group.needsScopeID))
        } catch {
            consume(TerminalText.sanitize(error.description))
        }
    }
}

private func joinForm(_ fields: [String]) {
    var form = JoinForm()
    for (i, text) in fields.prefix(form.fields.count).enumerated() { form.fields[i].text = text }
    switch form.validated(against: table) {
    case .success(let subscription): consume(String(describing: subscription))
    case .failure(let error): consume(TerminalText.sanitize(error.description))
    }
}

private func sendForm(_ fields: [String]) {
    var form = SendForm()
    for (i, text) in fields.prefix(form.fields.count).enumerated() { form.fields[i].text = text }
    switch form.validated(against: table) {
    case .success(let request):
        precondition(request.rate > 0 && request.rate <= 1_000_000, "the rate is bounded")
        consume(String(describing: request))
    case .failure(let error):
        consume(TerminalText.sanitize(error.description))
    }
}

@inline(never)
private func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
