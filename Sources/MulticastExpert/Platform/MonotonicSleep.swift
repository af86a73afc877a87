#if canImport(Glibc)
import Glibc
#endif

/// Sleeps the calling thread until the monotonic clock (``monotonicNanoseconds()``) reaches
/// `target`; returns at once for a time already past.
///
/// An absolute deadline does not drift however often the sleep is interrupted, so a signal is
/// simply slept through (retried with the same deadline). The corresponding C call is
/// `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)`.
package func sleepUntil(monotonicNanoseconds target: Int64) {
    let target = max(target, 0)
    var deadline = timespec(tv_sec: Int(target / 1_000_000_000), tv_nsec: Int(target % 1_000_000_000))
    // clock_nanosleep returns the error number itself rather than setting errno.
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nil) == EINTR {}
}

