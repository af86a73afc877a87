import Foundation
import NetnsLab
import Testing

/// Runs the built binary, in this process's namespace or inside a lab namespace.
enum CLI {
    static func run(_ arguments: [String], in namespace: Namespace? = nil, input: String? = nil, timeout: Double = 30) throws -> CommandResult {
        let prefix = namespace.map { ["ip", "netns", "exec", $0.name] } ?? []
        return try Shell.capture(prefix + [MCExpertBinary.path] + arguments, input: input, timeout: timeout)
    }

    static func spawn(_ arguments: [String], in namespace: Namespace) throws -> BackgroundProcess {
        try namespace.spawn([MCExpertBinary.path] + arguments)
    }

    /// Parses JSON lines into dictionaries (records an issue for a line that is not a JSON object).
    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if object == nil { Issue.record("not a JSON object: \(line)") }
            return object
        }
    }
}

