import ArgumentParser
import MulticastExpert
import MulticastMonitor
import MulticastText

/// A group argument of the command line (`239.1.2.3`, `239.1.2.3:5000`, `[ff15::1]:5000`),
/// checked by the parser itself (its ``parse(_:)`` is the options' transform) so every command
/// rejects a bad one the same way. Parsing is
/// shared with the TUI (``GroupSpec``).
struct GroupArgument: Hashable {
    var group: MulticastGroup
    /// The port written with the group, if any.
    var port: UInt16?
    /// What was typed, for messages.
    var text: String

    init(parsing text: String) throws(CLIError) {
        do {
            let spec = try GroupSpec(parsing: text)
            group = spec.group
            port = spec.port
            self.text = text
        } catch {
            throw CLIError(error.description)
        }
    }

    /// The parser's transform: the group, or a one-line error that names what is wrong.
    static func parse(_ text: String) throws -> GroupArgument {
        do {
            return try GroupArgument(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The group's own port, else `fallback` (`--port`); an error when there is neither.
    func port(orElse fallback: UInt16?) throws(CLIError) -> UInt16 {
        guard let port = port ?? fallback else {
            throw CLIError("no port for \(text); add --port P or write it as \(GroupSpec.text(group, port: 5000))")
        }
        return port
    }
}

/// UDP ports on the command line (`--port`, `--source-port`): 1-65535, checked by the parser.
enum PortArgument {
    /// The parser's transform for a port option.
    static func parse(_ text: String) throws -> UInt16 {
        guard let value = Int(text.trimmingPrefix("+")) else {
            throw ValidationError("port \"\(TerminalText.sanitize(text, limit: 40))\" is not a number; valid ports are 1-65535")
        }
        guard (1...65_535).contains(value) else { throw ValidationError("port \(value) is out of range; valid ports are 1-65535") }
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
