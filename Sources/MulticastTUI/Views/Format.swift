import MulticastExpert
import MulticastMonitor
import MulticastText

/// Number and time formatting for the views (no Foundation).
enum Format {
    static func fixed(_ value: Double, _ decimals: Int) -> String { NumberFormat.fixed(value, decimals) }

    /// 999, 1.2k, 34.5k, 1.2M.
    static func compact(_ value: Double) -> String {
        if value < 1000 { return fixed(value, value < 10 && value != value.rounded() ? 1 : 0) }
        if value < 1_000_000 { return fixed(value / 1000, value < 100_000 ? 1 : 0) + "k" }
        return fixed(value / 1_000_000, 1) + "M"
    }

    static func milliseconds(_ nanoseconds: Double?) -> String {
        guard let nanoseconds else { return "-" }
        return fixed(nanoseconds / 1e6, nanoseconds < 10e6 ? 3 : 1) + "ms"
    }

    /// How long ago: 0.4s, 12s, 5m, 2h.
    static func age(_ then: Timestamp?, now: Timestamp) -> String {
        guard let then else { return "-" }
        return age(nanoseconds: now.nanosecondsSinceEpoch.subtractingSaturating(then.nanosecondsSinceEpoch))
    }

    /// How long `nanoseconds` is, as ``age(_:now:)`` says it.
    static func age(nanoseconds: Int64) -> String {
        let seconds = Double(nanoseconds) / 1e9
        if seconds < 10 { return fixed(max(seconds, 0), 1) + "s" }
        if seconds < 120 { return fixed(seconds, 0) + "s" }
        if seconds < 7200 { return fixed(seconds / 60, 0) + "m" }
        return fixed(seconds / 3600, 0) + "h"
    }

    /// A bit rate with its unit: 850 bit/s, 12.5 kbit/s, 4.20 Mbit/s, 1.05 Gbit/s.
    static func bitRate(_ bitsPerSecond: Double) -> String {
        let value = bitsPerSecond.isFinite ? max(bitsPerSecond, 0) : 0
        if value < 1000 { return fixed(value, 0) + " bit/s" }
        if value < 1e6 { return fixed(value / 1e3, value < 1e5 ? 1 : 0) + " kbit/s" }
        if value < 1e9 { return fixed(value / 1e6, value < 1e7 ? 2 : 1) + " Mbit/s" }
        return fixed(value / 1e9, 2) + " Gbit/s"
    }

    /// `0x0100`: a PID as analysers show it.
    static func hex16(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(4 - digits.count, 0)) + digits
    }

    /// `p50 1.20ms p90 2.00ms p99 4.10ms max 9.80ms`.
    static func percentiles(_ p: DelayHistograms.Percentiles) -> String {
        "p50 \(milliseconds(p.p50)) p90 \(milliseconds(p.p90)) p99 \(milliseconds(p.p99)) max \(milliseconds(p.max))"
    }

    /// The end of `text` in `width` cells, led by `ellipsis` when the start does not fit: what an
    /// input field shows while typing runs past its width.
    static func tail(_ text: String, width: Int, ellipsis: String) -> String {
        guard text.count > width else { return text }
        return String(ellipsis.prefix(width)) + String(text.suffix(max(width - ellipsis.count, 0)))
    }

    /// Wraps text into lines of at most `width` characters, breaking at spaces (a word longer
    /// than a line is split). The spacing between words on a line is kept (aligned fields stay
    /// aligned); the spaces where a line breaks go.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 4, text.count > width else { return [text] }
        var lines: [String] = []
        var line = ""
        var spaces = 0
        var word = ""
        func place() {
            guard !word.isEmpty else { return }
            if !line.isEmpty, line.count + spaces + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : String(repeating: " ", count: spaces)) + word
            while line.count > width {
                lines.append(String(line.prefix(width)))
                line = String(line.dropFirst(width))
            }
            word = ""
            spaces = 0
        }
        for character in text {
            if character == " " {
                place()
                spaces += 1
            } else {
                word.append(character)
            }
        }
        place()
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
