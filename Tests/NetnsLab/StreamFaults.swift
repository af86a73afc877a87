import Foundation

// Faults and witnesses for the end-to-end tests with real senders (ffmpeg, iperf2): an exact
// every-Nth drop, a deterministic reordering hop, a capture on the receiver's interface and
// Wireshark's reading of it. Everything runs inside a lab namespace and names its interface.

/// Drops exactly every Nth UDP datagram to one port as it leaves an interface, with nftables:
/// a `netdev` table whose `egress` chain on the device holds `udp dport P numgen inc mod N == N-1
/// counter name "dropped" drop`.
///
/// The drop happens on the sender's side of the cable, before the frame is on the wire, so a
/// capture on the receiver's interface shows exactly what the receiver got. A drop in the egress
/// hook reaches the sending socket as ENOBUFS, which UDP ignores, so the sender (ffmpeg, iperf)
/// never notices. The counting starts when the rule is added: the first N-1 datagrams pass.
public final class NthDatagramDrop: @unchecked Sendable {
    private let namespace: Namespace
    private let table: String
    private var dropped: Int?

    /// Starts dropping every `every`th datagram to UDP `port` leaving `device` in `namespace`.
    public init(in namespace: Namespace, device: String, port: UInt16, every: Int) throws {
        precondition(every >= 2, "dropping every datagram leaves nothing to measure")
        self.namespace = namespace
        table = "mcxdrop\(port)"
        try namespace.sh("""
            nft -f - <<EOF
            table netdev \(table) {
              counter dropped { }
              chain egress {
                type filter hook egress device "\(device)" priority 0;
                udp dport \(port) numgen inc mod \(every) == \(every - 1) counter name "dropped" drop
              }
            }
            EOF
            """)
    }

    /// Stops dropping and returns how many datagrams the rule dropped (its counter is the truth).
    public func stop() throws -> Int {
        if let dropped { return dropped }
        try namespace.sh("nft flush chain netdev \(table) egress")
        let listing = try namespace.sh("nft list counter netdev \(table) dropped")
        try namespace.sh("nft delete table netdev \(table)")
        guard let range = listing.range(of: #"packets (\d+)"#, options: .regularExpression),
              let count = Int(listing[range].dropFirst("packets ".count)) else {
            throw LabError.commandFailed("nft list counter netdev \(table) dropped", status: 0, output: listing)
        }
        dropped = count
        return count
    }
}

/// A hop that reorders a stream deterministically: it receives datagrams on 127.0.0.1 in its
/// namespace and multicasts them from `source` (which names the sending interface), holding
/// back every `every`th datagram from the `first`th on, `swaps` times, until the next one has
/// gone. Each swap makes exactly one datagram arrive after its successor.
///
/// This stands in for `tc qdisc ... netem reorder`, which this kernel lacks
/// (CONFIG_NET_SCH_NETEM is not set); unlike netem it makes an exact number of late packets.
public final class ReorderingRelay: @unchecked Sendable {
    private let process: BackgroundProcess

    static let script = """
        import socket, sys
        listen_port, group, port, source = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
        every, first, swaps = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
        rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rx.bind(("127.0.0.1", listen_port))
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(source))
        tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 2)
        tx.bind((source, 0))
        print("ready", flush=True)
        count, done, held = 0, 0, None
        while True:
            data = rx.recv(65535)
            count += 1
            if held is None and done < swaps and count >= first and (count - first) % every == 0:
                held = data
                continue
            tx.sendto(data, (group, port))
            if held is not None:
                tx.sendto(held, (group, port))
                held = None
                done += 1
                print("swapped", done, flush=True)
        """

    /// Starts the relay and waits until its sockets are bound.
    public init(in namespace: Namespace, listenPort: UInt16, group: String, port: UInt16, source: String,
                every: Int, first: Int, swaps: Int) throws {
        process = try namespace.spawn(["python3", "-c", Self.script, String(listenPort), group, String(port), source,
                                       String(every), String(first), String(swaps)])
        guard process.waitForOutput(containing: "ready", seconds: 10) else {
            throw LabError.commandFailed("reordering relay", status: -1, output: process.stop())
        }
    }

    /// How many datagrams have been sent after their successor so far.
    public var swapsDone: Int {
        process.output.split(separator: "\n").compactMap { $0.hasPrefix("swapped ") ? Int($0.dropFirst(8)) : nil }.last ?? 0
    }

    /// Stops the relay.
    public func stop() { process.stop() }
}

/// A packet capture with tshark on one interface of a namespace, of one UDP port, into a
/// temporary file that is deleted with the object.
public final class PacketCapture: @unchecked Sendable {
    /// The capture file (pcapng).
    public let path: String
    private let process: BackgroundProcess
    private var stopped = false

    /// Starts capturing and waits until tshark says it is capturing.
    public init(in namespace: Namespace, interface: String, udpPort: UInt16) throws {
        path = NSTemporaryDirectory() + "mcx-capture-\(UUID().uuidString).pcapng"
        process = try namespace.spawn(["tshark", "-i", interface, "-f", "udp port \(udpPort)", "-w", path])
        guard process.waitForOutput(containing: "Capturing on", seconds: 15) else {
            throw LabError.commandFailed("tshark -i \(interface)", status: -1, output: process.stop())
        }
    }

    /// Ends the capture (tshark writes out what it holds on SIGTERM) and returns the file.
    @discardableResult
    public func stop() -> String {
        if !stopped {
            stopped = true
            process.stop()
        }
        return path
    }

    deinit {
        stop()
        unlink(path)
    }
}

/// Wireshark's reading of a capture, through tshark.
public enum Wireshark {
    /// One row of `tshark -q -z rtp,streams`.
    public struct RTPStream: Sendable, Equatable {
        public var ssrc: UInt32
        public var payload: String
        public var packets: Int
        /// Expected minus received, over the whole capture.
        public var lost: Int
        /// RFC 3550 interarrival jitter estimates over the stream, in ms: the mean and the largest.
        public var meanJitterMilliseconds: Double
        public var maxJitterMilliseconds: Double
    }

    /// Runs `tshark -r path -o rtp.heuristic_rtp:TRUE -q -z rtp,streams`.
    public static func rtpStreams(_ path: String) throws -> [RTPStream] {
        let result = try Shell.capture(["tshark", "-r", path, "-o", "rtp.heuristic_rtp:TRUE", "-q", "-z", "rtp,streams"], timeout: 60)
        guard result.status == 0 else { throw LabError.commandFailed("tshark -z rtp,streams", status: result.status, output: result.stderr) }
        return parseRTPStreams(result.stdout)
    }

    /// Parses the rows of `-z rtp,streams` (Wireshark 4.0):
    /// `start end src sport dst dport SSRC payload... pkts lost (pct%) minΔ meanΔ maxΔ minJ meanJ maxJ [X]`.
    /// The payload name may hold spaces ("MPEG-II streams"), so the row is read from both ends.
    public static func parseRTPStreams(_ text: String) -> [RTPStream] {
        text.split(separator: "\n").compactMap { line in
            var fields = line.split(separator: " ").map(String.init)
            if fields.last == "X" { fields.removeLast() }
            guard fields.count >= 17, fields[6].hasPrefix("0x"), let ssrc = UInt32(fields[6].dropFirst(2), radix: 16),
                  let packets = Int(fields[fields.count - 9]), let lost = Int(fields[fields.count - 8]),
                  let mean = Double(fields[fields.count - 2]), let max = Double(fields[fields.count - 1]) else { return nil }
            return RTPStream(ssrc: ssrc, payload: fields[7..<(fields.count - 9)].joined(separator: " "), packets: packets,
                             lost: lost, meanJitterMilliseconds: mean, maxJitterMilliseconds: max)
        }
    }

    /// Runs `tshark -r path options -T fields -e f1 -e f2 ...` and returns one array of values per packet.
    public static func fields(_ path: String, _ names: [String], options: [String] = []) throws -> [[String]] {
        let arguments = ["tshark", "-r", path] + options + ["-T", "fields", "-E", "separator=/t"] + names.flatMap { ["-e", $0] }
        let result = try Shell.capture(arguments, timeout: 60)
        guard result.status == 0 else { throw LabError.commandFailed(arguments.joined(separator: " "), status: result.status, output: result.stderr) }
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Continuity gaps per PID that Wireshark's MPEG-TS analysis finds (`mp2t.analysis.skips`,
    /// the number of packets missing at each gap), for a capture of UDP datagrams to `udpPort`
    /// that each carry exactly one TS packet (ffmpeg's `pkt_size=188`).
    public static func continuityGaps(_ path: String, udpPort: UInt16) throws -> [Int: (gaps: Int, missingPackets: Int)] {
        var byPID: [Int: (gaps: Int, missingPackets: Int)] = [:]
        for row in try fields(path, ["mp2t.pid", "mp2t.analysis.skips"], options: ["-d", "udp.port==\(udpPort),mp2t"]) {
            guard row.count == 2, let pid = Int(row[0].dropFirst(2), radix: 16) else { continue }
            var entry = byPID[pid] ?? (0, 0)
            if let skipped = Int(row[1]), skipped > 0 {
                entry.gaps += 1
                entry.missingPackets += skipped
            }
            byPID[pid] = entry
        }
        return byPID
    }
}
