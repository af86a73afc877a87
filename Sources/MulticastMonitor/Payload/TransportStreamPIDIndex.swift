/// PID → slot in the analyzer's per-PID state array: a small open-addressing table (Fibonacci
/// hashing, linear probing, never more than half full, no deletion), so finding a PID costs a
/// multiply, a load and a compare whatever the number of PIDs, and nothing is allocated after
/// `init`. 1 KiB for the default 128 PIDs.
struct TransportStreamPIDIndex: Sendable, Hashable {
    /// Each entry is `pid << 16 | (slot + 1)`; 0 is empty.
    private var entries: [UInt32]
    private let shift: UInt32
    private let mask: Int

    /// A table for up to `capacity` PIDs (1...8192).
    init(capacity: Int) {
        var bits: UInt32 = 4
        while 1 << bits < 2 * capacity { bits += 1 }
        entries = [UInt32](repeating: 0, count: 1 << bits)
        shift = 32 - bits
        mask = (1 << bits) - 1
    }

    /// The slot of `pid`, or where to insert it (as `.absent(position)`).
    enum Lookup {
        case found(Int)
        case absent(Int)
    }

    func find(_ pid: UInt16) -> Lookup {
        var i = Int((UInt32(pid) &* 0x9E37_79B1) >> shift)
        while true {
            let entry = entries[i]
            if entry == 0 { return .absent(i) }
            if UInt16(truncatingIfNeeded: entry >> 16) == pid { return .found(Int(entry & 0xFFFF) - 1) }
            i = (i + 1) & mask
        }
    }

    /// Records `pid` at `slot` (< 8192) in the position ``find(_:)`` returned as absent.
    mutating func insert(_ pid: UInt16, slot: Int, at position: Int) {
        entries[position] = UInt32(pid) << 16 | UInt32(truncatingIfNeeded: slot + 1)
    }
}
