import MulticastExpert

/// How fast a ``PacedSender`` sends.
public enum SendRate: Sendable, Hashable, CustomStringConvertible {
    /// This many datagrams per second, evenly spaced.
    case perSecond(Double)
    /// As fast as the socket takes them (batches of 64 with `sendmmsg`). With a payload source
    /// (``PacedSender/run(payloads:count:duration:shouldStop:progress:)``) a batch waits until
    /// the source has given 64 payloads or ended: right for a source that never blocks.
    case unlimited
    /// Each datagram as soon as it is there, one send per datagram, never waiting to fill a
    /// batch: for a payload source that blocks, like lines read from a terminal.
    case immediate

    public var description: String {
        switch self {
        case .perSecond(let rate): "\(rate) pps"
        case .unlimited: "max"
        case .immediate: "immediate"
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
        var template: [UInt8]
        switch payload {
        case .probe: template = [UInt8](repeating: 0, count: max(size, ProbeHeader.length))
        case .fixed(let bytes): template = bytes
        }
        let isProbe = if case .probe = payload { true } else { false }
        var report = try pace(count: count, duration: duration, shouldStop: shouldStop, progress: progress) { batch, firstSequence, wanted in
            // Made afresh for every send call, so a probe carries the time it actually left.
            batch.removeAll(keepingCapacity: true)
            for i in 0..<wanted {
                if isProbe {
                    let header = ProbeHeader(senderID: senderID, sequence: firstSequence + UInt64(i), sendTimeNanoseconds: Timestamp.now.nanosecondsSinceEpoch)
                    template.withUnsafeMutableBytes { header.encode(into: $0) }
                }
                batch.append(template)
            }
            return true
        }
        if isProbe { report.senderID = senderID }
        return report
    }

    /// Sends every payload `next` returns, in order, paced by ``rate``, until `next` returns nil,
    /// `count` datagrams are out, `duration` has passed, or `shouldStop` says so. ``payload`` and
    /// ``size`` are not used: each payload is sent as given. Blocks the calling thread.
    ///
    /// `next` is called only when a datagram is due, so a source that blocks (a pipe, a terminal)
    /// is read no faster than ``rate`` allows. With ``SendRate/unlimited`` it is called up to 64
    /// times before a batch goes out; with ``SendRate/immediate`` each payload goes out alone as
    /// soon as `next` returns it. A payload the socket did not take yet is kept and sent again,
    /// never skipped. While `next` blocks, neither `duration` nor `shouldStop` can end the run.
    ///
    /// - Parameters:
    ///   - next: the next payload, or nil when there are no more.
    ///   - progress: called with the running total after every send call.
    /// - Returns: what was sent (``SendReport/senderID`` is nil: these are not probes).
    public func run(payloads next: () -> [UInt8]?, count: UInt64? = nil, duration: Duration? = nil, shouldStop: () -> Bool = { false },
                    progress: (UInt64) -> Void = { _ in }) throws(MulticastError) -> SendReport {
        try pace(count: count, duration: duration, shouldStop: shouldStop, progress: progress) { batch, _, wanted in
            while batch.count < wanted {
                guard let payload = next() else { return false }
                batch.append(payload)
            }
            return true
        }
    }

    /// The sending loop both payload kinds share: works out how many datagrams are due at
    /// ``rate``, asks `fill` to top the batch up to that many, sends it, and keeps what the socket
    /// did not take for the next call.
    ///
    /// - Parameter fill: given the pending batch (datagrams the socket did not take last time, or
    ///   empty), the sequence number of its first datagram and how many are due; makes the batch
    ///   at most that long. Returns false when its source has ended (the batch holds the last ones).
    private func pace(count: UInt64?, duration: Duration?, shouldStop: () -> Bool, progress: (UInt64) -> Void,
                      fill: (_ batch: inout [[UInt8]], _ firstSequence: UInt64, _ wanted: Int) -> Bool) throws(MulticastError) -> SendReport {
        let start = monotonicNanoseconds()
        let end: Int64? = duration.map { start.addingSaturating($0.saturatingNanoseconds) }
        let limit = count ?? .max
        var sent: UInt64 = 0
        var bytes: UInt64 = 0
        var batch: [[UInt8]] = []
        var sourceEnded = false
        var lastSend = start

        while sent < limit && !shouldStop() {
            let now = monotonicNanoseconds()
            if let end, now >= end { break }
            var due: UInt64
            switch rate {
            case .unlimited:
                due = sent.addingSaturating(64)
            case .immediate:
                due = sent.addingSaturating(1)
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
            if !sourceEnded { sourceEnded = !fill(&batch, sent, Int(min(due - sent, 64))) }
            if batch.isEmpty { break }
            let accepted: Int
            if batch.count == 1 {
                try socket.send(batch[0], to: group, port: port)
                accepted = 1
            } else {
                accepted = try socket.send(batch: batch, to: group, port: port)
                if accepted == 0 { sleepUntil(monotonicNanoseconds: monotonicNanoseconds() + 50_000) }
            }
            for payload in batch.prefix(accepted) { bytes += UInt64(payload.count) }
            batch.removeFirst(accepted)
            sent += UInt64(accepted)
            progress(sent)
            lastSend = monotonicNanoseconds()
            if sourceEnded && batch.isEmpty { break }
        }
        return SendReport(sent: sent, bytes: bytes, elapsedNanoseconds: max(lastSend - start, 0), senderID: nil)
    }
}
