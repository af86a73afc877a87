/// The fuzzer's bytes read as a stream of small decisions: every read succeeds (zeros once the
/// input is used up), so any input is a valid program for a harness and libFuzzer's mutations
/// of one field do not shift the meaning of everything after it more than they must.
public struct FuzzInput {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0

    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = UnsafeBufferPointer(start: size > 0 ? data : nil, count: max(size, 0))
    }

    /// Bytes not read yet.
    public var remaining: Int { bytes.count - offset }
    public var isEmpty: Bool { remaining <= 0 }

    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Big-endian, as on the wire.
    public mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }
    public mutating func uint32() -> UInt32 { UInt32(uint16()) << 16 | UInt32(uint16()) }
    public mutating func uint64() -> UInt64 { UInt64(uint32()) << 32 | UInt64(uint32()) }

    /// A 64-bit value that is often one of the edges arithmetic breaks on: one selector byte picks
    /// an interesting value (0, 1, the extremes of UInt64 and Int64 and their neighbours, powers of
    /// two) or, for most selector values, eight raw bytes follow.
    public mutating func edgyUInt64() -> UInt64 {
        let selector = byte()
        switch selector {
        case 0: return 0
        case 1: return 1
        case 2: return .max
        case 3: return .max - 1
        case 4: return UInt64(Int64.max)
        case 5: return UInt64(Int64.max) + 1  // Int64.min
        case 6: return UInt64(Int64.max) - 1
        case 7: return UInt64(Int64.max) + 2  // Int64.min + 1
        case 8: return UInt64(UInt32.max)
        case 9: return UInt64(UInt32.max) + 1
        case 10...73: return 1 << UInt64(selector - 10)
        case 74...79: return UInt64(selector - 74) &- 3  // .max - 2 ... 2
        default: return uint64()
        }
    }

    /// Up to `count` bytes (fewer when the input ends).
    public mutating func bytes(_ count: Int) -> [UInt8] {
        let n = min(max(count, 0), remaining)
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])
    }

    /// A length byte, then that many bytes.
    public mutating func chunk() -> [UInt8] { bytes(Int(byte())) }

    /// Everything not read yet.
    public mutating func rest() -> [UInt8] { bytes(remaining) }

    /// A length-prefixed string; invalid UTF-8 becomes U+FFFD, as when the tools read outside text.
    public mutating func text() -> String { String(decoding: chunk(), as: UTF8.self) }
}
