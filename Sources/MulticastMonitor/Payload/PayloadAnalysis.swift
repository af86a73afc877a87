import MulticastExpert

/// Everything known about what one source sends: the kind (detected or forced) and that
/// kind's decoders. When the kind changes, the figures of the decoders given up are kept in
/// ``earlier`` — sequence figures and stream errors alike — so a stream that breaks up for a
/// while and comes back still shows what happened to it.
public struct PayloadAnalysis: Sendable, Hashable {
    /// How the kind is chosen and the RTP clock for dynamic payload types.
    public let options: PayloadOptions
    /// The detector's verdict and history (unused when the kind is forced).
    public private(set) var detector = PayloadDetector()
    /// The decoders of the kind in force; nil while the kind is still being detected.
    public private(set) var decoders: PayloadDecoders?
    /// Decoders following a run of another kind that is not believed yet, so that once it is
    /// believed every datagram of the run has been counted (an MPEG-TS-over-UDP stream's first
    /// packets included). At most one per source, so memory stays bounded.
    private var pending: PayloadDecoders?
    /// What decoders given up when the kind changed had counted.
    public private(set) var earlier = PayloadFigures()

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
            // A run that just became believed takes over with what it has counted so far —
            // also when the same kind comes back after the detector gave it up, so the old
            // decoders do not see the gap as loss.
            if decoders?.kind != kind || pending?.kind == kind {
                retire()
                if let taken = pending, taken.kind == kind {
                    decoders = taken
                } else {
                    decoders = PayloadDecoders(kind: kind, dynamicRTPClockRate: options.dynamicRTPClockRate)
                }
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

    /// Folds the decoders in force into ``earlier``, before another kind takes over.
    private mutating func retire() {
        guard let old = decoders else { return }
        earlier.add(PayloadFigures(old))
        decoders = nil
    }

    /// Everything counted so far: ``earlier`` and the decoders in force.
    public var figures: PayloadFigures {
        var all = earlier
        if let decoders { all.add(PayloadFigures(decoders)) }
        return all
    }

    /// Datagrams the payload's sequence numbers say never arrived (RTP, iperf), over every kind in force so far.
    public var lost: UInt64 { figures.lost }
    /// Datagrams the payload's sequence numbers say were sent.
    public var expected: UInt64 { figures.expected }
    /// Datagrams that arrived after a later one.
    public var reordered: UInt64 { figures.reordered }
    /// Datagrams that arrived twice.
    public var duplicates: UInt64 { figures.duplicates }
    /// MPEG-TS priority-1 errors (sync, continuity, PAT, PMT, PID), over every kind in force so far.
    public var streamErrors: UInt64 { figures.streamErrors }
}

/// The running totals of a source's payload decoders, so they can be carried over when the
/// decoders are replaced: sequence figures, MPEG-TS errors, RTP restarts and undecodable datagrams.
public struct PayloadFigures: Sendable, Hashable {
    public var lost: UInt64 = 0
    public var expected: UInt64 = 0
    public var reordered: UInt64 = 0
    public var duplicates: UInt64 = 0
    /// MPEG-TS priority-1 errors.
    public var streamErrors: UInt64 = 0
    /// RTP re-synchronisations and SSRC changes.
    public var restarts: UInt64 = 0
    /// Datagrams that did not decode as the kind in force.
    public var undecodable: UInt64 = 0

    public init() {}

    /// What one set of decoders has counted.
    public init(_ decoders: PayloadDecoders) {
        lost = decoders.lost
        expected = decoders.expected
        reordered = decoders.reordered
        duplicates = decoders.duplicates
        streamErrors = decoders.transportStream?.priorityOneErrors ?? 0
        restarts = (decoders.rtp?.restarts ?? 0).addingSaturating(decoders.rtp?.ssrcChanges ?? 0)
        undecodable = decoders.undecodable
    }

    /// Adds another set of totals, saturating.
    public mutating func add(_ other: PayloadFigures) {
        lost = lost.addingSaturating(other.lost)
        expected = expected.addingSaturating(other.expected)
        reordered = reordered.addingSaturating(other.reordered)
        duplicates = duplicates.addingSaturating(other.duplicates)
        streamErrors = streamErrors.addingSaturating(other.streamErrors)
        restarts = restarts.addingSaturating(other.restarts)
        undecodable = undecodable.addingSaturating(other.undecodable)
    }
}
