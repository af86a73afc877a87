/// A default route as the kernel's main routing table lists it.
public struct DefaultRoute: Sendable, Hashable {
    /// The family the route is for.
    public var family: AddressFamily
    /// The name of the interface the route leaves by.
    public var interfaceName: String
    /// The next hop, when the route has one.
    public var gateway: IPAddress?
    /// The route's metric; the lowest one wins.
    public var metric: Int
}

/// Parsers for the kernel's route listings, `/proc/net/route` (IPv4) and `/proc/net/ipv6_route`.
///
/// Kept as pure functions of the file text so they can be tested (and fuzzed) on captured
/// contents. They are total: any text, numbers out of range, missing columns, 10,000-character
/// lines — a line that does not parse is skipped, nothing traps.
public enum RoutingTable {
    /// The default routes among `routes`, lowest metric first: destination prefix 0, up, and
    /// not a reject route (the kernel keeps an unreachable IPv6 default on `lo`). Derived from
    /// the full table so the files are parsed one way only.
    public static func defaultRoutes(in routes: [Route]) -> [DefaultRoute] {
        routes.filter { $0.prefixLength == 0 && $0.isUp && !$0.isReject }
            .map { DefaultRoute(family: $0.family, interfaceName: $0.interfaceName, gateway: $0.gateway, metric: $0.metric) }
            .sorted { $0.metric < $1.metric }
    }

    /// The default routes in `/proc/net/route` text, lowest metric first.
    public static func defaultRoutesIPv4(procNetRoute text: String) -> [DefaultRoute] {
        defaultRoutes(in: routesIPv4(procNetRoute: text))
    }

    /// The default routes in `/proc/net/ipv6_route` text, lowest metric first.
    public static func defaultRoutesIPv6(procNetIPv6Route text: String) -> [DefaultRoute] {
        defaultRoutes(in: routesIPv6(procNetIPv6Route: text))
    }

    /// The default routes of the calling thread's network namespace.
    public static func currentDefaultRoutes(_ family: AddressFamily) -> [DefaultRoute] {
        switch family {
        case .ipv4: defaultRoutesIPv4(procNetRoute: ProcFiles.net("route") ?? "")
        case .ipv6: defaultRoutesIPv6(procNetIPv6Route: ProcFiles.net("ipv6_route") ?? "")
        }
    }

    static func hexBytes(_ text: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
            guard let byte = UInt8(text[index..<next], radix: 16) else { return [] }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// One route of the kernel's main table.
public struct Route: Sendable, Hashable, CustomStringConvertible {
    /// The family of the destination.
    public var family: AddressFamily
    /// The destination network's address.
    public var destination: IPAddress
    /// The destination network's prefix length (0 for a default route).
    public var prefixLength: Int
    /// The interface the route leaves by.
    public var interfaceName: String
    /// The next hop, when the route has one.
    public var gateway: IPAddress?
    /// The route's metric; among equal prefixes the lowest wins.
    public var metric: Int
    /// An unreachable/prohibit/blackhole route: matching it means "no route".
    public var isReject: Bool
    /// The route is up (RTF_UP); the kernel's tables list down routes rarely, but they route nothing.
    public var isUp: Bool = true

    public var description: String {
        let via = gateway.map { " via \($0)" } ?? ""
        return "\(destination)/\(prefixLength)\(via) dev \(interfaceName)\(isReject ? " (reject)" : "")"
    }

    /// Whether `address` is inside this route's destination prefix.
    public func contains(_ address: IPAddress) -> Bool {
        switch (destination, address) {
        // The prefix length is public and settable, so any Int is clamped to the family's range here.
        case (.v4(let d), .v4(let a)):
            guard prefixLength > 0 else { return true }
            let mask: UInt32 = prefixLength >= 32 ? .max : ~(UInt32.max >> UInt32(prefixLength))
            return d.value & mask == a.value & mask
        case (.v6(let d), .v6(let a)):
            let bits = min(max(prefixLength, 0), 128)
            let highBits = min(bits, 64), lowBits = max(bits - 64, 0)
            let highMask: UInt64 = highBits == 0 ? 0 : (highBits >= 64 ? .max : ~(UInt64.max >> UInt64(highBits)))
            let lowMask: UInt64 = lowBits == 0 ? 0 : (lowBits >= 64 ? .max : ~(UInt64.max >> UInt64(lowBits)))
            return d.high & highMask == a.high & highMask && d.low & lowMask == a.low & lowMask
        default:
            return false
        }
    }
}

extension RoutingTable {
    /// Every route in `/proc/net/route` text.
    ///
    /// Columns: `Iface Destination Gateway Flags RefCnt Use Metric Mask ...`, addresses in
    /// little-endian hex; flags RTF_UP 0x1, RTF_GATEWAY 0x2, RTF_REJECT 0x200.
    public static func routesIPv4(procNetRoute text: String) -> [Route] {
        text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 8, let destination = UInt32(f[1], radix: 16), let gateway = UInt32(f[2], radix: 16),
                  let flags = UInt32(f[3], radix: 16), let metric = Int(f[6]), let mask = UInt32(f[7], radix: 16) else { return nil }
            let hop = flags & 0x2 != 0 ? IPAddress.v4(IPv4Address(UInt32(bigEndian: gateway))) : nil
            return Route(family: .ipv4, destination: .v4(IPv4Address(UInt32(bigEndian: destination))),
                         prefixLength: UInt32(bigEndian: mask).nonzeroBitCount, interfaceName: String(f[0]), gateway: hop,
                         metric: metric, isReject: flags & 0x200 != 0, isUp: flags & 0x1 != 0)
        }
    }

    /// Every route in `/proc/net/ipv6_route` text.
    ///
    /// Columns: `dest destPrefixLen src srcPrefixLen nextHop metric refCnt use flags device`, all hex.
    public static func routesIPv6(procNetIPv6Route text: String) -> [Route] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 10, f[0].count == 32, let prefix = UInt8(f[1], radix: 16), prefix <= 128,
                  let metric = UInt32(f[5], radix: 16), let flags = UInt32(f[8], radix: 16) else { return nil }
            let destination = hexBytes(f[0]), hopBytes = hexBytes(f[4])
            guard destination.count == 16 else { return nil }
            let hop = hopBytes.count == 16 && hopBytes.contains(where: { $0 != 0 }) ? IPAddress.v6(IPv6Address(bytes: hopBytes)) : nil
            return Route(family: .ipv6, destination: .v6(IPv6Address(bytes: destination)), prefixLength: Int(prefix),
                         interfaceName: String(f[9]), gateway: hop, metric: Int(metric), isReject: flags & 0x200 != 0, isUp: flags & 0x1 != 0)
        }
    }

    /// The calling thread's main-table routes of one family.
    public static func currentRoutes(_ family: AddressFamily) -> [Route] {
        switch family {
        case .ipv4: routesIPv4(procNetRoute: ProcFiles.net("route") ?? "")
        case .ipv6: routesIPv6(procNetIPv6Route: ProcFiles.net("ipv6_route") ?? "")
        }
    }

    /// The route the kernel would pick for `address`: longest prefix, then lowest metric.
    /// nil when nothing matches or the best match is a reject route. (Policy routing is not modelled.)
    public static func lookup(_ address: IPAddress, in routes: [Route]) -> Route? {
        // Compared without negating the metric: a parsed metric may be Int.min.
        let best = routes.filter { $0.family == address.family && $0.contains(address) }
            .max { $0.prefixLength != $1.prefixLength ? $0.prefixLength < $1.prefixLength : $0.metric > $1.metric }
        guard let best, !best.isReject else { return nil }
        return best
    }
}
