import MulticastExpert
import MulticastMonitor

/// Counting the self-test's probes: only those of its own sender, each sequence number once,
/// and only until a deadline, so other traffic on the group (a flood, another sender's probes,
/// replays) neither inflates the count nor keeps the doctor waiting.
enum SelfTestTally {
    /// How long to keep receiving after the last probe was sent.
    static let receiveWindow: Duration = .seconds(1)

    /// Reads payloads from `next` (nil: nothing more arrived within the socket's timeout) until
    /// `deadline` (monotonic nanoseconds) and counts the distinct probes of `senderID` with a
    /// sequence number below `sent`.
    static func countOwnProbes(senderID: UInt64, sent: UInt64, until deadline: Int64, _ next: () throws -> [UInt8]?) rethrows -> Int {
        var seen = Set<UInt64>()
        while monotonicNanoseconds() < deadline, UInt64(seen.count) < sent, let payload = try next() {
            guard let probe = ProbeHeader(decoding: payload), probe.senderID == senderID, probe.sequence < sent else { continue }
            seen.insert(probe.sequence)
        }
        return seen.count
    }
}
