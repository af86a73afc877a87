import MulticastExpert

/// A group as typed on the command line: `239.1.2.3`, `ff15::1`, `239.1.2.3:5000` or `[ff15::1]:5000`.
struct GroupArgument: Hashable {
    var group: MulticastGroup
    var port: UInt16?

    /// Parses one argument; the error names the text and the accepted forms.
    init(parsing text: String) throws(CLIError) {
        var addressText = text
        var portText: String?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw CLIError("\"\(text)\" is missing the closing ']'; write IPv6 groups with a port as [ff15::1]:5000") }
            addressText = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw CLIError("unexpected \"\(rest)\" after \"\(text[...close])\"; write [ff15::1]:5000") }
                portText = String(rest.dropFirst())
            }
        } else if IPAddress(text) == nil, text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            addressText = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        do {
            group = try MulticastGroup(parsing: addressText)
        } catch {
            throw CLIError("\(error)")
        }
        if let portText {
            port = try Self.port(portText, in: text)
        }
    }

    /// Parses a port number 1...65535.
    static func port(_ text: String, in context: String? = nil) throws(CLIError) -> UInt16 {
        guard let value = Int(text), (1...65_535).contains(value) else {
            let place = context.map { " in \"\($0)\"" } ?? ""
            throw CLIError("port \"\(text)\"\(place) is out of range; valid ports are 1-65535")
        }
        return UInt16(value)
    }
}

/// An error the tool reports as one line on stderr (no usage text, no stack trace).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 2
    init(_ description: String, exitCode: Int32 = 2) {
        self.description = description
        self.exitCode = exitCode
    }
}
