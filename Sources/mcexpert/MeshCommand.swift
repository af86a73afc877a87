#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MulticastExpert
import MulticastMonitor
import MulticastText

/// `mcexpert mesh`: does every host hear every other host? Each participant sends beacons to
/// the group and listens on it; every host learns the whole matrix from the beacons alone.
struct MeshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mesh",
        abstract: "All-pairs multicast test: run it on every host with the same group; each shows who hears whom, with loss, latency, jitter and TTL.",
        discussion: """
            Every participant sends a beacon to the group --rate times a second and listens on it. A beacon is an mcexpert probe (so loss, duplicates, latency and jitter are measured as for any probe stream) that also carries the sender's name, a run id and a summary of what the sender hears. So every host shows the whole matrix, without a host list: rows are receivers, columns are senders. This host's row is measured here; the other rows are what those hosts report in their beacons (a host that cannot be heard here has an unknown row, shown as ?). Latency is one-way where the two clocks agree (0 ≤ one-way ≤ round trip) and the round trip from the beacons' echo otherwise, as omping measures it.

            Participants appear as they start; one silent for 5 of its intervals (at least 1 s) is shown as gone, not deleted; a restart (same name and address, new run id) is a new run and the old one, once silent, is gone (restarted); two runs present at once under one name and address are a problem. At most 64 other participants are tracked (more are counted as overflow; gone or never-established runs make room), and a beacon stays under 1200 bytes: when reports do not all fit they rotate through the beacons.

            The beacons' TTL is 1 unless --ttl says otherwise: crossing a router needs more (and a multicast-routed network).

            Exit status: 0 when every pair seen meets --max-loss (and, with --expect N, N participants are present and heard here, this host included, one per name and address); 1 when a pair loses more, a pair is not heard at all, a pair receives beacons twice (a loop or two paths), fewer than N participants are present, two runs share a name and address, or no other participant was heard directly; 2 on bad input or when the socket cannot be opened.

            Examples:
              mcexpert mesh 239.255.77.1:5000 -i eth0     # on every host, till Ctrl-C
              mcexpert mesh 239.255.77.1:5000 -i eth0 -d 30 --expect 5   # gate
              mcexpert mesh [ff15::77]:5000 -i eth0 -d 10 -f json | tail -n 1 |
                jq .summary.problems
              mcexpert mesh 239.255.77.1:5000 -i eth0 --max-loss 1 --rate 20 -d 60
            """
    )

    @Argument(help: "The group and port every participant uses: 239.255.77.1:5000, [ff15::77]:5000.", transform: GroupArgument.parse)
    var group: GroupArgument

    @Option(name: .shortAndLong, help: "UDP port when the group is given without one (1-65535).", transform: PortArgument.parse)
    var port: UInt16?

    @Option(name: [.customShort("i"), .customLong("iface")], help: "Interface to join and send on (name, index or address). Default: the default route's interface.")
    var interface: String?

    @Option(name: .shortAndLong, help: "This host's name in everyone's matrix (at most 32 bytes). Default: the host name.")
    var name: String?

    @Option(name: .shortAndLong, help: "Beacons per second (0.1-1000). At 5 a lost beacon shows within 0.2 s and a stopped host is gone after 1 s.")
    var rate: Double = 5

    @Option(name: .shortAndLong, help: "Stop after this many seconds (default: until Ctrl-C).")
    var duration: Double?

    @Option(name: .shortAndLong, help: "Stop after sending this many beacons (then half an interval more to hear the others' last ones).")
    var count: Int?

    @Option(name: .shortAndLong, help: "Output: text (the matrix every --interval, then a summary) or json (a {\"matrix\": ...} line every --interval, then a {\"summary\": ...} line).")
    var format: MeshFormat = .text

    @Option(help: "Seconds between two prints of the matrix (0.1-3600).")
    var interval: Double = 1

    @Option(help: "Expect this many participants present and heard here, this host included (one per name and address); fewer is a failure.")
    var expect: Int?

    @Option(name: .customLong("max-loss"), help: "Highest loss a pair may have, percent (0-100).")
    var maxLoss: Double = 0

    @Option(help: "TTL / hop limit of the beacons (0-255). 1 keeps them on the link; crossing a router needs more.")
    var ttl: Int = 1

    @Flag(name: .customLong("no-join"), help: "Send beacons without joining the group: others hear this host, it hears nobody (a snooping switch stops forwarding the group to it).")
    var noJoin = false

    func validate() throws {
        try NumberBounds.check(rate, "--rate", in: 0.1...1000, unit: "beacons per second")
        try NumberBounds.check(interval, "--interval", in: 0.1...3600, unit: "seconds")
        try NumberBounds.check(maxLoss, "--max-loss", in: 0...100, unit: "percent")
        try NumberBounds.check(ttl, "--ttl", in: 0...255, unit: "hops")
        if let duration { try NumberBounds.check(duration, "--duration", in: NumberBounds.seconds, unit: "seconds") }
        if let count { try NumberBounds.check(count, "--count", in: 1...1_000_000_000, unit: "beacons") }
        if let expect { try NumberBounds.check(expect, "--expect", in: 1...65, unit: "participants") }
        if duration != nil && count != nil { throw ValidationError("give --duration or --count, not both") }
        if let name, name.allSatisfy(\.isWhitespace) {
            throw ValidationError("--name is empty; give this host's name in everyone's matrix, or leave --name out for the host name")
        }
        if let name, name.utf8.count > MeshBeacon.maximumNameLength {
            throw ValidationError("--name is \(name.utf8.count) bytes; at most \(MeshBeacon.maximumNameLength)")
        }
        if group.group.isSourceSpecificRange { throw ValidationError("\(group.group) is a source-specific (SSM) group; mesh needs an any-source group, e.g. 239.255.77.1 or ff15::77") }
    }

    func run() throws {
        var verdict = MeshVerdict.clean
        try reportingErrors {
            let port = try group.port(orElse: port)
            let specifier: InterfaceSpecifier
            if let interface {
                specifier = InterfaceSpecifier(interface)
            } else {
                specifier = .index(try InterfaceTable.current().defaultGatewayInterface(for: group.group.family).index)
            }
            let session = try MeshSession(MeshSessionOptions(group: group.group, port: port, interface: specifier, name: name,
                                                             beaconsPerSecond: rate, ttl: ttl, join: !noJoin,
                                                             beaconLimit: count.map { UInt64($0) }))
            StopSignal.install()
            let printer = MeshPrinter(format: format, group: group.group, port: port, session: session, maxLossPercent: maxLoss, expected: expect)
            try session.start()
            let start = monotonicNanoseconds()
            var end = duration.map { start.addingSaturating(nanoseconds(seconds: $0)) } ?? .max
            // With --count: the session stops sending after the last beacon; listen half an interval more.
            let halfInterval = session.configuration.intervalNanoseconds / 2
            var lastBeaconSeen = false
            let every = nanoseconds(seconds: interval)
            var nextPrint = start.addingSaturating(every)
            while !StopSignal.isRequested {
                let now = monotonicNanoseconds()
                if !lastBeaconSeen && session.hasSentAllBeacons {
                    lastBeaconSeen = true
                    end = now.addingSaturating(halfInterval)
                }
                if now >= end { break }
                if now >= nextPrint {
                    printer.printMatrix(session.matrix(), elapsed: now - start)
                    nextPrint = nextPrint.addingSaturating(every)
                    if nextPrint <= now { nextPrint = now.addingSaturating(every) }
                }
                let poll = count == nil ? 100_000_000 : min(100_000_000, max(1_000_000, halfInterval))
                sleepUntil(monotonicNanoseconds: min(nextPrint, end, now.addingSaturating(poll)))
            }
            let matrix = session.matrix()
            session.stop()
            verdict = printer.printSummary(matrix, elapsed: monotonicNanoseconds() - start)
        }
        if verdict != .clean { throw ExitCode(1) }
    }
}

/// The output formats of `mesh`.
enum MeshFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
