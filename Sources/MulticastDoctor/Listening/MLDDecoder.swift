import MulticastExpert

extension Frame {
    static let allNodes = IPv6Address(high: 0xff02_0000_0000_0000, low: 1)
    static let allRoutersV6 = IPv6Address(high: 0xff02_0000_0000_0000, low: 2)
    static let mldv2Routers = IPv6Address(high: 0xff02_0000_0000_0000, low: 0x16)
    static let unspecifiedV6 = IPv6Address(high: 0, low: 0)

    /// An IPv6 packet: MLD when its ICMPv6 type (behind any extension headers) is 130, 131, 132
    /// or 143, and then a message or a rejection (see ``IGMPDecoder``).
    func mld(_ packet: [UInt8]) -> IGMPDecoding {
        let frame = PacketBytes(packet, limit: packet.count)
        guard let first = frame.byte(0), first >> 4 == 6, let payloadLength = frame.word(4), let firstNext = frame.byte(6),
              let claimedSource = frame.ipv6(8), let destination = frame.ipv6(24), let hopLimit = frame.byte(7) else { return .other }
        let source = IPAddress.v6(claimedSource)
        // Read no further than the payload length says, nor than the frame holds; a frame shorter
        // than its payload length is rejected once it is known to be MLD.
        let ip = PacketBytes(packet, limit: 40 + payloadLength)
        func reject(_ reason: IGMPRejectionReason, _ type: UInt8? = nil) -> IGMPDecoding { self.reject(reason, .ipv6, source: source, type: type) }

        // Extension headers: hop-by-hop (only first), destination options, routing, fragment.
        var next = firstNext, offset = 40, headers = 0
        var routerAlert = false, sawRouting = false, sawFragment = false, malformed = false
        walk: while [0, 60, 43, 44].contains(next) {
            headers += 1
            guard headers <= 8, let following = ip.byte(offset), let units = ip.byte(offset + 1) else { malformed = true; break }
            let length = next == 44 ? 8 : (Int(units) + 1) * 8
            guard length <= ip.limit - offset else { malformed = true; break }
            switch next {
            case 0:
                guard offset == 40, let alert = Self.ipv6RouterAlert(ip, from: offset + 2, to: offset + length) else { malformed = true; break walk }
                routerAlert = alert
            case 43:
                sawRouting = true
            case 44:
                sawFragment = true
                // A later fragment has no upper-layer header to read.
                guard let fragmentOffset = ip.word(offset + 2), fragmentOffset >> 3 == 0 else { break walk }
            default:
                break
            }
            next = following
            offset += length
        }
        // A broken chain behind a hop-by-hop header (which in practice only MLD carries) is counted;
        // any other broken IPv6 packet is not ours to judge.
        if malformed { return firstNext == 0 ? reject(.extensionHeaders) : .other }
        guard next == 58, let type = ip.byte(offset), [130, 131, 132, 143].contains(type) else {
            return sawFragment && firstNext == 0 ? reject(.fragment) : .other
        }
        guard 40 + payloadLength <= packet.count else { return reject(.truncated, type) }
        guard !sawFragment else { return reject(.fragment, type) }
        guard !sawRouting else { return reject(.extensionHeaders, type) }
        let icmpLength = ip.limit - offset
        guard icmpLength >= 8, let icmpBytes = ip.slice(offset, icmpLength) else { return reject(.truncated, type) }
        var pseudoHeader = Array(packet[8..<40])
        pseudoHeader += [UInt8(truncatingIfNeeded: icmpLength >> 24), UInt8(truncatingIfNeeded: icmpLength >> 16),
                         UInt8(truncatingIfNeeded: icmpLength >> 8), UInt8(truncatingIfNeeded: icmpLength), 0, 0, 0, 58]
        guard InternetChecksum.sum(pseudoHeader[...], icmpBytes) == 0xffff else { return reject(.checksum, type) }
        guard hopLimit == 1 else { return reject(.notLinkLocal, type) }
        guard routerAlert else { return reject(.noRouterAlert, type) }
        let linkLocal = claimedSource.isLinkLocalUnicast
        guard linkLocal || (type == 143 && claimedSource == Self.unspecifiedV6) else { return reject(.badSource, type) }
        let to = IPAddress.v6(destination)
        if type == 143 {
            guard destination == Self.mldv2Routers else { return reject(.badDestination, type) }
            guard let count = ip.word(offset + 6) else { return reject(.truncated, type) }
            switch ip.groupRecords(count, from: offset + 8, addressSize: 16) {
            case .success(let records): return message(source, to, .mldV2, routerAlert: true, .records(records))
            case .failure(let wrong): return reject(wrong, type)
            }
        }
        guard icmpLength >= 24, let groupField = ip.ipv6(offset + 8), let code = ip.word(offset + 4) else { return reject(.badLength, type) }
        let group = IPAddress.v6(groupField)
        switch type {
        case 130:
            var query: IGMPQuery
            let version: IGMPVersion
            if icmpLength == 24 {
                version = .mldV1
                query = IGMPQuery(maxResponseMilliseconds: code)
            } else {
                guard icmpLength >= 28, let flags = ip.byte(offset + 24), let qqic = ip.byte(offset + 25), let count = ip.word(offset + 26),
                      28 + 16 * count <= icmpLength else { return reject(.badLength, type) }
                version = .mldV2
                let interval = IGMPDecoder.decodeCode(qqic), robustness = Int(flags & 0x07)
                query = IGMPQuery(sources: ip.addresses(offset + 28, count: count, size: 16),
                                  maxResponseMilliseconds: IGMPDecoder.decodeCode(code),
                                  robustness: robustness == 0 ? nil : robustness, queryInterval: interval == 0 ? nil : interval,
                                  suppressRouterProcessing: flags & 0x08 != 0)
            }
            if let wrong = Self.address(&query, group: group, to: to, allHosts: .v6(Self.allNodes)) { return reject(wrong, type) }
            return message(source, to, version, routerAlert: true, .query(query))
        case 131:
            guard group.isMulticast else { return reject(.badGroup, type) }
            guard destination == groupField else { return reject(.badDestination, type) }
            return message(source, to, .mldV1, routerAlert: true, .report(group: group))
        default:  // 132, done
            guard group.isMulticast else { return reject(.badGroup, type) }
            guard destination == Self.allRoutersV6 || destination == groupField else { return reject(.badDestination, type) }
            return message(source, to, .mldV1, routerAlert: true, .leave(group: group))
        }
    }

    /// Walks the options of a hop-by-hop header: true when Router Alert (type 5, length 2) with
    /// value 0 (MLD, RFC 2711) is there, false when not, nil when an option runs past the header.
    static func ipv6RouterAlert(_ ip: PacketBytes, from start: Int, to end: Int) -> Bool? {
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
