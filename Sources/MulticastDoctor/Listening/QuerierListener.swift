#if canImport(Glibc)
import Glibc
#endif
import CMulticastShims
import MulticastExpert
import MulticastMonitor

/// One IGMP or MLD membership query heard on the wire.
public struct HeardQuery: Sendable, Hashable {
    public var interfaceIndex: Int
    public var source: IPAddress
    /// "IGMPv1", "IGMPv2", "IGMPv3", "MLDv1" or "MLDv2" (RFC 3376 §7.1 / RFC 3810 §8.1: from length and max-response).
    public var version: String
    /// The query interval the querier advertises (IGMPv3/MLDv2 QQIC), seconds.
    public var advertisedInterval: Int?
    /// Monotonic arrival time, nanoseconds.
    public var heardAt: Int64
}

/// What a passive listen for queriers produced.
public enum QuerierListenResult: Sendable {
    case heard([HeardQuery])
    /// A packet socket could not be opened (needs CAP_NET_RAW).
    case notPermitted
}

/// Listens passively for IGMP (IPv4 protocol 2, type 0x11) and MLD (ICMPv6 type 130) queries.
///
/// It uses a packet socket, which sees frames before reverse-path filtering — so a querier
/// whose queries the kernel drops is still heard, and the doctor can say it is being dropped.
public enum QuerierListener {
    /// Listens for `duration` on every interface of the calling thread's namespace.
    public static func listen(for duration: Duration) -> QuerierListenResult {
        let fd = mcx_packet_socket()
        guard fd >= 0 else { return .notPermitted }
        defer { close(fd) }
        let (seconds, attoseconds) = duration.components
        let end = monotonicNanoseconds() + seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        var heard: [HeardQuery] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            let left = end - monotonicNanoseconds()
            if left <= 0 { break }
            var set = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
            _ = poll(&set, 1, Int32(min(left / 1_000_000 + 1, 200)))
            while true {
                var ifindex: Int32 = 0, proto: Int32 = 0, pkttype: Int32 = 0
                let n = buffer.withUnsafeMutableBytes { mcx_packet_recv(fd, $0.baseAddress, $0.count, &ifindex, &proto, &pkttype) }
                if n < 0 { break }
                guard pkttype != 4 else { continue }  // PACKET_OUTGOING: our own frames
                if let query = parse(Array(buffer.prefix(Int(n))), etherType: Int(proto), interfaceIndex: Int(ifindex)) {
                    heard.append(query)
                }
            }
        }
        return .heard(heard)
    }

    /// Recognises a query in a network-layer packet; nil for anything else.
    public static func parse(_ packet: [UInt8], etherType: Int, interfaceIndex: Int, heardAt: Int64 = monotonicNanoseconds()) -> HeardQuery? {
        switch etherType {
        case 0x0800:
            guard packet.count >= 20, packet[0] >> 4 == 4, packet[9] == 2 else { return nil }
            let headerLength = Int(packet[0] & 0x0f) * 4
            let totalLength = min(Int(packet[2]) << 8 | Int(packet[3]), packet.count)
            guard totalLength >= headerLength + 8, packet[headerLength] == 0x11 else { return nil }
            let igmpLength = totalLength - headerLength
            let maxResponse = packet[headerLength + 1]
            let source = IPAddress.v4(IPv4Address(packet[12], packet[13], packet[14], packet[15]))
            if igmpLength >= 12 {
                return HeardQuery(interfaceIndex: interfaceIndex, source: source, version: "IGMPv3",
                                  advertisedInterval: decodeCode(packet[headerLength + 9]), heardAt: heardAt)
            }
            return HeardQuery(interfaceIndex: interfaceIndex, source: source, version: maxResponse == 0 ? "IGMPv1" : "IGMPv2",
                              advertisedInterval: nil, heardAt: heardAt)
        case 0x86DD:
            guard packet.count >= 40, packet[0] >> 4 == 6 else { return nil }
            var next = packet[6]
            var offset = 40
            while next == 0 || next == 60 || next == 43 {  // hop-by-hop, destination options, routing
                guard packet.count >= offset + 8 else { return nil }
                next = packet[offset]
                offset += (Int(packet[offset + 1]) + 1) * 8
            }
            guard next == 58, packet.count >= offset + 24, packet[offset] == 130 else { return nil }
            let source = IPAddress.v6(IPv6Address(bytes: packet[8..<24]))
            let icmpLength = packet.count - offset
            if icmpLength >= 28 {
                return HeardQuery(interfaceIndex: interfaceIndex, source: source, version: "MLDv2",
                                  advertisedInterval: decodeCode(packet[offset + 25]), heardAt: heardAt)
            }
            return HeardQuery(interfaceIndex: interfaceIndex, source: source, version: "MLDv1", advertisedInterval: nil, heardAt: heardAt)
        default:
            return nil
        }
    }

    /// RFC 3376 §4.1.7 / RFC 3810 §5.1.9: values of 128 and above are floating point.
    static func decodeCode(_ code: UInt8) -> Int {
        guard code >= 128 else { return Int(code) }
        let mantissa = Int(code & 0x0f), exponent = Int((code >> 4) & 0x07)
        return (mantissa | 0x10) << (exponent + 3)
    }
}
