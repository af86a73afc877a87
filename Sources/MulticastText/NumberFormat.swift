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

    /// A size for people: `208 KiB`, `8 MiB`, `1.5 MiB`.
    public static func byteSize(_ bytes: Int) -> String {
        if bytes >= 1 << 20 {
            let mebibytes = Double(bytes) / Double(1 << 20)
            return (mebibytes == mebibytes.rounded() ? String(Int(mebibytes)) : fixed(mebibytes, 1)) + " MiB"
        }
        return String(bytes >> 10) + " KiB"
    }
}
