#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MulticastExpert
import MulticastMonitor
import MulticastStreamList

/// `mcexpert listen`: join groups and print what arrives.
struct Listen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join multicast groups and print every datagram that arrives, with its group, interface and source.",
        discussion: """
            With no --iface, listens on every up, multicast-capable, non-loopback interface. Ends after --count datagrams, after --duration seconds, or on Ctrl-C, with a summary per stream: packets, and loss, reordering, duplicates and jitter from the stream's own sequence numbers when it has them (mcexpert probes, RTP, iperf2), plus the MPEG-TS checks for MPEG-TS over UDP or RTP. The payload kind is detected per sender; --payload names it. Exit status: 0 when something arrived, 1 when nothing did, 2 on bad input.

            Examples:
              mcexpert listen 239.1.2.3 --port 5000 --iface eth0
              mcexpert listen 239.1.2.3:5000 [ff15::1]:5000 --count 10
              mcexpert listen 232.1.1.1:5000 --source 10.0.0.5 -i eth1    # SSM
              mcexpert listen 239.1.2.3:5000 --format json | jq .source
              mcexpert listen 239.1.2.3:5000 --format stats   # table each second
              mcexpert listen 239.10.0.1:1234 --payload rtp-ts -i eth0   # IPTV over RTP
              mcexpert listen 239.20.0.1:5004 --payload rtp --rtp-clock 48000  # AES67
              mcexpert listen --streams streams.yaml --format stats  # names from a file

            --streams FILE joins every stream of a stream list (README, "Stream lists"; examples/streams.yaml) with its own interface, SSM source and payload kind, and shows each one's name (a NAME column, "name" in JSON). GROUP arguments may be given too: they are joined as usual, with --iface, --source, --payload and --rtp-clock, which do not apply to the file's streams. A file that does not read is exit status 2, with the file, line, column and field.
            """
    )

    @Argument(help: "Groups to join: 239.1.2.3, ff15::1, or with a port 239.1.2.3:5000, [ff15::1]:5000.", transform: GroupArgument.parse)
    var groups: [GroupArgument] = []

    @Option(name: .shortAndLong, help: "UDP port for groups given without one (1-65535).", transform: PortArgument.parse)
    var port: UInt16?

    @Option(name: [.customShort("i"), .customLong("iface")], help: "Interface by name, index or address; repeat for several. Default: all.")
    var interfaces: [String] = []

    @Option(name: .customLong("source"), help: "Receive only from this sender (source-specific join); repeatable.")
    var sources: [String] = []

    @Option(name: .customLong("streams"), help: ArgumentHelp("Join every stream named in this stream-list file (YAML) and show their names.", valueName: "file"))
    var streamsFile: String?

    @Option(name: .shortAndLong, help: "Stop after this many datagrams.")
    var count: Int?

    @Option(name: .shortAndLong, help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: .shortAndLong, help: "Output: text (a line per datagram), json (JSON lines), hex (hexdump per datagram), stats (a table every second).")
    var format: ListenFormat = .text

    @Option(name: .customLong("rcvbuf"), help: "Socket receive buffer to request, bytes. Default 8388608 (8 MiB), so bursts are not dropped; capped at net.core.rmem_max unless run with CAP_NET_ADMIN, and the summary says what was granted.")
    var receiveBuffer: Int?

    @OptionGroup(title: "Payload")
    var payload: PayloadArguments

    func validate() throws {
        if groups.isEmpty, streamsFile == nil { throw ValidationError("give at least one group, e.g. 239.1.2.3:5000, or --streams FILE") }
        if let count, count <= 0 { throw ValidationError("--count \(count) must be at least 1") }
        if let duration { try NumberBounds.check(duration, "--duration", in: NumberBounds.seconds, unit: "seconds") }
        if let receiveBuffer { try NumberBounds.check(receiveBuffer, "--rcvbuf", in: NumberBounds.receiveBuffer, unit: "bytes") }
    }

    func run() throws {
        try reportingErrors {
            let plan = try ListenPlan(groups: groups, port: port, interfaces: interfaces, sources: sources, payload: payload.options)
            let streamList = try streamsFile.map { (path) throws(CLIError) in try loadStreamList(path) }
            StopSignal.install()
            let requested = receiveBuffer ?? Monitor.defaultReceiveBufferBytes
            let monitor = try Monitor(receiveBufferBytes: requested)
            for subscription in plan.subscriptions { try monitor.subscribe(subscription) }
            if let streamList, let streamsFile {
                try checkStreamInterfaces(streamList, path: streamsFile)
                for stream in streamList.streams { try subscribe(stream, of: streamList, path: streamsFile, to: monitor) }
            }
            let interfaceTable = streamList == nil ? nil : try? InterfaceTable.current()
            let names = streamList.map { StreamNameIndex($0, interfaces: interfaceTable) }
            let printer = DatagramPrinter(format: format, payload: payload.options.choice, names: names,
                                          listed: streamList?.streams ?? [], interfaces: interfaceTable)
            let deadline = duration.map { monotonicNanoseconds().addingSaturating(nanoseconds(seconds: $0)) }
            var received = 0
            var nextTable = monotonicNanoseconds() + 1_000_000_000
            loop: while !StopSignal.isRequested {
                var wait: Int64 = 200_000_000
                if let deadline {
                    let left = deadline - monotonicNanoseconds()
                    if left <= 0 { break }
                    wait = min(wait, left)
                }
                try monitor.poll(timeout: .nanoseconds(wait)) { (datagram: DatagramView) in
                    guard count.map({ received < $0 }) ?? true, !StopSignal.isRequested else { return }
                    received += 1
                    printer.print(datagram)
                }
                printer.flush()
                if let count, received >= count { break loop }
                if format == .stats, monotonicNanoseconds() >= nextTable {
                    printer.printTable(monitor.snapshot())
                    nextTable += 1_000_000_000
                }
            }
            printer.printSummary(monitor.snapshot(), received: received,
                                 receiveBuffer: ReceiveBufferReport(grant: monitor.smallestReceiveBufferGranted.map { ReceiveBufferGrant(requested: requested, reported: $0) }))
            if received == 0 { throw ExitCode(1) }
        }
    }
}

/// The output formats of `listen`.
enum ListenFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, hex, stats
}

/// What `listen` will join, checked before anything is opened.
struct ListenPlan {
    var subscriptions: [Subscription] = []

    init(groups arguments: [GroupArgument], port: UInt16?, interfaces: [String], sources sourceTexts: [String],
         payload: PayloadOptions = PayloadOptions()) throws(CLIError) {
        let sources = try sourceAddresses(sourceTexts)
        var byPortAndFamily: [String: Subscription] = [:]
        var order: [String] = []
        for argument in arguments {
            let groupPort = try argument.port(orElse: port)
            let family = argument.group.family
            if let wrong = sources.first(where: { $0.family != family }) {
                throw CLIError("source \(wrong) is \(wrong.family) but group \(argument.group) is \(family); sources must match the group's family")
            }
            let key = "\(groupPort)/\(family)"
            if byPortAndFamily[key] == nil {
                byPortAndFamily[key] = Subscription(groups: [], port: groupPort, interfaces: interfaceSpecifiers(interfaces), sources: sources, payload: payload)
                order.append(key)
            }
            byPortAndFamily[key]!.groups.append(argument.group)
        }
        subscriptions = order.compactMap { byPortAndFamily[$0] }
    }
}
