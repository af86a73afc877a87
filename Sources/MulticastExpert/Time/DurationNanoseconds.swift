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
