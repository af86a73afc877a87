import Foundation

/// Hands out UDP ports unique within this test process, so parallel tests never share one.
public enum TestPorts {
    nonisolated(unsafe) private static var next = UInt16(30_000 + Int(getpid() % 300) * 100)
    private static let lock = NSLock()

    /// A port no other test in this run has been given.
    public static func unique() -> UInt16 {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next
    }
}
