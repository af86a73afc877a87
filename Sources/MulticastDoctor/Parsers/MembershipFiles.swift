import MulticastExpert

/// One group membership as the kernel lists it in /proc/net/igmp, igmp6, mcfilter, mcfilter6.
public struct Membership: Sendable, Hashable {
    public var interfaceIndex: Int
    public var interfaceName: String
    public var group: IPAddress
    /// How many sockets (or kernel users) hold the membership.
    public var users: Int
    /// For IPv4 from /proc/net/igmp: the IGMP version the interface runs (`V1`/`V2`/`V3`), which
    /// falls back when an older querier is heard. nil for IPv6.
    public var igmpVersion: Int?
    /// Source filters from mcfilter: (source, included count, excluded count).
    public var sources: [SourceFilter] = []

    /// One source filter of a source-specific (or source-excluding) membership.
    public struct SourceFilter: Sendable, Hashable {
        public var source: IPAddress
        /// Sockets that include the source (source-specific joins).
        public var includeCount: Int
        /// Sockets that exclude it.
        public var excludeCount: Int

        /// A filter described by hand (tests, replaying a captured state).
        public init(source: IPAddress, includeCount: Int, excludeCount: Int) {
            self.source = source
            self.includeCount = includeCount
            self.excludeCount = excludeCount
        }
    }

    /// A membership described by hand (tests, replaying a captured state).
    public init(interfaceIndex: Int, interfaceName: String, group: IPAddress, users: Int, igmpVersion: Int? = nil, sources: [SourceFilter] = []) {
        self.interfaceIndex = interfaceIndex
        self.interfaceName = interfaceName
        self.group = group
        self.users = users
        self.igmpVersion = igmpVersion
        self.sources = sources
    }
}

/// Parsers for the kernel's membership listings. Pure functions of the text, so they are tested
/// on captured file contents, odd ones included; unreadable lines are skipped, never fatal.
public enum MembershipFiles {
    /// `/proc/net/igmp`: an interface line (`Idx Device : Count Querier`) followed by one
    /// indented line per group (`Group Users Timer Reporter`), groups as little-endian hex.
    public static func parseIGMP(_ text: String) -> [Membership] {
        var result: [Membership] = []
        var current: (index: Int, name: String, version: Int?)?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true).dropFirst() {
            let line = String(raw)
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if !line.hasPrefix("\t"), let colon = fields.firstIndex(of: ":"), colon >= 2, let index = Int(fields[0]) {
                let name = fields[1..<colon].joined(separator: " ")
                let version = fields.last.flatMap { $0.hasPrefix("V") ? Int($0.dropFirst()) : nil }
                current = (index, name, version)
            } else if let interface = current, fields.count >= 2, fields[0].count == 8, let raw = UInt32(fields[0], radix: 16) {
                // The kernel prints the network-order word as a native integer.
                let address = IPAddress.v4(IPv4Address(UInt32(bigEndian: raw)))
                result.append(Membership(interfaceIndex: interface.index, interfaceName: interface.name, group: address,
                                         users: Int(fields[1]) ?? 0, igmpVersion: interface.version))
            }
        }
        return result
    }

    /// `/proc/net/igmp6`: `Idx Device Group(32 hex) Users Flags Timer`.
    public static func parseIGMP6(_ text: String) -> [Membership] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 4, let index = Int(f[0]), let group = ipv6(fromHex: f[2]), let users = Int(f[3]) else { return nil }
            return Membership(interfaceIndex: index, interfaceName: String(f[1]), group: .v6(group), users: users, igmpVersion: nil)
        }
    }

    /// `/proc/net/mcfilter`: `Idx Device MCA SRC INC EXC`, addresses as `0x` big-endian hex.
    /// Returns one membership per group and interface with its source filters.
    public static func parseMcfilter(_ text: String) -> [Membership] {
        var byKey: [String: Membership] = [:]
        var order: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 6, let index = Int(f[0]),
                  let group = hexWord(f[2]), let source = hexWord(f[3]),
                  let include = Int(f[4]), let exclude = Int(f[5]) else { continue }
            add(&byKey, &order, index: index, name: String(f[1]), group: .v4(IPv4Address(group)),
                filter: .init(source: .v4(IPv4Address(source)), includeCount: include, excludeCount: exclude))
        }
        return order.compactMap { byKey[$0] }
    }

    /// `/proc/net/mcfilter6`: `Idx Device Group(32 hex) Source(32 hex) INC EXC`.
    public static func parseMcfilter6(_ text: String) -> [Membership] {
        var byKey: [String: Membership] = [:]
        var order: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 6, let index = Int(f[0]), let group = ipv6(fromHex: f[2]), let source = ipv6(fromHex: f[3]),
                  let include = Int(f[4]), let exclude = Int(f[5]) else { continue }
            add(&byKey, &order, index: index, name: String(f[1]), group: .v6(group),
                filter: .init(source: .v6(source), includeCount: include, excludeCount: exclude))
        }
        return order.compactMap { byKey[$0] }
    }

    /// Every membership of the calling thread's namespace, with source filters merged in.
    public static func current() -> [Membership] {
        var memberships = parseIGMP(ProcFiles.net("igmp") ?? "") + parseIGMP6(ProcFiles.net("igmp6") ?? "")
        let filters = parseMcfilter(ProcFiles.net("mcfilter") ?? "") + parseMcfilter6(ProcFiles.net("mcfilter6") ?? "")
        for filter in filters {
            if let i = memberships.firstIndex(where: { $0.interfaceIndex == filter.interfaceIndex && $0.group == filter.group }) {
                memberships[i].sources = filter.sources
            } else {
                memberships.append(filter)
            }
        }
        return memberships
    }

    private static func add(_ byKey: inout [String: Membership], _ order: inout [String], index: Int, name: String, group: IPAddress, filter: Membership.SourceFilter) {
        let key = "\(index)/\(group)"
        if byKey[key] == nil {
            byKey[key] = Membership(interfaceIndex: index, interfaceName: name, group: group, users: 0, igmpVersion: nil)
            order.append(key)
        }
        byKey[key]!.sources.append(filter)
    }

    /// A `0x`-prefixed (or bare) hex word of at most 8 digits; nil for anything else (signs included).
    static func hexWord(_ text: Substring) -> UInt32? {
        let digits = text.hasPrefix("0x") ? text.dropFirst(2) : text
        guard !digits.isEmpty, digits.count <= 8, digits.allSatisfy(\.isHexDigit) else { return nil }
        return UInt32(digits, radix: 16)
    }

    static func ipv6(fromHex text: Substring) -> IPv6Address? {
        guard text.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return IPv6Address(bytes: bytes)
    }
}
