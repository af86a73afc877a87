import MulticastExpert

/// A group as a person types it: `239.1.2.3`, `ff15::1`, `239.1.2.3:5000` or `[ff15::1]:5000`.
/// The CLI and the TUI's join form share it, so both reject bad input with the same words.
public struct GroupSpec: Sendable, Hashable {
    public var group: MulticastGroup
    public var port: UInt16?

    /// Parses one group, with or without a port.
    /// - Throws: ``InputError`` naming the text and the accepted forms.
    public init(parsing text: String) throws(InputError) {
        var addressText = text
        var portText: String?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw InputError("\"\(text)\" is missing the closing ']'; write IPv6 groups with a port as [ff15::1]:5000") }
            addressText = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw InputError("unexpected \"\(rest)\" after \"\(text[...close])\"; write [ff15::1]:5000") }
                portText = String(rest.dropFirst())
            }
        } else if IPAddress(text) == nil, text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            addressText = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        do {
            group = try MulticastGroup(parsing: addressText)
        } catch {
            throw InputError(error.description)
        }
        if let portText { port = try Self.port(portText, in: text) }
    }

    /// Parses a port number 1...65535.
    public static func port(_ text: String, in context: String? = nil) throws(InputError) -> UInt16 {
        guard let value = Int(text), (1...65_535).contains(value) else {
            let place = context.map { " in \"\($0)\"" } ?? ""
            throw InputError("port \"\(text)\"\(place) is out of range; valid ports are 1-65535")
        }
        return UInt16(value)
    }

    /// Parses `--source` style values: unicast addresses.
    public static func sources(_ texts: [String]) throws(InputError) -> [IPAddress] {
        var result: [IPAddress] = []
        for text in texts {
            guard let address = IPAddress(text) else { throw InputError("source \"\(text)\" is not an IP address; give the unicast address of a sender, e.g. 198.18.0.1") }
            guard !address.isMulticast else { throw InputError("source \(text) is a multicast address; a source is the unicast address of a sender") }
            result.append(address)
        }
        return result
    }

    /// `239.1.2.3:5000` or `[ff15::1]:5000`.
    public static func text(_ group: MulticastGroup, port: UInt16) -> String {
        group.family == .ipv4 ? "\(group):\(port)" : "[\(group)]:\(port)"
    }
}

/// Bad input from a person, with the message to show them.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
