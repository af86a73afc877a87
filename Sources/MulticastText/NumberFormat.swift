/// Decimal numbers for people, without Foundation (the CLI and the TUI share it).
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point; `-` for infinities and NaN.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        let places = min(max(decimals, 0), 15)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        // Beyond what Int64 holds (a figure from a forged probe, say), the shortest exact form.
        guard scaled < 9.0e18 else { return value.description }
        let units = Int64(scaled), unit = Int64(scale)  // both exact: below 2^63, and 10^15 at most
        let whole = units / unit
        let fraction = units % unit
        let sign = value < 0 && scaled != 0 ? "-" : ""
        if places == 0 { return sign + String(whole) }
        let text = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: max(0, places - text.count)) + text
    }

    /// A JSON string literal for `text`, with quotes and backslashes escaped and every scalar
    /// that ``TerminalText`` calls unsafe written as `\uXXXX`, so a JSON line shown on a
    /// terminal (`cat`, `jq -c`) cannot steer it either.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where TerminalText.isUnsafe(scalar):
                out += jsonEscape(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `\uXXXX` for a scalar, as a UTF-16 surrogate pair above the basic plane.
    package static func jsonEscape(_ scalar: Unicode.Scalar) -> String {
        func unit(_ value: UInt32) -> String {
            let hex = String(value, radix: 16)
            return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        guard scalar.value > 0xffff else { return unit(scalar.value) }
        let v = scalar.value - 0x10000
        return unit(0xd800 + (v >> 10)) + unit(0xdc00 + (v & 0x3ff))
    }
}
