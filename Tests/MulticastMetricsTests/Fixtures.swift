import MulticastExpert
import MulticastMetrics
import MulticastMonitor

/// Synthetic datagrams and streams for the metrics tests: probes with chosen sequence numbers,
/// recorded in a real ``StatisticsBook`` at explicit times.
enum Fixtures {
    static let group = try! MulticastGroup(parsing: "239.77.0.1")
    static let otherGroup = try! MulticastGroup(parsing: "239.77.0.2")
    static let senderA = SocketAddress(address: IPAddress("198.18.0.1")!, port: 4000)
    static let senderB = SocketAddress(address: IPAddress("198.18.0.9")!, port: 4000)
    /// Monotonic time of the first datagram, on a bucket boundary.
    static let start: Int64 = 10_000_000_000
    /// Wall-clock time of the first datagram.
    static let wallStart: Int64 = 1_800_000_000_000_000_000

    /// A 64-byte probe of `sender`'s run with `sequence`, received on interface `interface` at `offset` ns after the start.
    static func probe(_ sequence: UInt64, group: MulticastGroup = group, port: UInt16 = 5000, interface: UInt32 = 2,
                      from sender: SocketAddress = senderA, offset: Int64 = 0) -> Datagram {
        var payload = [UInt8](repeating: 0, count: 64)
        payload.withUnsafeMutableBytes { ProbeHeader(senderID: 42, sequence: sequence, sendTimeNanoseconds: wallStart + offset).encode(into: $0) }
        return Datagram(payload: payload, source: sender, group: group, port: port, interfaceIndex: interface, interfaceName: "if\(interface)",
                        receivedAt: Timestamp(nanosecondsSinceEpoch: wallStart + offset))
    }

    /// A book that received probes `sequences` (10 ms apart) of `sender` on `interface`.
    static func book(_ sequences: [UInt64], interface: UInt32 = 2, from sender: SocketAddress = senderA,
                     into book: StatisticsBook = StatisticsBook()) -> StatisticsBook {
        var book = book
        for (position, sequence) in sequences.enumerated() {
            let offset = Int64(position) * 10_000_000
            book.record(probe(sequence, interface: interface, from: sender, offset: offset), now: start + offset)
        }
        return book
    }

    static func stream(_ name: String = "news", group: MulticastGroup = group, interface: String? = nil, source: IPAddress? = nil,
                       timeout: Duration? = nil, labels: [MetricLabel] = []) -> MonitoredStream {
        MonitoredStream(name: name, group: group, port: 5000, interface: interface, source: source, timeout: timeout, labels: labels)
    }
}
