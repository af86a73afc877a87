import MulticastExpert

/// Builds IGMP and MLD packets as Linux hosts and queriers send them, with correct checksums,
/// so each test can break exactly one thing: for the decoder's unit tests and for frames
/// injected into a lab. Addresses are written as text.
public enum CraftedFrame {
    /// The Internet checksum (RFC 1071) of `bytes`, as the two bytes to put in the checksum field.
    public static func checksum(_ bytes: [UInt8]) -> [UInt8] {
        var sum: UInt32 = 0
        var index = 0
        while index < bytes.count {
            sum += UInt32(bytes[index]) << 8 | (index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0)
            index += 2
        }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        let value = ~UInt16(sum)
        return [UInt8(value >> 8), UInt8(value & 0xff)]
    }

    public static func v4(_ text: String) -> [UInt8] { IPv4Address(text)!.octets }
    public static func v6(_ text: String) -> [UInt8] { IPv6Address(text)!.bytes }
    public static func word(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }

    // MARK: IGMP

    /// An IPv4 packet carrying `igmp` (its checksum filled in), with Router Alert unless told otherwise.
    public static func ipv4(_ igmp: [UInt8], ttl: UInt8 = 1, source: String = "198.18.0.254", destination: String = "224.0.0.1",
                            routerAlert: Bool = true) -> [UInt8] {
        var message = igmp
        message[2] = 0; message[3] = 0
        let sum = checksum(message)
        message[2] = sum[0]; message[3] = sum[1]
        let options: [UInt8] = routerAlert ? [148, 4, 0, 0] : []
        let headerLength = 20 + options.count
        let total = headerLength + message.count
        var header: [UInt8] = [UInt8(0x40 | headerLength / 4), 0xc0, UInt8(total >> 8), UInt8(total & 0xff), 0, 0, 0, 0, ttl, 2, 0, 0]
        header += v4(source) + v4(destination) + options
        let headerSum = checksum(header)
        header[10] = headerSum[0]; header[11] = headerSum[1]
        return header + message
    }

    /// An IGMP query body: 8 bytes for v1 (maxResponse 0) and v2, 12 + 4·sources for v3.
    public static func igmpQuery(v3: Bool = true, maxResponse: UInt8 = 100, group: String = "0.0.0.0", sources: [String] = [],
                          flags: UInt8 = 0x02, qqic: UInt8 = 125) -> [UInt8] {
        var body: [UInt8] = [0x11, maxResponse, 0, 0] + v4(group)
        if v3 { body += [flags, qqic] + word(sources.count) + sources.flatMap(v4) }
        return body
    }

    /// An IGMPv1 (0x12) or v2 (0x16) report, or a v2 leave (0x17).
    public static func igmpMembership(_ type: UInt8, group: String) -> [UInt8] { [type, 0, 0, 0] + v4(group) }

    /// An IGMPv3 report body with (record type, group, sources, aux words) records.
    public static func igmpV3Report(_ records: [(type: UInt8, group: String, sources: [String])], aux: UInt8 = 0) -> [UInt8] {
        var body: [UInt8] = [0x22, 0, 0, 0, 0, 0] + word(records.count)
        for record in records {
            body += [record.type, aux] + word(record.sources.count) + v4(record.group) + record.sources.flatMap(v4)
            body += [UInt8](repeating: 0xaa, count: Int(aux) * 4)
        }
        return body
    }

    /// Whole packets as Linux sends them.
    public static func generalQueryV3(from source: String = "198.18.0.254") -> [UInt8] { ipv4(igmpQuery(), source: source) }
    public static func reportV2(_ group: String, from source: String = "198.18.0.2") -> [UInt8] {
        ipv4(igmpMembership(0x16, group: group), source: source, destination: group)
    }
    public static func leaveV2(_ group: String, from source: String = "198.18.0.2") -> [UInt8] {
        ipv4(igmpMembership(0x17, group: group), source: source, destination: "224.0.0.2")
    }
    public static func reportV3(_ records: [(type: UInt8, group: String, sources: [String])], from source: String = "198.18.0.2") -> [UInt8] {
        ipv4(igmpV3Report(records), source: source, destination: "224.0.0.22")
    }

    // MARK: MLD

    /// An IPv6 packet: hop-by-hop header (Router Alert, MLD) then `body` as ICMPv6, its checksum over the pseudo-header.
    public static func ipv6(_ body: [UInt8], hopLimit: UInt8 = 1, source: String = "fe80::1", destination: String = "ff02::1",
                            extensions: [UInt8]? = nil, firstNext: UInt8 = 0) -> [UInt8] {
        var icmp = body
        icmp[2] = 0; icmp[3] = 0
        let length = icmp.count
        let pseudo = v6(source) + v6(destination) + [UInt8(length >> 24 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), 0, 0, 0, 58]
        let sum = checksum(pseudo + icmp)
        icmp[2] = sum[0]; icmp[3] = sum[1]
        let hopByHop = extensions ?? [58, 0, 5, 2, 0, 0, 1, 0]
        let payload = hopByHop + icmp
        return [0x60, 0, 0, 0, UInt8(payload.count >> 8), UInt8(payload.count & 0xff), firstNext, hopLimit] + v6(source) + v6(destination) + payload
    }

    /// An MLD query body: 24 bytes (v1) or 28 + 16·sources (v2).
    public static func mldQuery(v2: Bool = true, maxResponse: Int = 10_000, group: String = "::", sources: [String] = [],
                         flags: UInt8 = 0x02, qqic: UInt8 = 125) -> [UInt8] {
        var body: [UInt8] = [130, 0, 0, 0] + word(maxResponse) + [0, 0] + v6(group)
        if v2 { body += [flags, qqic] + word(sources.count) + sources.flatMap(v6) }
        return body
    }

    /// An MLDv1 report (131) or done (132).
    public static func mldMembership(_ type: UInt8, group: String) -> [UInt8] { [type, 0, 0, 0, 0, 0, 0, 0] + v6(group) }

    /// An MLDv2 report body.
    public static func mldV2Report(_ records: [(type: UInt8, group: String, sources: [String])]) -> [UInt8] {
        var body: [UInt8] = [143, 0, 0, 0, 0, 0] + word(records.count)
        for record in records { body += [record.type, 0] + word(record.sources.count) + v6(record.group) + record.sources.flatMap(v6) }
        return body
    }
}

