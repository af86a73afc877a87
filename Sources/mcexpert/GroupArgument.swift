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
