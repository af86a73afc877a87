import MulticastExpert

/// Decodes and validates IGMP (IPv4) and MLD (IPv6) membership messages from network-layer
/// packets as a packet socket gives them: bytes, interface and time in, a message or the reason
/// it was not believed out. Pure and total: any bytes, any length, no trap, no I/O.
///
/// Believed are messages as RFC 1112, 2236, 3376 (IGMPv1–v3), 2710 and 3810 (MLDv1–v2) define
/// them, whoever sent them:
/// - IGMP: the IPv4 header checksum right, not a fragment, well-formed options, TTL 1, the IGMP
///   checksum right, a source that is not multicast or broadcast (0.0.0.0 is allowed: Linux
///   bridges query from it unless `mcast_query_use_ifaddr` is on, and hosts without an address
///   report from it), and per type:
///   - query (0x11): 8 bytes (v1 when max-response is 0, else v2) or 12 + 4·sources and more (v3,
///     RFC 3376 §7.1; 9–11 bytes is no version), to 224.0.0.1 when general, to the group or
///     224.0.0.1 when group-specific;
///   - v1 report (0x12) and v2 report (0x16): to the reported group;
///   - v2 leave (0x17): to 224.0.0.2 (all routers) or the group;
///   - v3 report (0x22): to 224.0.0.22, every group record inside the message.
///   Router Alert (RFC 2113) is required for IGMPv3, whose RFC makes it mandatory and whose
///   senders always add it; IGMPv1/v2 messages without it are accepted and marked, because older
///   equipment sends them that way and hosts answer them.
/// - MLD: hop limit 1, a hop-by-hop header first carrying Router Alert with value 0 (RFC 2711),
///   no routing or fragment header, ICMPv6 checksum right over the pseudo-header, a link-local
///   source (an MLDv2 report may also come from ::, RFC 3810 §5.2.13), and per type: query (130)
///   of 24 bytes (v1) or 28 + 16·sources and more (v2) to ff02::1 or the queried group; v1
///   report (131) to the group; done (132) to ff02::2 or the group; v2 report (143) to ff02::16.
///
/// Frames shorter than their IP length field are rejected; Ethernet padding after it is ignored.
public enum IGMPDecoder {
    /// EtherType of IPv4 and IPv6, as ``PacketSocket`` reports it (host order).
    public static let etherTypeIPv4 = 0x0800
    public static let etherTypeIPv6 = 0x86DD

    /// Decodes one network-layer packet heard on `interfaceIndex` at `heardAt` (monotonic
    /// nanoseconds). `sentByThisHost` marks an outgoing frame.
    public static func decode(_ packet: [UInt8], etherType: Int, interfaceIndex: Int, heardAt: Int64,
                              sentByThisHost: Bool = false) -> IGMPDecoding {
        let frame = Frame(interfaceIndex: interfaceIndex, heardAt: heardAt, sentByThisHost: sentByThisHost)
        switch etherType {
        case etherTypeIPv4: return frame.igmp(packet)
        case etherTypeIPv6: return frame.mld(packet)
        default: return .other
        }
    }

    /// Whether a frame can be IGMP or MLD at all, from its first bytes: the cheap test a listener
    /// makes before copying a frame out of its buffer.
    public static func mayBeMembership(_ bytes: UnsafeRawBufferPointer, etherType: Int) -> Bool {
        switch etherType {
        case etherTypeIPv4: return bytes.count > 9 && bytes[0] >> 4 == 4 && bytes[9] == 2
        // ICMPv6 straight after the header, or behind hop-by-hop, destination-options, routing or fragment headers.
        case etherTypeIPv6: return bytes.count > 6 && bytes[0] >> 4 == 6 && [0, 58, 60, 43, 44].contains(bytes[6])
        default: return false
        }
    }

    /// RFC 3376 §4.1.1 / §4.1.7: an 8-bit code; values of 128 and above are floating point
    /// (mantissa 4 bits, exponent 3 bits).
    static func decodeCode(_ code: UInt8) -> Int {
        guard code >= 128 else { return Int(code) }
        let mantissa = Int(code & 0x0f), exponent = Int((code >> 4) & 0x07)
        return (mantissa | 0x10) << (exponent + 3)
    }

    /// RFC 3810 §5.1.3: MLDv2's 16-bit maximum response code; 32768 and above are floating
    /// point (mantissa 12 bits, exponent 3 bits).
    static func decodeCode(_ code: Int) -> Int {
        guard code >= 32768 else { return code }
        let mantissa = code & 0x0fff, exponent = (code >> 12) & 0x07
        return (mantissa | 0x1000) << (exponent + 3)
    }
}

/// Where a frame came from while it is decoded: everything a message or a rejection carries
/// besides what is in the bytes.
struct Frame {
    let interfaceIndex: Int
    let heardAt: Int64
    let sentByThisHost: Bool

    static let allSystems = IPv4Address(224, 0, 0, 1)
    static let allRouters = IPv4Address(224, 0, 0, 2)
    static let igmpv3Routers = IPv4Address(224, 0, 0, 22)

    func reject(_ reason: IGMPRejectionReason, _ family: AddressFamily, source: IPAddress?, type: UInt8?) -> IGMPDecoding {
        .rejected(IGMPRejection(reason: reason, family: family, interfaceIndex: interfaceIndex, heardAt: heardAt,
                                sentByThisHost: sentByThisHost, source: source, wireType: type))
    }

    func message(_ source: IPAddress, _ destination: IPAddress, _ version: IGMPVersion, routerAlert: Bool, _ body: IGMPMessageBody) -> IGMPDecoding {
        .message(IGMPMessage(interfaceIndex: interfaceIndex, heardAt: heardAt, sentByThisHost: sentByThisHost, source: source,
                             destination: destination, version: version, routerAlert: routerAlert, body: body))
    }

    /// An IPv4 packet: IGMP when its protocol is 2, and then a message or a rejection.
    func igmp(_ packet: [UInt8]) -> IGMPDecoding {
        let frame = PacketBytes(packet, limit: packet.count)
        guard let first = frame.byte(0), first >> 4 == 4, frame.byte(9) == 2 else { return .other }
        // From here on it is IGMP: every failure is counted.
        let claimed = frame.ipv4(12).map(IPAddress.v4)
        func reject(_ reason: IGMPRejectionReason, _ type: UInt8? = nil) -> IGMPDecoding { self.reject(reason, .ipv4, source: claimed, type: type) }
        let headerLength = Int(first & 0x0f) * 4
        guard headerLength >= 20, let totalLength = frame.word(2), totalLength >= headerLength else {
            return reject(packet.count < 20 ? .truncated : .badLength)
        }
        guard totalLength <= packet.count else { return reject(.truncated) }
        let ip = PacketBytes(packet, limit: totalLength)
        guard let ipHeader = ip.slice(0, headerLength), InternetChecksum.sum(ipHeader) == 0xffff else { return reject(.ipHeaderChecksum) }
        guard let fragment = ip.word(6), fragment & 0x3fff == 0 else { return reject(.fragment) }  // MF flag or an offset
        guard let routerAlert = Self.ipv4RouterAlert(ip, headerLength: headerLength) else { return reject(.ipOptions) }
        let igmpLength = totalLength - headerLength
        guard igmpLength >= 8, let igmpBytes = ip.slice(headerLength, igmpLength), let type = ip.byte(headerLength),
              let source = ip.ipv4(12), let destination = ip.ipv4(16), let code = ip.byte(headerLength + 1),
              let groupField = ip.ipv4(headerLength + 4)
        else { return reject(.truncated) }
        guard InternetChecksum.sum(igmpBytes) == 0xffff else { return reject(.checksum, type) }
        guard ip.byte(8) == 1 else { return reject(.notLinkLocal, type) }
        guard source.value >> 28 < 0xe else { return reject(.badSource, type) }  // multicast, class E, broadcast
        let group = IPAddress.v4(groupField)
        let from = IPAddress.v4(source), to = IPAddress.v4(destination)
        let h = headerLength
        switch type {
        case 0x11:
            var query: IGMPQuery
            let version: IGMPVersion
            if igmpLength == 8 {
                version = code == 0 ? .igmpV1 : .igmpV2
                query = IGMPQuery(maxResponseMilliseconds: code == 0 ? 10_000 : Int(code) * 100)
                if version == .igmpV1 && groupField.value != 0 { return reject(.badGroup, type) }
            } else {
                guard igmpLength >= 12, let flags = ip.byte(h + 8), let qqic = ip.byte(h + 9), let count = ip.word(h + 10) else {
                    return reject(.badLength, type)
                }
                guard routerAlert else { return reject(.noRouterAlert, type) }
                guard 12 + 4 * count <= igmpLength else { return reject(.badLength, type) }
                version = .igmpV3
                let interval = IGMPDecoder.decodeCode(qqic), robustness = Int(flags & 0x07)
                query = IGMPQuery(sources: ip.addresses(h + 12, count: count, size: 4),
                                  maxResponseMilliseconds: IGMPDecoder.decodeCode(code) * 100,
                                  robustness: robustness == 0 ? nil : robustness, queryInterval: interval == 0 ? nil : interval,
                                  suppressRouterProcessing: flags & 0x08 != 0)
            }
            if let wrong = Self.address(&query, group: group, to: to, allHosts: .v4(Self.allSystems)) { return reject(wrong, type) }
            return message(from, to, version, routerAlert: routerAlert, .query(query))
        case 0x12, 0x16:
            guard group.isMulticast else { return reject(.badGroup, type) }
            guard destination == groupField else { return reject(.badDestination, type) }
            return message(from, to, type == 0x12 ? .igmpV1 : .igmpV2, routerAlert: routerAlert, .report(group: group))
        case 0x17:
            guard group.isMulticast else { return reject(.badGroup, type) }
            guard destination == Self.allRouters || destination == groupField else { return reject(.badDestination, type) }
            return message(from, to, .igmpV2, routerAlert: routerAlert, .leave(group: group))
        case 0x22:
            guard routerAlert else { return reject(.noRouterAlert, type) }
            guard destination == Self.igmpv3Routers else { return reject(.badDestination, type) }
            guard let count = ip.word(h + 6) else { return reject(.truncated, type) }
            switch ip.groupRecords(count, from: h + 8, addressSize: 4) {
            case .success(let records): return message(from, to, .igmpV3, routerAlert: true, .records(records))
            case .failure(let wrong): return reject(wrong, type)
            }
        default:
            return reject(.otherType, type)
        }
    }

    /// RFC 3376 §4.1.12 / RFC 3810 §5.1.15: a general query (group field 0.0.0.0 or ::) lists no
    /// source and goes to all-systems (all-nodes); a group-specific one names a multicast group and
    /// goes to it or to all-systems. Fills in the query's group; the reason when it is wrong.
    static func address(_ query: inout IGMPQuery, group: IPAddress, to destination: IPAddress, allHosts: IPAddress) -> IGMPRejectionReason? {
        if group.isUnspecified {
            guard query.sources.isEmpty else { return .badGroup }
            guard destination == allHosts else { return .badDestination }
        } else {
            guard group.isMulticast else { return .badGroup }
            guard destination == group || destination == allHosts else { return .badDestination }
            query.group = group
        }
        return nil
    }

    /// Walks the IPv4 options: true when Router Alert (148, length 4) is there, false when not,
    /// nil when the options are malformed (a length running past the header, or below 2).
    static func ipv4RouterAlert(_ ip: PacketBytes, headerLength: Int) -> Bool? {
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
}
