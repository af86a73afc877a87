#if canImport(Glibc)
import Glibc
#endif

/// The process's limit on open descriptors (`RLIMIT_NOFILE`). A receiver holds one socket per
/// group, so the default soft limit of 1024 stops it at about a thousand groups although the
/// hard limit usually allows far more.
package enum DescriptorLimit {
    /// The current soft and hard limits, nil when they cannot be read (`RLIM_INFINITY` is
    /// reported as `Int.max`). The corresponding C call is `getrlimit(2)`.
    package static func current() -> (soft: Int, hard: Int)? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return (Int(clamping: limit.rlim_cur), Int(clamping: limit.rlim_max))
    }

    /// Raises the soft limit to the hard limit, as Go's runtime does at start; returns the soft
    /// limit in force afterwards. Never lowers a limit and needs no privilege.
    /// The corresponding C call is `setrlimit(2)`.
    @discardableResult
    package static func raiseSoftToHard() -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }
}
