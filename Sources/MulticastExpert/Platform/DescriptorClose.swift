#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Closes a descriptor the caller owns. The corresponding C call is `close(2)`.
///
/// Not retried on EINTR: on Linux the descriptor is released even when `close` reports EINTR,
/// and a retry could close a descriptor another thread has just been given the same number.
package func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(descriptor)
    #else
    _ = Darwin.close(descriptor)
    #endif
}
