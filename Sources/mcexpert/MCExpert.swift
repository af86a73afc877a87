import ArgumentParser

/// The `mcexpert` command: multicast diagnostics for Linux.
struct MCExpert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcexpert",
        abstract: "Multicast Expert: list interfaces, listen, send and diagnose IP multicast on Linux.",
        discussion: """
            Examples:
              mcexpert interfaces            list interfaces and the default-gateway interface
              mcexpert interfaces --json     the same as JSON, for scripts
            """,
        subcommands: [Interfaces.self]
    )
}
