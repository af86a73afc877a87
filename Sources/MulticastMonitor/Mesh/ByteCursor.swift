/// Big-endian reading of a byte buffer that never traps: past the end it reads zeros (decoders
/// check lengths first; this is the second line of defence).
struct ByteReader {
    private let buffer: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    mutating func uint8() -> UInt8 {
        defer { offset &+= 1 }
        return offset >= 0 && offset < buffer.count ? buffer[offset] : 0
    }

    mutating func uint16() -> UInt16 { UInt16(uint8()) << 8 | UInt16(uint8()) }
    mutating func uint32() -> UInt32 { UInt32(uint16()) << 16 | UInt32(uint16()) }
    mutating func uint64() -> UInt64 { UInt64(uint32()) << 32 | UInt64(uint32()) }

    mutating func bytes(_ count: Int) -> [UInt8] {
        let start = min(max(offset, 0), buffer.count)
        let end = min(start + max(count, 0), buffer.count)
        offset &+= count
        return Array(buffer[start..<end])
    }

    mutating func skip(_ count: Int) { offset &+= count }
}

/// Big-endian writing into a growing byte array.
struct ByteWriter {
    private(set) var output: [UInt8] = []

    init(capacity: Int) { output.reserveCapacity(capacity) }

    mutating func uint8(_ value: UInt8) { output.append(value) }
    mutating func uint16(_ value: UInt16) { output.append(UInt8(value >> 8)); output.append(UInt8(truncatingIfNeeded: value)) }
    mutating func uint32(_ value: UInt32) { uint16(UInt16(value >> 16)); uint16(UInt16(truncatingIfNeeded: value)) }
    mutating func uint64(_ value: UInt64) { uint32(UInt32(value >> 32)); uint32(UInt32(truncatingIfNeeded: value)) }
    mutating func bytes(_ values: [UInt8]) { output.append(contentsOf: values) }
}
