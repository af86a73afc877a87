import MulticastExpert

/// A packet's bytes up to a limit, read only with bounds checks: every read of an offset that
/// came from the packet returns nil past the end instead of trapping. The decoders build every
/// offset from small bounded values (header lengths of at most 60 bytes, extension headers of at
/// most 2048, a frame of at most 64 KiB), so no offset arithmetic overflows either.
struct PacketBytes {
    let packet: [UInt8]
    /// Bytes at this offset and beyond are out of reach (an IP length field's end, or the frame's).
    let limit: Int

    init(_ packet: [UInt8], limit: Int) {
        self.packet = packet
        self.limit = min(max(limit, 0), packet.count)
    }

    func byte(_ offset: Int) -> UInt8? { offset >= 0 && offset < limit ? packet[offset] : nil }

    /// A big-endian 16-bit value.
    func word(_ offset: Int) -> Int? {
        guard let high = byte(offset), let low = byte(offset &+ 1) else { return nil }
        return Int(high) << 8 | Int(low)
    }

    func slice(_ offset: Int, _ count: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, count >= 0, offset <= limit, count <= limit - offset else { return nil }
        return packet[offset..<(offset + count)]
    }

    func ipv4(_ offset: Int) -> IPv4Address? {
        guard let bytes = slice(offset, 4) else { return nil }
        let b = bytes.startIndex
        return IPv4Address(bytes[b], bytes[b + 1], bytes[b + 2], bytes[b + 3])
    }

    func ipv6(_ offset: Int) -> IPv6Address? {
        slice(offset, 16).map { IPv6Address(bytes: $0) }
    }

    /// `count` addresses of `size` bytes (4: IPv4, 16: IPv6) from `offset`, as far as the bytes reach.
    func addresses(_ offset: Int, count: Int, size: Int) -> [IPAddress] {
        (0..<max(count, 0)).compactMap { address(offset + size * $0, size: size) }
    }

    func address(_ offset: Int, size: Int) -> IPAddress? {
        size == 4 ? ipv4(offset).map(IPAddress.v4) : ipv6(offset).map(IPAddress.v6)
    }

    /// The group records of an IGMPv3 (`addressSize` 4) or MLDv2 (16) report: `count` records from
    /// `offset`, each a type, an auxiliary data length in words, a source count, the group, the
    /// sources and the auxiliary data (RFC 3376 §4.2.4, RFC 3810 §5.2.4). Fails with `badLength`
    /// when a record runs past the end, `badGroup` when its group is not multicast.
    func groupRecords(_ count: Int, from offset: Int, addressSize: Int) -> Result<[IGMPGroupRecord], IGMPRejectionReason> {
        var records: [IGMPGroupRecord] = []
        var position = offset
        for _ in 0..<max(count, 0) {
            guard let type = byte(position), let aux = byte(position + 1), let sources = word(position + 2),
                  let group = address(position + 4, size: addressSize) else { return .failure(.badLength) }
            let length = 4 + addressSize * (1 + sources) + 4 * Int(aux)
            guard length <= limit - position else { return .failure(.badLength) }
            guard group.isMulticast else { return .failure(.badGroup) }
            records.append(IGMPGroupRecord(type: IGMPRecordType(rawValue: type), group: group,
                                           sources: addresses(position + 4 + addressSize, count: sources, size: addressSize)))
            position += length
        }
        return .success(records)
    }
}
