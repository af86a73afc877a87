import ArgumentParser
import MulticastExpert
import MulticastMonitor
import MulticastStreamList
import MulticastTUI

/// `mcexpert tui` (and `mcexpert` with no arguments): the troubleshooting terminal UI.
struct Tui: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The interactive troubleshooting UI: interfaces, live group table, hexdumps, doctor, memberships, test sender, IGMP/MLD, who-hears-whom mesh.",
        discussion: """
            Keys: ? help, q quit, Tab / 1-8 screens, j join, w save the joins as a stream list, l leave, x hexdump, Enter detail, d doctor, s/S sort, / search, n/N next match, g/G top/bottom, p pause, f freeze. The screens: 1 Interfaces, 2 Groups, 3 Inspector, 4 Doctor, 5 Memberships, 6 Send, 7 IGMP/MLD, 8 Mesh (who hears whom: run `mcexpert mesh` or the TUI with the same group on the other hosts). The mouse selects tabs and rows, double-click opens, the wheel scrolls (--no-mouse turns it off). Works in 80x24 and over ssh; NO_COLOR turns colours off.

            With CAP_NET_RAW (root), it listens to IGMP and MLD from the start, as `mcexpert igmp` does: the IGMP/MLD screen (7) shows the queriers, the groups with the hosts that report them (this host's own reports marked), this host's answers and the warnings; the Interfaces screen names each interface's querier. --no-igmp turns it off.

            Examples:
              mcexpert                                   # start empty; j joins
              mcexpert tui --demo                        # live probes over lo
              mcexpert tui --group 239.1.2.3:5000 --iface eth0
              mcexpert tui --streams streams.yaml        # named streams from a stream list

            --streams FILE joins every stream of a stream list (README, "Stream lists") and shows their names in the Groups table and the detail; w saves the current joins as such a file (default mcexpert-streams.yaml here), which --streams reads back.
            """
    )

    @Option(name: .customLong("group"), help: "A group to join at start (239.1.2.3:5000, [ff15::1]:5000); repeatable.", transform: GroupArgument.parse)
    var groups: [GroupArgument] = []

    @Option(name: .shortAndLong, help: "UDP port for --group values given without one (1-65535).", transform: PortArgument.parse)
    var port: UInt16?

    @Option(name: [.customShort("i"), .customLong("iface")], help: "Interface for the --group joins; repeatable. Default: all.")
    var interfaces: [String] = []

    @Option(name: .customLong("streams"), help: ArgumentHelp("Join every stream named in this stream-list file (YAML) at start and show their names.", valueName: "file"))
    var streamsFile: String?

    @Flag(help: "Send and receive a probe stream over lo, so there is live data at once.")
    var demo = false

    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (its own text selection) instead of clicks and the wheel.")
    var noMouse = false

    @Flag(name: .customLong("no-igmp"), help: "Do not listen to IGMP/MLD, and open no packet socket. A kernel filter (BPF) hands that socket only IGMP frames and IPv6 frames with a hop-by-hop header (as MLD has), so streams cost it nothing.")
    var noIGMP = false

    @OptionGroup(title: "Payload")
    var payload: PayloadArguments


    func run() throws {
        try reportingErrors {
            let plan = try ListenPlan(groups: groups, port: port, interfaces: interfaces, sources: [], payload: payload.options)
            // One subscription per group, so `l` in the TUI leaves exactly the selected group.
            let subscriptions = plan.subscriptions.flatMap { subscription in
                subscription.groups.map { Subscription(groups: [$0], port: subscription.port, interfaces: subscription.interfaces, sources: subscription.sources,
                                                     payload: subscription.payload) }
            }
            let streamList = try streamsFile.map { (path) throws(CLIError) in try loadStreamList(path) }
            if let streamList, let streamsFile { try checkStreamInterfaces(streamList, path: streamsFile) }
            let app = try TUIApp(options: TUIOptions(subscriptions: subscriptions, demo: demo, mouse: !noMouse, igmp: !noIGMP, streamList: streamList))
            try app.run()
        }
    }
}
