/// Loss, reordering, duplicates, one-way latency and RFC 3550 jitter of one probe sender run.
///
/// Sequence numbers seen are remembered in a window of the last 4096 (a bitmap), so memory is
/// fixed however long the stream runs. A datagram older than the window counts as reordered
/// (it cannot be checked for being a duplicate).
public struct ProbeSequenceTracker: Sendable, Hashable {
    static let windowBits = 4096

    /// The sender run this tracker follows.
    public let senderID: UInt64
    /// The lowest sequence number seen.
    public private(set) var lowestSequence: UInt64
    /// The highest sequence number seen.
    public private(set) var highestSequence: UInt64
    /// Distinct sequence numbers received.
    public private(set) var uniqueReceived: UInt64 = 0
    /// Datagrams that arrived after one with a higher sequence number.
    public private(set) var reordered: UInt64 = 0
    /// Datagrams whose sequence number had already arrived.
    public private(set) var duplicates: UInt64 = 0
    /// One-way latency (receive time − send time) in nanoseconds; needs synchronised clocks.
    public private(set) var latencyMin: Int64 = .max
    public private(set) var latencyMax: Int64 = .min
    private var latencySum: Int64 = 0
    private var latencyCount: Int64 = 0
    /// RFC 3550 §6.4.1 interarrival jitter estimate, nanoseconds.
    public private(set) var jitterNanoseconds: Double = 0
    private var previousTransit: Int64?
    private var seen = [UInt64](repeating: 0, count: windowBits / 64)

    /// Starts tracking at the first probe of a sender run.
    public init(first header: ProbeHeader, receivedAt: Int64) {
        senderID = header.senderID
        lowestSequence = header.sequence
        highestSequence = header.sequence
        mark(header.sequence)
        uniqueReceived = 1
        recordTiming(header, receivedAt: receivedAt)
    }

    /// Sequence numbers between the lowest and highest seen that never arrived.
    public var lost: UInt64 {
        let expected = highestSequence - lowestSequence + 1
        return expected > uniqueReceived ? expected - uniqueReceived : 0
    }

    /// Sequence numbers expected so far (highest − lowest + 1).
    public var expected: UInt64 { highestSequence - lowestSequence + 1 }

    /// Mean one-way latency in nanoseconds, nil before any probe.
    public var latencyAverage: Int64? { latencyCount > 0 ? latencySum / latencyCount : nil }

    /// Accounts for one more probe of this sender run.
    public mutating func record(_ header: ProbeHeader, receivedAt: Int64) {
        let sequence = header.sequence
        if sequence > highestSequence {
            let advance = sequence - highestSequence
            if advance >= UInt64(Self.windowBits) {
                for i in seen.indices { seen[i] = 0 }
            } else {
                var s = highestSequence + 1
                while s <= sequence {
                    clear(s)
                    s += 1
                }
            }
            highestSequence = sequence
            mark(sequence)
            uniqueReceived += 1
        } else if highestSequence - sequence >= UInt64(Self.windowBits) || sequence < lowestSequence {
            reordered += 1
            uniqueReceived += 1
            if sequence < lowestSequence { lowestSequence = sequence }
        } else if isMarked(sequence) {
            duplicates += 1
            return
        } else {
            reordered += 1
            mark(sequence)
            uniqueReceived += 1
        }
        recordTiming(header, receivedAt: receivedAt)
    }

    private mutating func recordTiming(_ header: ProbeHeader, receivedAt: Int64) {
        let transit = receivedAt - header.sendTimeNanoseconds
        latencyMin = min(latencyMin, transit)
        latencyMax = max(latencyMax, transit)
        latencySum &+= transit
        latencyCount += 1
        if let previousTransit {
            let d = Double(abs(transit - previousTransit))
            jitterNanoseconds += (d - jitterNanoseconds) / 16
        }
        previousTransit = transit
    }

    private func bit(_ sequence: UInt64) -> (Int, UInt64) {
        let position = Int(sequence % UInt64(Self.windowBits))
        return (position / 64, 1 << UInt64(position % 64))
    }

    private mutating func mark(_ sequence: UInt64) {
        let (word, mask) = bit(sequence)
        seen[word] |= mask
    }

    private mutating func clear(_ sequence: UInt64) {
        let (word, mask) = bit(sequence)
        seen[word] &= ~mask
    }

    private func isMarked(_ sequence: UInt64) -> Bool {
        let (word, mask) = bit(sequence)
        return seen[word] & mask != 0
    }
}
