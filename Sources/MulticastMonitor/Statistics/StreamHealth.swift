/// A stream's payload-specific health in a few words, the same in the CLI's table and summary
/// and the TUI's group table: what a person scanning many streams needs to see first.
public enum StreamHealth {
    /// E.g. `ts ok, 4 pids`, `cc 3, pat 1`, `lost 2, ssrc 0x1a2b3c4d pt 96`, `no sequence numbers`, `ok`.
    /// Only numbers and fixed words: nothing from the network that would need sanitising.
    public static func brief(_ stream: StreamStatistics) -> String {
        guard let source = stream.primarySource, let kind = source.payload.kind else { return "detecting" }
        var parts: [String] = []
        if let rtp = source.payload.decoders?.rtp?.current {
            parts.append("ssrc " + hex32(rtp.ssrc) + " pt \(rtp.payloadType)")
        }
        if let ts = source.payload.decoders?.transportStream {
            let errors: [(String, UInt64)] = [("sync", ts.syncLosses.addingSaturating(ts.syncByteErrors)), ("cc", ts.continuityErrors),
                                             ("pat", ts.patErrors), ("pmt", ts.pmtErrors), ("pid", ts.pidErrors)]
            let failing = errors.filter { $0.1 > 0 }
            if failing.isEmpty {
                let pids = ts.pids.count
                parts.append("ts ok, \(pids) pid\(pids == 1 ? "" : "s")")
            } else {
                parts.append(failing.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
            }
        }
        switch kind {
        case .raw: parts.append("no sequence numbers")
        case .iperf:
            if let iperf = source.payload.decoders?.iperf, iperf.latencyIsPlausible, let average = iperf.latencyAverage {
                parts.append("latency \(average / 1000) us")
            }
        default: break
        }
        let earlier = source.payload.earlier
        if earlier.streamErrors > 0 { parts.append("\(earlier.streamErrors) ts errors before a break") }
        let undecodable = source.payload.figures.undecodable
        if undecodable > 0 { parts.append("\(undecodable) undecodable") }
        if kind.hasSequence, stream.lost > 0 { parts.insert("lost \(stream.lost)", at: 0) }
        return parts.isEmpty ? "ok" : parts.joined(separator: ", ")
    }

    /// `0x1a2b3c4d`: an SSRC as RTP tools show it.
    public static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
