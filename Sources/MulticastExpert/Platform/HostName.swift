#if canImport(Glibc)
import Glibc
#endif

/// This machine's name, for headers and reports.
package enum HostName {
    /// The name the kernel reports for this host (in the calling thread's UTS namespace), or
    /// "localhost" when it cannot be read. Bytes that are not UTF-8 are repaired, and the result
    /// still goes through the sanitiser before it is shown. The corresponding C call is `gethostname(2)`.
    package static func current() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, 255) == 0 else { return "localhost" }
        let text = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? "localhost" : text
    }
}
