import MulticastExpert

/// A membership query decoded and validated from a network-layer packet: the strict checks
/// behind ``QuerierListener/parse(_:etherType:interfaceIndex:heardAt:)``.
///
/// Every read goes through ``byte(_:)``/``word(_:)`` on a length fixed up front, so no index
/// from the packet can reach past its end, and every offset is built from small bounded values
/// (header lengths of at most 60 bytes, extension headers of at most 2048), so nothing overflows.
struct QueryFrame {
    var source: IPAddress
    var version: String
    var advertisedInterval: Int?
    var routerAlert: Bool

    func heard(on interfaceIndex: Int, at heardAt: Int64) -> HeardQuery {
        HeardQuery(interfaceIndex: interfaceIndex, source: source, version: version, advertisedInterval: advertisedInterval,
                   heardAt: heardAt, routerAlert: routerAlert)
    }

    /// The packet's bytes up to `limit`, read only with bounds checks.
    private struct Bytes {
        let packet: [UInt8]
        let limit: Int

        init(_ packet: [UInt8], limit: Int) {
            self.packet = packet
            self.limit = min(max(limit, 0), packet.count)
        }

        func byte(_ offset: Int) -> UInt8? { offset >= 0 && offset < limit ? packet[offset] : nil }

        func word(_ offset: Int) -> Int? {
            guard let high = byte(offset), let low = byte(offset &+ 1) else { return nil }
            return Int(high) << 8 | Int(low)
        }

        func slice(_ offset: Int, _ count: Int) -> ArraySlice<UInt8>? {
            guard offset >= 0, count >= 0, offset <= limit, count <= limit - offset else { return nil }
            return packet[offset..<(offset + count)]
        }
    }

    /// An IGMP membership query (see ``QuerierListener/parse(_:etherType:interfaceIndex:heardAt:)``).
    static func igmp(_ packet: [UInt8]) -> QueryFrame? {
        let frame = Bytes(packet, limit: packet.count)
        guard let first = frame.byte(0), first >> 4 == 4 else { return nil }
        let headerLength = Int(first & 0x0f) * 4
        guard headerLength >= 20, let totalLength = frame.word(2), totalLength <= packet.count, totalLength >= headerLength + 8 else { return nil }
        let ip = Bytes(packet, limit: totalLength)
        guard let ipHeader = ip.slice(0, headerLength), InternetChecksum.sum(ipHeader) == 0xffff else { return nil }
        guard let fragment = ip.word(6), fragment & 0x3fff == 0 else { return nil }  // MF flag or offset: a fragment
        guard ip.byte(8) == 1, ip.byte(9) == 2 else { return nil }  // TTL 1, protocol IGMP
        guard let routerAlert = ipv4RouterAlert(ip, headerLength: headerLength) else { return nil }
        let igmpLength = totalLength - headerLength
        guard ip.byte(headerLength) == 0x11, let message = ip.slice(headerLength, igmpLength),
              InternetChecksum.sum(message) == 0xffff,
              let s0 = ip.byte(12), let s1 = ip.byte(13), let s2 = ip.byte(14), let s3 = ip.byte(15),
              let d0 = ip.byte(16), let d1 = ip.byte(17), let d2 = ip.byte(18), let d3 = ip.byte(19),
              let g0 = ip.byte(headerLength + 4), let g1 = ip.byte(headerLength + 5),
              let g2 = ip.byte(headerLength + 6), let g3 = ip.byte(headerLength + 7),
              let maxResponse = ip.byte(headerLength + 1)
        else { return nil }
        // The source: a host's unicast address, or 0.0.0.0 from a bridge querier; never multicast or broadcast.
        guard s0 < 224 else { return nil }
        let destination = UInt32(d0) << 24 | UInt32(d1) << 16 | UInt32(d2) << 8 | UInt32(d3)
        let group = UInt32(g0) << 24 | UInt32(g1) << 16 | UInt32(g2) << 8 | UInt32(g3)
        if group == 0 {
            guard destination == 0xe000_0001 else { return nil }  // general query: all-systems
        } else {
            guard g0 >= 224, g0 <= 239, destination == group || destination == 0xe000_0001 else { return nil }
        }
        let source = IPAddress.v4(IPv4Address(s0, s1, s2, s3))
        if igmpLength == 8 {
            return QueryFrame(source: source, version: maxResponse == 0 ? "IGMPv1" : "IGMPv2", advertisedInterval: nil, routerAlert: routerAlert)
        }
        guard igmpLength >= 12, routerAlert, let qqic = ip.byte(headerLength + 9), let sources = ip.word(headerLength + 10),
              12 + 4 * sources <= igmpLength else { return nil }
        return QueryFrame(source: source, version: "IGMPv3", advertisedInterval: QuerierListener.decodeCode(qqic), routerAlert: true)
    }

    /// Walks the IPv4 options: true when Router Alert (148, length 4) is there, false when not,
    /// nil when the options are malformed (a length running past the header, or below 2).
    private static func ipv4RouterAlert(_ ip: Bytes, headerLength: Int) -> Bool? {
        var offset = 20, found = false
        while offset < headerLength {
            guard let type = ip.byte(offset) else { return nil }
            if type == 0 { break }  // end of options
            if type == 1 { offset += 1; continue }  // no-operation
            guard let length = ip.byte(offset + 1), length >= 2, offset + Int(length) <= headerLength else { return nil }
            if type == 148 && length == 4 { found = true }
            offset += Int(length)
        }
        return found
    }

    /// An MLD query (see ``QuerierListener/parse(_:etherType:interfaceIndex:heardAt:)``).
    static func mld(_ packet: [UInt8]) -> QueryFrame? {
        let frame = Bytes(packet, limit: packet.count)
        guard let first = frame.byte(0), first >> 4 == 6, let payloadLength = frame.word(4), 40 + payloadLength <= packet.count else { return nil }
        let ip = Bytes(packet, limit: 40 + payloadLength)
        guard ip.byte(7) == 1, let source = ip.slice(8, 16), let destination = ip.slice(24, 16) else { return nil }
        guard source[source.startIndex] == 0xfe, source[source.startIndex + 1] & 0xc0 == 0x80 else { return nil }  // fe80::/10
        // Extension headers: hop-by-hop must come first and carry Router Alert; destination options
        // may follow; anything else (routing, fragment, ESP, ...) is not an MLD query we accept.
        guard ip.byte(6) == 0 else { return nil }
        var next: UInt8 = 0, offset = 40, routerAlert = false, headers = 0
        while next == 0 || next == 60 {
            headers += 1
            guard headers <= 8, let following = ip.byte(offset), let units = ip.byte(offset + 1) else { return nil }
            let length = (Int(units) + 1) * 8
            guard offset + length <= ip.limit else { return nil }
            if next == 0 {
                guard offset == 40, let alert = ipv6RouterAlert(ip, from: offset + 2, to: offset + length) else { return nil }
                routerAlert = alert
            }
            next = following
            offset += length
        }
        guard next == 58, routerAlert else { return nil }
        let icmpLength = ip.limit - offset
        guard icmpLength >= 24, ip.byte(offset) == 130, ip.byte(offset + 1) == 0,
              let message = ip.slice(offset, icmpLength), let group = ip.slice(offset + 8, 16) else { return nil }
        var pseudoHeader = Array(source) + Array(destination)
        pseudoHeader += [UInt8(truncatingIfNeeded: icmpLength >> 24), UInt8(truncatingIfNeeded: icmpLength >> 16),
                         UInt8(truncatingIfNeeded: icmpLength >> 8), UInt8(truncatingIfNeeded: icmpLength), 0, 0, 0, 58]
        guard InternetChecksum.sum(pseudoHeader[...], message) == 0xffff else { return nil }
        let allNodes: [UInt8] = [0xff, 0x02] + [UInt8](repeating: 0, count: 13) + [1]
        if group.allSatisfy({ $0 == 0 }) {
            guard destination.elementsEqual(allNodes) else { return nil }
        } else {
            guard group[group.startIndex] == 0xff, destination.elementsEqual(group) || destination.elementsEqual(allNodes) else { return nil }
        }
        let address = IPAddress.v6(IPv6Address(bytes: Array(source)))
        if icmpLength == 24 {
            return QueryFrame(source: address, version: "MLDv1", advertisedInterval: nil, routerAlert: true)
        }
        guard icmpLength >= 28, let qqic = ip.byte(offset + 25), let sources = ip.word(offset + 26), 28 + 16 * sources <= icmpLength else { return nil }
        return QueryFrame(source: address, version: "MLDv2", advertisedInterval: QuerierListener.decodeCode(qqic), routerAlert: true)
    }

    /// Walks the options of a hop-by-hop header: true when Router Alert (type 5, length 2) with
    /// value 0 (MLD, RFC 2711) is there, false when not, nil when an option runs past the header.
    private static func ipv6RouterAlert(_ ip: Bytes, from start: Int, to end: Int) -> Bool? {
        var offset = start, found = false
        while offset < end {
            guard let type = ip.byte(offset) else { return nil }
            if type == 0 { offset += 1; continue }  // Pad1
            guard let length = ip.byte(offset + 1), offset + 2 + Int(length) <= end else { return nil }
            if type == 5 && length == 2 && ip.word(offset + 2) == 0 { found = true }
            offset += 2 + Int(length)
        }
        return found
    }
}
