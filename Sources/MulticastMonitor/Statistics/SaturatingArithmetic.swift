/// Arithmetic that stops at the edge instead of trapping, for values whose parts came from
/// outside (counters added over sender runs, times from a datagram or the command line). Swift
/// traps on overflow, and a trap in a receive loop is a remote crash.
extension UInt64 {
    /// `self + other`, stopping at `UInt64.max`.
    package func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

extension UInt64 {
    /// The nearest `UInt64` to `value`: negatives and NaN give 0, values beyond the range `.max`.
    package init(saturating value: Double) {
        if !(value > 0) {
            self = 0
        } else if value >= 18_446_744_073_709_551_616.0 {  // 2^64
            self = .max
        } else {
            self = UInt64(value)
        }
    }
}

extension Int64 {
    /// The nearest `Int64` to `value`: infinities and values beyond the range give `.max` or
    /// `.min`, NaN gives 0. `Int64(value)` would trap on all of those.
    package init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_807.0 {  // 2^63 exactly, as a Double
            self = .max
        } else if value <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int64(value)
        }
    }
}
