import MulticastExpert
import MulticastMonitor

/// A group argument of the command line; parsing is shared with the TUI (``GroupSpec``).
struct GroupArgument: Hashable {
    var group: MulticastGroup
    var port: UInt16?

    init(parsing text: String) throws(CLIError) {
        do {
            let spec = try GroupSpec(parsing: text)
            group = spec.group
            port = spec.port
        } catch {
            throw CLIError(error.description)
        }
    }

    /// The group's own port, else `fallback` (`--port`); an error when there is neither.
    func port(orElse fallback: Int?, typed text: String) throws(CLIError) -> UInt16 {
        guard let port = port ?? fallback.map(UInt16.init) else {
            throw CLIError("no port for \(text); add --port P or write it as \(GroupSpec.text(group, port: 5000))")
        }
        return port
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
