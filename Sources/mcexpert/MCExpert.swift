import ArgumentParser

/// The `mcexpert` command: multicast diagnostics for Linux.
struct MCExpert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcexpert",
        abstract: "Multicast Expert: list interfaces, listen, send and diagnose IP multicast on Linux.",
        discussion: """
            With no subcommand, starts the terminal UI (mcexpert tui).

            Examples:
              mcexpert                     the TUI (mcexpert tui --demo: live data)
              mcexpert interfaces          interfaces and the default-gateway one
              mcexpert interfaces --json   the same as JSON, for scripts
              mcexpert listen 239.1.2.3:5000 --iface eth0
              mcexpert send 239.1.2.3:5000 --iface eth0 --rate 100
              mcexpert doctor --iface eth0 --group 239.1.2.3
            """,
        version: BuildInfo.line,
        subcommands: [Tui.self, Interfaces.self, Listen.self, Send.self, DoctorCommand.self, IgmpCommand.self, MeshCommand.self, MonitorCommand.self],
        defaultSubcommand: Tui.self
    )
}
