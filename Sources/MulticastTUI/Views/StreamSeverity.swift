import MulticastMonitor

/// How bad a stream looks at a glance: the colour of its Groups row and of the detail's health
/// line. Loss, kernel drops and MPEG-TS errors in the last seconds warn; a loss of at least
/// ``failingLossPercent`` fails.
enum StreamSeverity: Int, Comparable {
    case normal, warn, fail

    /// Loss of at least this share of the expected datagrams (percent) is a failure.
    static let failingLossPercent = 1.0
    /// MPEG-TS errors count as rising while the impairment history has any in this many seconds.
    static let recentSeconds = 10

    /// The severity of a stream from its counters (a few sums over its sources; no history
    /// unless it has MPEG-TS errors).
    static func of(_ stream: StreamStatistics) -> StreamSeverity {
        let lost = stream.lost
        if lost > 0, let loss = stream.lossPercent, loss >= failingLossPercent { return .fail }
        if lost > 0 || stream.kernelDrops > 0 { return .warn }
        if stream.streamErrors > 0, stream.impairments.perSecond.suffix(recentSeconds).contains(where: { $0 > 0 }) { return .warn }
        return .normal
    }

    /// The style rows of this severity are drawn in.
    var style: Style {
        switch self {
        case .normal: .normal
        case .warn: .warn
        case .fail: .fail
        }
    }

    static func < (a: StreamSeverity, b: StreamSeverity) -> Bool { a.rawValue < b.rawValue }
}
