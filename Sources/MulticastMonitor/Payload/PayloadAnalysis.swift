import MulticastExpert

/// Everything known about what one source sends: the kind (detected or forced) and that
/// kind's decoders, with the figures of decoders given up when the kind changed kept in totals,
/// so nothing counted is lost.
public struct PayloadAnalysis: Sendable, Hashable {
    /// How the kind is chosen and the RTP clock for dynamic payload types.
    public let options: PayloadOptions
    /// The detector's verdict and history (unused when the kind is forced).
    public private(set) var detector = PayloadDetector()
    /// The decoders of the kind in force; nil while the kind is still being detected.
    public private(set) var decoders: PayloadDecoders?
    /// Decoders following a run of another kind that is not believed yet.
    private var pending: PayloadDecoders?
    /// Sequence figures of decoders given up when the kind changed.
    public private(set) var earlierLost: UInt64 = 0
    public private(set) var earlierExpected: UInt64 = 0
    public private(set) var earlierReordered: UInt64 = 0
    public private(set) var earlierDuplicates: UInt64 = 0

    public init(options: PayloadOptions = PayloadOptions()) {
        self.options = options
        if case .forced(let kind) = options.choice {
            decoders = PayloadDecoders(kind: kind, dynamicRTPClockRate: options.dynamicRTPClockRate)
        }
    }

    /// The kind in force: the forced one, or the detected one (nil while detecting).
    public var kind: PayloadKind? {
        if case .forced(let kind) = options.choice { return kind }
        return detector.kind
    }

    /// Whether mcexpert's probe header is decoded for this source: when detecting, and when
    /// the user said the stream is probes.
    public var decodesProbes: Bool { options.choice == .auto || options.choice == .forced(.probe) }

    /// Takes one datagram (see ``PayloadDecoders/record(_:receivedAt:now:)`` for the clocks);
    /// returns what it said about delay once the kind is known.
    @discardableResult
    public mutating func record(_ payload: UnsafeRawBufferPointer, receivedAt: Int64, now: Int64) -> DelaySample? {
        guard options.choice == .auto else {
            return decoders?.record(payload, receivedAt: receivedAt, now: now)
        }
        switch detector.observe(payload) {
        case .matches(let kind):
            if decoders?.kind != kind {
                retire()
                decoders = pending?.kind == kind ? pending : PayloadDecoders(kind: kind, dynamicRTPClockRate: options.dynamicRTPClockRate)
            }
            pending = nil
            return decoders?.record(payload, receivedAt: receivedAt, now: now)
        case .mismatch:
            return nil
        case .candidate(let kind, let isNew):
            if isNew || pending?.kind != kind {
                pending = kind == .raw || kind == .probe ? nil : PayloadDecoders(kind: kind, dynamicRTPClockRate: options.dynamicRTPClockRate)
            }
            pending?.record(payload, receivedAt: receivedAt, now: now)
            return nil
        }
    }

    /// Moves rate windows forward.
    public mutating func advance(to now: Int64) { decoders?.advance(to: now) }

    /// Folds the decoders in force into the earlier totals, before another kind takes over.
    private mutating func retire() {
        guard let old = decoders else { return }
        earlierLost = earlierLost.addingSaturating(old.lost)
        earlierExpected = earlierExpected.addingSaturating(old.expected)
        earlierReordered = earlierReordered.addingSaturating(old.reordered)
        earlierDuplicates = earlierDuplicates.addingSaturating(old.duplicates)
        decoders = nil
    }

    /// Datagrams the payload's sequence numbers say never arrived (RTP, iperf), over every kind in force so far.
    public var lost: UInt64 { earlierLost.addingSaturating(decoders?.lost ?? 0) }
    /// Datagrams the payload's sequence numbers say were sent.
    public var expected: UInt64 { earlierExpected.addingSaturating(decoders?.expected ?? 0) }
    /// Datagrams that arrived after a later one.
    public var reordered: UInt64 { earlierReordered.addingSaturating(decoders?.reordered ?? 0) }
    /// Datagrams that arrived twice.
    public var duplicates: UInt64 { earlierDuplicates.addingSaturating(decoders?.duplicates ?? 0) }
}
