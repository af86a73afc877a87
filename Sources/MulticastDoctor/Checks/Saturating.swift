/// Integer arithmetic that stops at the ends of `Int` instead of trapping, for figures built
/// from /proc values and command-line numbers (a hostile or odd host must not crash the doctor).
enum Saturating {
    /// `a * b`, pinned to `Int.max`/`Int.min`.
    static func multiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) != (b < 0) ? .min : .max) : product
    }

    /// `a + b`, pinned to `Int.max`/`Int.min`.
    static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? .min : .max) : sum
    }
}

extension Saturating {
    /// The `Int` nearest to `value`: NaN gives 0, infinities and values beyond the range the ends.
    /// `Int(value)` would trap on all of those.
    static func integer(_ value: Double) -> Int {
        if value.isNaN { return 0 }
        if value >= 9_223_372_036_854_775_807.0 { return .max }  // 2^63 as a Double
        if value <= -9_223_372_036_854_775_808.0 { return .min }
        return Int(value)
    }
}
