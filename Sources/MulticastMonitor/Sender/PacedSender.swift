#if canImport(Glibc)
import Glibc
#endif
import MulticastExpert

/// How fast a ``PacedSender`` sends.
public enum SendRate: Sendable, Hashable, CustomStringConvertible {
    /// This many datagrams per second, evenly spaced.
    case perSecond(Double)
    /// As fast as the socket takes them (batches of 64 with `sendmmsg`).
    case unlimited

    public var description: String {
        switch self {
        case .perSecond(let rate): "\(rate) pps"
        case .unlimited: "max"
        }
    }
}

/// What each datagram carries.
public enum SendPayload: Sendable, Hashable {
    /// A probe header (sequence number, send time) padded to the size; receivers measure loss and jitter.
    case probe
    /// The same bytes every time.
    case fixed([UInt8])
}

/// What a send run did.
public struct SendReport: Sendable, Hashable {
    /// Datagrams handed to the kernel.
    public var sent: UInt64
    /// Payload bytes handed to the kernel.
    public var bytes: UInt64
    /// Wall time from the first to the last send, nanoseconds.
    public var elapsedNanoseconds: Int64
    /// The probe sender id, when probes were sent.
    public var senderID: UInt64?

    public init(sent: UInt64, bytes: UInt64, elapsedNanoseconds: Int64, senderID: UInt64?) {
        self.sent = sent
        self.bytes = bytes
        self.elapsedNanoseconds = elapsedNanoseconds
        self.senderID = senderID
    }

    /// Achieved datagrams per second.
    public var packetsPerSecond: Double {
        // n datagrams evenly spaced span n-1 intervals.
        sent > 1 && elapsedNanoseconds > 0 ? Double(sent - 1) * 1e9 / Double(elapsedNanoseconds) : Double(sent)
    }
}

/// Sends a stream of datagrams at a steady rate: accurate spacing at low rates (absolute-time
/// sleeps on the monotonic clock, no drift), `sendmmsg` batches at high ones.
public struct PacedSender {
    public let socket: McastTxSocket
    public let group: MulticastGroup
    public let port: UInt16
    public let rate: SendRate
    public let payload: SendPayload
    /// Size of each datagram in bytes (probes: at least 32; fixed payloads are sent as given).
    public let size: Int
    /// Random per run, written into every probe.
    public let senderID: UInt64

    public init(socket: McastTxSocket, group: MulticastGroup, port: UInt16, rate: SendRate, payload: SendPayload, size: Int = 64,
                senderID: UInt64 = UInt64.random(in: 1...UInt64.max)) {
        self.socket = socket
        self.group = group
        self.port = port
        self.rate = rate
        self.payload = payload
        self.size = size
        self.senderID = senderID
    }

    /// Sends until `count` datagrams are out, `duration` has passed, or `shouldStop` says so
    /// (checked at least every 100 ms). Blocks the calling thread.
    /// - Parameter progress: called with the running total after every send call.
    public func run(count: UInt64? = nil, duration: Duration? = nil, shouldStop: () -> Bool = { false },
                    progress: (UInt64) -> Void = { _ in }) throws(MulticastError) -> SendReport {
        let start = monotonicNanoseconds()
        let end: Int64? = duration.map { start.addingSaturating($0.saturatingNanoseconds) }
        let limit = count ?? .max
        var sent: UInt64 = 0
        var bytes: UInt64 = 0
        var template: [UInt8]
        switch payload {
        case .probe: template = [UInt8](repeating: 0, count: max(size, ProbeHeader.length))
        case .fixed(let bytes): template = bytes
        }
        var batch: [[UInt8]] = []
        var lastSend = start

        while sent < limit && !shouldStop() {
            let now = monotonicNanoseconds()
            if let end, now >= end { break }
            var due: UInt64
            switch rate {
            case .unlimited:
                due = sent + 64
            case .perSecond(let perSecond):
                due = UInt64(saturating: Double(now - start) * perSecond / 1e9).addingSaturating(1)
            }
            due = min(due, limit)
            if due <= sent {
                guard case .perSecond(let perSecond) = rate else { continue }
                let next = start.addingSaturating(Int64(saturating: Double(sent) * 1e9 / perSecond))
                let wakeAt = min(next, now + 100_000_000, end ?? .max)
                sleepUntil(monotonicNanoseconds: wakeAt)
                continue
            }
            let n = Int(min(due - sent, 64))
            batch.removeAll(keepingCapacity: true)
            for i in 0..<n {
                if case .probe = payload {
                    let header = ProbeHeader(senderID: senderID, sequence: sent + UInt64(i), sendTimeNanoseconds: Timestamp.now.nanosecondsSinceEpoch)
                    template.withUnsafeMutableBytes { header.encode(into: $0) }
                }
                batch.append(template)
            }
            let accepted: Int
            if n == 1 {
                try socket.send(batch[0], to: group, port: port)
                accepted = 1
            } else {
                accepted = try socket.send(batch: batch, to: group, port: port)
                if accepted == 0 { sleepUntil(monotonicNanoseconds: monotonicNanoseconds() + 50_000) }
            }
            sent += UInt64(accepted)
            bytes += UInt64(accepted * template.count)
            progress(sent)
            lastSend = monotonicNanoseconds()
        }
        let senderID: UInt64? = if case .probe = payload { self.senderID } else { nil }
        return SendReport(sent: sent, bytes: bytes, elapsedNanoseconds: max(lastSend - start, 0), senderID: senderID)
    }
}

/// Sleeps until a monotonic time; returns early on a signal (the caller re-checks its loop).
func sleepUntil(monotonicNanoseconds target: Int64) {
    var ts = timespec(tv_sec: Int(target / 1_000_000_000), tv_nsec: Int(target % 1_000_000_000))
    _ = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil)
}
