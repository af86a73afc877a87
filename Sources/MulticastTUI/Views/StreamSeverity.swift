import MulticastMonitor

/// How bad a stream looks at a glance: the colour of its Groups row, the mark in front of it
/// (so monochrome and NO_COLOR terminals keep the meaning) and the detail's health line.
/// Loss of at least ``failingLossPercent`` fails; any other loss, kernel drops and MPEG-TS
/// errors in the last ``recentSeconds`` warn; a stream silent for ``staleSeconds`` is stale, and
/// so is a named stream nothing has arrived for yet.
/// The help screen lists these thresholds from here.
enum StreamSeverity: Int, Comparable, CaseIterable {
    case normal, stale, warn, fail

    /// Loss of at least this share of the expected datagrams (percent) is a failure.
    static let failingLossPercent = 1.0
    /// MPEG-TS errors count as rising while the impairment history has any in this many seconds.
    static let recentSeconds = 10
    /// A stream with no datagram in this many seconds (the current one included) is stale.
    static let staleSeconds = 5

    /// The severity of a stream from its counters and its per-second history (a few sums over
    /// its sources; the engine's clock, never the wall clock).
    static func of(_ stream: StreamStatistics) -> StreamSeverity {
        let lost = stream.lost
        if lost > 0, let loss = stream.lossPercent, loss >= failingLossPercent { return .fail }
        if lost > 0 || stream.kernelDrops > 0 { return .warn }
        if stream.streamErrors > 0, stream.impairments.perSecond.suffix(recentSeconds).contains(where: { $0 > 0 }) { return .warn }
        // A listed stream nothing has arrived for yet (a stand-in row) is as down as a stale one.
        if isStale(stream) || stream.packets == 0 { return .stale }
        return .normal
    }

    /// Whether a stream that received datagrams has had none for ``staleSeconds``.
    static func isStale(_ stream: StreamStatistics) -> Bool {
        stream.packets > 0 && !stream.rate.packetsPerSecondHistory.suffix(staleSeconds).contains { $0 > 0 }
    }

    /// The style rows of this severity are drawn in.
    var style: Style {
        switch self {
        case .normal: .normal
        case .stale: .dim
        case .warn: .warn
        case .fail: .fail
        }
    }

    /// The mark in front of a row of this severity (a space for a normal one).
    func mark(_ glyphs: Glyphs) -> Character {
        switch self {
        case .normal: " "
        case .stale: glyphs.staleMark
        case .warn: glyphs.warnMark
        case .fail: glyphs.failMark
        }
    }

    /// The help screen's lines: each mark, what it means and its threshold.
    static func legend(_ glyphs: Glyphs) -> [(mark: String, text: String, style: Style)] {
        [
            ("\(glyphs.failMark) red", "fail: loss of \(percentText(failingLossPercent)) or more of the expected datagrams", .fail),
            ("\(glyphs.warnMark) yellow", "warn: any loss, kernel drops, or MPEG-TS errors (CC, sync, PAT, ...) in the last \(recentSeconds) s", .warn),
            ("\(glyphs.staleMark) dim", "stale: no datagram for \(staleSeconds) s", .dim),
        ]
    }

    /// `1%`, `0.5%`: a threshold as the help states it.
    private static func percentText(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))%" : Format.fixed(value, 1) + "%"
    }

    static func < (a: StreamSeverity, b: StreamSeverity) -> Bool { a.rawValue < b.rawValue }
}
