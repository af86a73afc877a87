#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the kernel's text files under /proc.
///
/// Network files are read through `/proc/thread-self/net`, not `/proc/net` (which follows the
/// process's first thread): a thread that entered another network namespace with `setns(2)`
/// must see that namespace's routes and sysctls.
package enum ProcFiles {
    /// The most bytes read from one file: far above any real /proc listing, and a bound on
    /// memory should a file (or something mounted over /proc) never end.
    public static let sizeLimit = 64 << 20

    /// Reads a whole text file (at most ``sizeLimit`` bytes; invalid UTF-8 becomes U+FFFD);
    /// nil when it does not exist or cannot be read. The corresponding C calls are `open(2)` and `read(2)`, EINTR retried.
    package static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<min(count, chunk.count)])
            if bytes.count >= sizeLimit { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a file from the calling thread's network namespace, e.g. `net("route")`.
    package static func net(_ name: String) -> String? {
        read("/proc/thread-self/net/\(name)") ?? read("/proc/net/\(name)")
    }

    /// Reads an integer sysctl such as `net/ipv4/igmp_max_memberships`; nil when absent.
    package static func sysctlInt(_ key: String) -> Int? {
        guard let text = read("/proc/sys/\(key.replacingDots())") else { return nil }
        return Int(text.trimmingWhitespace())
    }
}

extension String {
    /// Sysctl names use dots (`net.ipv4.igmp_max_memberships`); /proc/sys uses slashes.
    fileprivate func replacingDots() -> String {
        String(map { $0 == "." ? "/" : $0 })
    }

    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
