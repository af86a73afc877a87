/// Decides what a source sends from a run of its datagrams, so one odd datagram — a stray
/// packet, a forged one, an RTCP report on the wrong port — never flips the verdict.
///
/// A kind is believed after a run of datagrams that continue each other (see
/// ``PayloadFingerprint/isContinued(by:)``): two probes, three TS datagrams, four RTP datagrams
/// of one SSRC with small sequence steps, four iperf datagrams, or sixteen that are none of
/// these (raw). A source whose datagrams never settle into any of these runs (random bytes
/// look like RTP a quarter of the time, with a new "SSRC" each) is believed raw after 64. Once
/// believed, a kind is given up only after 32 datagrams in a row that are not of it; a raw
/// source moves to a kind as soon as that kind's run is complete. A broken MPEG-TS datagram (a
/// bad sync byte, a length not n×188) still counts as MPEG-TS while MPEG-TS is believed, so the
/// TS checks see it. Memory and work per datagram are constant.
public struct PayloadDetector: Sendable, Hashable {
    /// Datagrams in a row, not of the believed kind, that make the detector start over.
    static let mismatchesToGiveUp = 32
    /// Datagrams without a verdict after which a source is believed raw.
    static let datagramsToCallRaw = 64

    /// What one datagram did to the verdict, for the decoders that follow it.
    public enum Step: Sendable, Hashable, Equatable {
        /// The datagram is of the believed kind.
        case matches(PayloadKind)
        /// It is not; the believed kind stands (until too many in a row).
        case mismatch
        /// It belongs to a run of this kind that is not believed yet. `isNew` marks the run's
        /// first datagram: decoders for the kind start afresh there and follow the run, so no
        /// datagram of it is lost to counting once it is believed.
        case candidate(PayloadKind, isNew: Bool)
    }

    /// The kind believed, nil while detecting.
    public private(set) var kind: PayloadKind?
    /// Times the believed kind changed after it was first settled.
    public private(set) var changes: UInt64 = 0
    /// Datagrams that were not of the believed kind.
    public private(set) var mismatches: UInt64 = 0
    /// The kind whose run is being counted, and how long that run is.
    public private(set) var candidate: PayloadKind?
    private var run = 0
    private var mismatchRun = 0
    private var undecided = 0
    private var last: PayloadFingerprint?

    public init() {}

    /// Datagrams in a row a kind needs before it is believed.
    static func runNeeded(for kind: PayloadKind) -> Int {
        switch kind {
        case .probe: 2
        case .ts: 3
        case .rtp, .rtpTS, .iperf: 4
        case .raw: 16
        }
    }

    /// Takes one datagram's payload.
    public mutating func observe(_ payload: UnsafeRawBufferPointer) -> Step {
        observe(PayloadFingerprint(of: payload))
    }

    mutating func observe(_ print: PayloadFingerprint) -> Step {
        defer { last = print }
        let continues = last.map { $0.isContinued(by: print) } ?? false
        if let believed = kind, Self.belongs(print, to: believed) {
            mismatchRun = 0
            run = 0
            candidate = nil
            return .matches(believed)
        }
        // Not of the believed kind (or nothing believed yet): follow the run this datagram is in.
        if candidate == print.kind && continues {
            run += 1
        } else {
            candidate = print.kind
            run = 1
        }
        if let believed = kind {
            mismatches &+= 1
            mismatchRun += 1
            // A raw source takes up a kind as soon as its run is complete; any other kind holds
            // until a long run of datagrams says it has gone.
            let giveUp = believed == .raw ? run >= Self.runNeeded(for: print.kind) && print.kind != .raw
                                          : mismatchRun >= Self.mismatchesToGiveUp
            guard giveUp else { return print.kind == .raw ? .mismatch : .candidate(print.kind, isNew: run == 1) }
            kind = nil
            changes &+= 1
            mismatchRun = 0
        }
        if run >= Self.runNeeded(for: print.kind) {
            return believe(print.kind)
        }
        undecided += 1
        if undecided >= Self.datagramsToCallRaw { return believe(.raw) }
        return .candidate(print.kind, isNew: run == 1)
    }

    private mutating func believe(_ settled: PayloadKind) -> Step {
        kind = settled
        candidate = nil
        run = 0
        undecided = 0
        return .matches(settled)
    }

    /// Whether a datagram counts for a source believed to send `believed`: an RTP datagram of an
    /// MPEG-TS-over-RTP stream whose payload is not n×188 is still its RTP, and a broken
    /// MPEG-TS datagram of an MPEG-TS stream is still MPEG-TS (for the sync and length checks).
    static func belongs(_ print: PayloadFingerprint, to believed: PayloadKind) -> Bool {
        let seen = print.kind
        return seen == believed || (believed == .rtpTS && seen == .rtp) || (believed == .rtp && seen == .rtpTS)
            || (believed == .ts && print.mightBeTransportStream)
    }
}
