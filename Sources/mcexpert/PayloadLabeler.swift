import MulticastExpert
import MulticastMonitor

/// Tells `listen`'s per-datagram lines what each datagram is (probe, RTP, MPEG-TS, iperf, raw)
/// by running the engine's own ``PayloadDetector`` per sender over the same datagrams in the
/// same order, so a line says what the summary will say — and a stray datagram in an RTP stream
/// is not printed as RTP just because its first byte looks like it. While a sender's first few
/// datagrams are still being looked at, a line says what its datagram looks like (the run the
/// detector is following), so `listen --count 3` on an RTP stream still shows RTP.
///
/// Bounded: at most ``maxSenders`` detectors; datagrams of further senders get no kind.
struct PayloadLabeler {
    static let maxSenders = 4096

    private struct Sender: Hashable {
        var source: SocketAddress
        var group: MulticastGroup
        var port: UInt16
        var interfaceIndex: UInt32
    }

    let choice: PayloadChoice
    private var detectors: [Sender: PayloadDetector] = [:]

    init(choice: PayloadChoice) { self.choice = choice }

    /// The kind this datagram counts as (or, while its sender's kind is being detected, looks
    /// like); nil for senders beyond the cap.
    mutating func kind(of d: DatagramView) -> PayloadKind? { kind(of: d, choice: choice) }

    /// The same with the choice of the datagram's stream (a stream list gives each stream its own).
    mutating func kind(of d: DatagramView, choice: PayloadChoice) -> PayloadKind? {
        if case .forced(let kind) = choice { return kind }
        let sender = Sender(source: d.source, group: d.group, port: d.port, interfaceIndex: d.interfaceIndex)
        if let index = detectors.index(forKey: sender) {
            return Self.verdict(detectors.values[index].observe(d.payload))
        }
        guard detectors.count < Self.maxSenders else { return nil }
        var detector = PayloadDetector()
        let step = detector.observe(d.payload)
        detectors[sender] = detector
        return Self.verdict(step)
    }

    private static func verdict(_ step: PayloadDetector.Step) -> PayloadKind? {
        switch step {
        case .matches(let kind), .candidate(let kind, _): kind
        case .mismatch: .raw
        }
    }
}
