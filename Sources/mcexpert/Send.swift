#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MulticastExpert
import MulticastMonitor
import MulticastText

/// `mcexpert send`: a paced multicast sender.
struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send datagrams to a multicast group at a steady rate: probes, a fixed message, or lines from stdin.",
        discussion: """
            By default sends mcexpert probes (sequence number and send time, so `listen` can report loss, reordering and jitter) at 10 per second until Ctrl-C. TTL defaults to 1 (stays on the local network) and this host's own receivers get no copy unless --loopback.

            Examples:
              mcexpert send 239.1.2.3:5000 -i eth0                 # probes, 10/s
              mcexpert send 239.1.2.3:5000 -i eth0 --rate 1000 --count 5000
              mcexpert send [ff15::1]:5000 -i eth0 --message hello --count 3
              mcexpert send 239.1.2.3:5000 -i lo --rate max --duration 10
              tail -f app.log | mcexpert send 239.1.2.3:5000 -i eth0 --stdin
            """
    )

    @Argument(help: "The group: 239.1.2.3, ff15::1, or with a port 239.1.2.3:5000, [ff15::1]:5000.", transform: GroupArgument.parse)
    var group: GroupArgument

    @Option(name: .shortAndLong, help: "UDP port, when the group is given without one (1-65535).", transform: PortArgument.parse)
    var port: UInt16?

    @Option(name: [.customShort("i"), .customLong("iface")], help: "Interface to send on, by name, index or address. Default: the default-gateway interface.")
    var interface: String?

    @Option(help: "TTL / hop limit, 0-255.")
    var ttl: Int = 1

    @Flag(help: "Let this host's own receivers get a copy.")
    var loopback = false

    @Option(name: .shortAndLong, help: "Datagrams per second (e.g. 10, 0.5, 100000), or 'max'. Default 10; with --stdin, as fast as lines come.")
    var rate: String?

    @Option(name: .shortAndLong, help: "Stop after this many datagrams.")
    var count: Int?

    @Option(name: .shortAndLong, help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: .shortAndLong, help: "Datagram size in bytes (probes: 32 or more; default 64). With --stdin: send blocks of this size.")
    var size: Int?

    @Option(name: .shortAndLong, help: "Send this text in every datagram.")
    var message: String?

    @Flag(help: "Send each line of standard input as a datagram (or each --size block).")
    var stdin = false

    @Flag(help: "Send mcexpert probes (the default).")
    var probe = false

    @Option(name: .customLong("source-port"), help: "Send from this local UDP port, 1-65535 (default: any).", transform: PortArgument.parse)
    var sourcePort: UInt16?

    func validate() throws {
        if [message != nil, stdin, probe].filter({ $0 }).count > 1 { throw ValidationError("choose one of --message, --stdin and --probe") }
        if !(0...255).contains(ttl) { throw ValidationError("--ttl \(ttl) is out of range; valid values are 0-255") }
        if let count, count <= 0 { throw ValidationError("--count \(count) must be at least 1") }
        if let duration { try NumberBounds.check(duration, "--duration", in: NumberBounds.seconds, unit: "seconds") }
        if let rate { _ = try Self.parseRate(rate) }
        if let size {
            guard size >= 1 else { throw ValidationError("--size \(size) must be at least 1 byte") }
            guard size <= group.group.family.maximumPayload else {
                throw ValidationError("--size \(size) is too large; one UDP datagram carries at most \(group.group.family.maximumPayload) bytes over \(group.group.family)")
            }
            if message == nil && !stdin && size < ProbeHeader.length {
                throw ValidationError("--size \(size) is too small for a probe; probes are at least \(ProbeHeader.length) bytes (or use --message)")
            }
        }
    }

    static func parseRate(_ text: String) throws -> SendRate {
        if text.lowercased() == "max" { return .unlimited }
        guard let value = Double(text), value.isFinite else { throw ValidationError("--rate \"\(TerminalText.sanitize(text, limit: 40))\" is not a number; give datagrams per second, e.g. 100, or 'max'") }
        guard value > 0 else { throw ValidationError("--rate \(text) sends nothing; give datagrams per second greater than 0, or 'max'") }
        try NumberBounds.check(value, "--rate", in: NumberBounds.rate, unit: "datagrams per second (or 'max')")
        return .perSecond(value)
    }

    func run() throws {
        try reportingErrors {
            let argument = group
            let port = try argument.port(orElse: port)
            let socket = try McastTxSocket(groups: [argument.group], interface: interface.map { InterfaceSpecifier($0) }, ttl: ttl,
                                           loopback: loopback, sourcePort: sourcePort ?? 0)
            StopSignal.install()
            let report: SendReport
            if stdin {
                report = try sendStandardInput(socket: socket, group: argument.group, port: port)
            } else {
                let payload: SendPayload
                if let message {
                    var bytes = Array(message.utf8)
                    if let size { bytes = (0..<size).map { bytes.isEmpty ? 0 : bytes[$0 % bytes.count] } }
                    payload = .fixed(bytes)
                } else {
                    payload = .probe
                }
                let sender = PacedSender(socket: socket, group: argument.group, port: port, rate: try rate.map(Self.parseRate) ?? .perSecond(10),
                                         payload: payload, size: size ?? 64)
                report = try sender.run(count: count.map(UInt64.init), duration: duration.map { .nanoseconds(nanoseconds(seconds: $0)) },
                                        shouldStop: { StopSignal.isRequested })
            }
            let seconds = Double(report.elapsedNanoseconds) / 1e9
            var line = "sent \(report.sent) datagram\(report.sent == 1 ? "" : "s") (\(report.bytes) bytes) to \(GroupSpec.text(argument.group, port: port)) on \(socket.interface.name) from \(socket.localAddress) in \(fixed(seconds, 3)) s"
            if report.sent > 1 { line += ", \(fixed(report.packetsPerSecond, 1)) datagrams/s" }
            if let id = report.senderID { line += ", probe sender \(Hexdump.compactHex(id.bigEndianBytes))" }
            printLine(line)
        }
    }

    /// Sends each line (or --size block) of standard input, paced by --rate when given.
    private func sendStandardInput(socket: McastTxSocket, group: MulticastGroup, port: UInt16) throws -> SendReport {
        // A numeric --rate paces the lines; otherwise each goes out as soon as it is read
        // (`.immediate`: no waiting for a batch, so `tail -f | mcexpert send --stdin` keeps up).
        let pace: SendRate = switch try rate.map(Self.parseRate) {
        case .perSecond(let perSecond)?: .perSecond(perSecond)
        default: .immediate
        }
        var lines = InputLines(maximumLength: group.family.maximumPayload)
        let blockSize = size
        func nextPayload() -> [UInt8]? {
            guard let blockSize else { return lines.next(shouldStop: { StopSignal.isRequested }) }
            var block = [UInt8](repeating: 0, count: blockSize)
            var got = 0
            while got < blockSize {
                let outcome = block.withUnsafeMutableBytes { StreamIO.read(0, into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
                guard case .transferred(let n) = outcome else {
                    if outcome == .interrupted && !StopSignal.isRequested { continue }
                    break
                }
                if n == 0 { break }
                got += n
            }
            return got > 0 ? Array(block.prefix(got)) : nil
        }
        let sender = PacedSender(socket: socket, group: group, port: port, rate: pace, payload: .fixed([]))
        let report = try sender.run(payloads: nextPayload, count: count.map(UInt64.init), duration: duration.map { .nanoseconds(nanoseconds(seconds: $0)) },
                                    shouldStop: { StopSignal.isRequested })
        if lines.cutLines > 0 {
            printError("\(lines.cutLines) input line\(lines.cutLines == 1 ? " was" : "s were") longer than one datagram (\(group.family.maximumPayload) bytes) and cut to fit")
        }
        return report
    }
}
