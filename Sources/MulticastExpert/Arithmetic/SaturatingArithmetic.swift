/// Arithmetic that stops at the ends of the type instead of trapping, for every value whose
/// parts came from outside: counters added over forged sender runs, times from a datagram,
/// /proc figures, command-line numbers. Swift traps on overflow, and a trap in a receive loop
/// is a remote crash. The one copy for the whole package.
extension FixedWidthInteger {
    /// `self + other`, pinned to `.min`/`.max`.
    package func addingSaturating(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }

    /// `self - other`, pinned to `.min`/`.max` (0 for unsigned types).
    package func subtractingSaturating(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? .max : .min) : difference
    }

    /// `self * other`, pinned to `.min`/`.max`.
    package func multipliedSaturating(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) != (other < 0) ? .min : .max) : product
    }

    /// The nearest value to `value`, truncated toward zero: NaN gives 0, infinities and values
    /// beyond the range give `.min` or `.max`. `Self(value)` would trap on all of those.
    package init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Self.max) {  // rounds up to a power of two: not representable
            self = .max
        } else if value <= Double(Self.min) {
            self = .min
        } else {
            self = Self(value)
        }
    }
}
