extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64.max`/`Int64.min` instead of
    /// trapping: a `Duration` can hold about 2^63 seconds, nanoseconds only about 292 years.
    /// The one conversion every deadline in the package goes through.
    package var saturatingNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflowSum) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowSum ? (whole < 0 ? .min : .max) : sum
    }
}

extension Int64 {
    /// `self + other`, stopping at the ends of `Int64`: for deadlines such as "now + duration".
    package func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }
}
