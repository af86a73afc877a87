import MulticastExpert
import MulticastMonitor

/// Writes a ``StreamList`` as stream-list YAML: every stream with each field it has, strings
/// double-quoted with YAML escapes, numbers in their shortest exact form, so reading the text
/// back gives the same list.
enum StreamListRenderer {
    static func render(_ list: StreamList) -> String {
        var text = "# mcexpert stream list: mcexpert listen --streams FILE, mcexpert tui --streams FILE\n"
        text += "streams:\n"
        for stream in list.streams {
            text += "  - name: \(quoted(stream.name))\n"
            text += "    group: \(quoted(stream.groupText))\n"
            if let interface = stream.interface { text += "    interface: \(quoted(interface))\n" }
            if let source = stream.source { text += "    source: \(quoted(source.description))\n" }
            text += "    payload: \(stream.payload.choice)\n"
            if stream.payload.dynamicRTPClockRate != PayloadOptions.defaultDynamicRTPClockRate {
                text += "    rtp_clock: \(stream.payload.dynamicRTPClockRate)\n"
            }
            if let rate = stream.expectedPacketRate { text += "    rate: \(number(rate))\n" }
            if let bitrate = stream.expectedBitRate { text += "    bitrate: \(number(bitrate))\n" }
            if let timeout = stream.timeout { text += "    timeout: \(seconds(timeout))\n" }
            if !stream.labels.isEmpty {
                text += "    labels:\n"
                for label in stream.labels {
                    text += "      \(key(label.key)): \(quoted(label.value))\n"
                }
            }
        }
        return text
    }

    /// A YAML double-quoted string: `"` and `\` escaped, and as `\uXXXX` every character
    /// libyaml refuses to read as it is (YAML 1.1 "printable": C0 but tab and newline, DEL, C1
    /// but NEL, U+FFFE and U+FFFF) and the line separators and BOM, which it would read but
    /// change or drop.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xfeff
                    || scalar.value == 0xfffe || scalar.value == 0xffff {
                    result += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A label key as written: plain, unless YAML 1.1 would read the word as a boolean or null.
    private static func key(_ key: String) -> String {
        let words: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null"]
        return words.contains(key.lowercased()) ? quoted(key) : key
    }

    /// Shortest decimal that reads back as the same `Double`.
    private static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Seconds with as many decimals as the nanoseconds need: `2`, `2.5`, `0.000000001`.
    private static func seconds(_ duration: Duration) -> String {
        let nanoseconds = duration.saturatingNanoseconds
        let whole = nanoseconds / 1_000_000_000
        var fraction = nanoseconds % 1_000_000_000
        guard fraction > 0 else { return String(whole) }
        var digits = 9
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
