/// What a stream's datagrams carry, which decides how its loss and health are measured.
///
/// Someone else's stream already numbers its datagrams: RTP has a sequence number and a media
/// clock, MPEG-TS a continuity counter per PID, iperf2 a sequence number and a send time. Knowing
/// the kind turns "loss n/a" into real figures for traffic mcexpert did not send.
public enum PayloadKind: String, Sendable, Hashable, CaseIterable, Comparable {
    /// mcexpert's own probes (``ProbeHeader``).
    case probe
    /// RTP (RFC 3550) with any payload but MPEG-TS.
    case rtp
    /// MPEG-TS straight over UDP: n×188-byte packets.
    case ts
    /// MPEG-TS over RTP (payload type 33): RTP's sequence numbers and the TS checks both apply.
    case rtpTS = "rtp-ts"
    /// iperf2 UDP test traffic.
    case iperf
    /// None of the above: counted, with no sequence to measure loss by.
    case raw

    /// The short name shown in tables and JSON (the same as `--payload` takes).
    public var name: String { rawValue }

    /// Whether the kind numbers its datagrams, so loss, reordering and duplicates can be measured.
    public var hasSequence: Bool { self != .ts && self != .raw }

    /// Whether the MPEG-TS checks run on it.
    public var carriesTransportStream: Bool { self == .ts || self == .rtpTS }

    public static func < (a: PayloadKind, b: PayloadKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How a stream's payload kind is chosen: detected from the datagrams, or named by the user
/// (`--payload`, the TUI's join form) when detection cannot know (a raw stream that happens to
/// look like RTP) or should not wait.
public enum PayloadChoice: Sendable, Hashable, CustomStringConvertible {
    /// Detect per source; see ``PayloadDetector``.
    case auto
    /// Treat every datagram as this kind; those that do not decode are counted as mismatched.
    case forced(PayloadKind)

    /// Parses what `--payload` takes: `auto` or a ``PayloadKind`` name; nil for anything else.
    public init?(name: String) {
        if name == "auto" {
            self = .auto
        } else if let kind = PayloadKind(rawValue: name) {
            self = .forced(kind)
        } else {
            return nil
        }
    }

    /// Every name ``init(name:)`` accepts, for help texts and error messages.
    public static let names = ["auto"] + PayloadKind.allCases.map(\.name)

    public var description: String {
        switch self {
        case .auto: "auto"
        case .forced(let kind): kind.name
        }
    }
}

/// What the payload decoders of one stream are told: the kind, and the RTP clock rate for
/// dynamic payload types (96–127), which the stream itself does not say (SDP would).
public struct PayloadOptions: Sendable, Hashable {
    /// Detect or force the kind.
    public var choice: PayloadChoice
    /// Clock rate in hertz for dynamic RTP payload types; 90 kHz, the video clock, by default.
    public var dynamicRTPClockRate: UInt32

    /// The RTP clock rate assumed for dynamic payload types unless the user says otherwise.
    public static let defaultDynamicRTPClockRate: UInt32 = 90_000

    public init(choice: PayloadChoice = .auto, dynamicRTPClockRate: UInt32 = PayloadOptions.defaultDynamicRTPClockRate) {
        self.choice = choice
        self.dynamicRTPClockRate = dynamicRTPClockRate
    }
}
