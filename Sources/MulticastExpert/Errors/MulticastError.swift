import SystemPackage

/// Everything that can go wrong while setting up or using a multicast socket.
///
/// Each case carries the offending value and enough context for ``description`` to say what
/// was wrong and what would work instead, so a command-line tool can print it as one line and a
/// UI can show it in a status bar.
public enum MulticastError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not an IPv4 or IPv6 address.
    case malformedAddress(String)
    /// The address is valid but not in 224.0.0.0/4 (IPv4) or ff00::/8 (IPv6).
    case notMulticast(IPAddress)
    /// An address of one family was given where the other family was expected.
    case familyMismatch(IPAddress, expected: AddressFamily)
    /// A source for a source-specific join that cannot be a sender (a multicast address).
    case invalidSource(IPAddress)
    /// A socket was asked for with no groups at all.
    case noGroups
    /// No interface matches the name, index or address; `available` lists the names that exist.
    case interfaceNotFound(String, available: [String])
    /// An address given to pick an interface belongs to more than one interface.
    case ambiguousInterface(String, matches: [String])
    /// The interface exists but has no address of the family the socket needs.
    case noAddress(interface: String, family: AddressFamily)
    /// No interface was named and the routing table has no default route for the family.
    case noDefaultGateway(AddressFamily)
    /// Listening on "all interfaces" found none that is up, multicast-capable and not loopback.
    case noListenableInterfaces(AddressFamily, available: [String])
    /// A Tx socket was asked to send to a group it was not created for.
    case groupNotDeclared(IPAddress, declared: [IPAddress])
    /// The kernel refused another membership (`net.ipv4.igmp_max_memberships` on IPv4).
    case tooManyMemberships(group: IPAddress, interface: String, limit: Int?)
    /// The kernel refused another source filter (`net.ipv4.igmp_max_msf` on IPv4).
    case tooManySources(group: IPAddress, interface: String, limit: Int?)
    /// The operation needs a privilege (root, CAP_NET_ADMIN, CAP_NET_RAW or a port >= 1024).
    case permissionDenied(operation: String)
    /// Another socket already holds the address and port.
    case addressInUse(address: String, port: UInt16)
    /// A TTL / hop limit outside 0...255.
    case invalidTTL(Int)
    /// A payload larger than one UDP datagram of this family can carry.
    case payloadTooLarge(size: Int, maximum: Int)
    /// The socket was used after ``McastRxSocket/close()`` or ``McastTxSocket/close()``.
    case closed
    /// An interface disappeared while a socket used it.
    case interfaceVanished(String)
    /// Any other system call failure, with the call and its errno.
    case system(operation: String, errno: Errno)
    /// The process ran out of file descriptors (EMFILE): each group needs a socket. Carries the
    /// soft and hard `RLIMIT_NOFILE` at the time.
    case tooManyOpenFiles(operation: String, soft: Int?, hard: Int?)
    /// The whole system ran out of file descriptors (ENFILE, `fs.file-max`).
    case systemFileTableFull(operation: String)

    /// The C `errno` behind a failed system call (`.system`), so callers can match it without
    /// importing SystemPackage for `Errno`; nil for the errors mcexpert itself detects.
    public var errnoCode: Int32? {
        if case .system(_, let errno) = self { return errno.rawValue }
        return nil
    }

    public var description: String {
        switch self {
        case .tooManyOpenFiles(let operation, let soft, let hard):
            let limits = soft.map { soft in "this process may open \(soft) descriptors (ulimit -n" + (hard.map { "; hard limit \($0))" } ?? ")") } ?? "the descriptor limit is reached"
            let raise = hard.map { hard in soft.map { $0 < hard } == true ? "raise it with `ulimit -n \(hard)` before starting" : "raise the hard limit (`ulimit -Hn` as root, or nofile in /etc/security/limits.conf)" }
                ?? "raise it with `ulimit -n`"
            return "\(operation) failed: too many open files: \(limits) and every group needs a socket; \(raise)"
        case .systemFileTableFull(let operation):
            return "\(operation) failed: the system's open-file table is full (fs.file-max); close other programs or raise it with `sysctl -w fs.file-max=N`"
        case .malformedAddress(let text):
            return "\"\(text)\" is not an IP address; expected e.g. 239.1.2.3 or ff15::1"
        case .notMulticast(let address):
            let range = address.family == .ipv4 ? "224.0.0.0-239.255.255.255" : "ff00::/8"
            return "\(address) is not a multicast address; multicast \(address.family) groups are in \(range) (239.x.x.x / ff15::x are free for private use)"
        case .familyMismatch(let address, let expected):
            return "\(address) is an \(address.family) address but this socket is \(expected)"
        case .invalidSource(let address):
            return "\(address) cannot be a source: sources are the unicast addresses of senders, e.g. 192.0.2.10"
        case .noGroups:
            return "no multicast group given; name at least one group, e.g. 239.1.2.3"
        case .interfaceNotFound(let spec, let available):
            return "interface \"\(spec)\" not found; available: \(available.joined(separator: ", "))"
        case .ambiguousInterface(let spec, let matches):
            return "interface \"\(spec)\" is ambiguous: it matches \(matches.joined(separator: " and ")); name the interface instead"
        case .noAddress(let interface, let family):
            return "interface \"\(interface)\" has no \(family) address; give it one (e.g. `ip addr add ... dev \(interface)`) or choose another interface"
        case .noDefaultGateway(let family):
            return "no \(family) default route in the routing table, so no default interface; name the interface explicitly"
        case .noListenableInterfaces(let family, let available):
            return "no up, multicast-capable, non-loopback interface has an \(family) address (interfaces: \(available.joined(separator: ", "))); name an interface explicitly"
        case .groupNotDeclared(let group, let declared):
            return "\(group) was not declared when this socket was created (declared: \(declared.map(\.description).joined(separator: ", "))); add it to the socket's groups"
        case .tooManyMemberships(let group, let interface, let limit):
            let limitText = limit.map { " (limit \($0))" } ?? ""
            return "the kernel refused to join \(group) on \(interface): too many memberships on one socket\(limitText); raise it with `sysctl -w net.ipv4.igmp_max_memberships=N`"
        case .tooManySources(let group, let interface, let limit):
            let limitText = limit.map { " (limit \($0))" } ?? ""
            return "the kernel refused another source for \(group) on \(interface): too many sources\(limitText); raise it with `sysctl -w net.ipv4.igmp_max_msf=N`"
        case .permissionDenied(let operation):
            return "permission denied: \(operation); run as root or grant the capability (e.g. `setcap cap_net_admin,cap_net_raw+ep`)"
        case .addressInUse(let address, let port):
            return "\(address) port \(port) is already in use by another socket; choose another port or stop the other program"
        case .invalidTTL(let ttl):
            return "TTL \(ttl) is out of range; valid values are 0...255 (1 keeps packets on the local network)"
        case .payloadTooLarge(let size, let maximum):
            return "payload of \(size) bytes is too large; one UDP datagram carries at most \(maximum) bytes"
        case .closed:
            return "the socket is closed"
        case .interfaceVanished(let name):
            return "interface \"\(name)\" disappeared"
        case .system(let operation, let errno):
            return "\(operation) failed: \(errno.description) (errno \(errno.rawValue))"
        }
    }
}

/// Something allowed but probably not what the caller meant; the socket works anyway.
public enum MulticastWarning: Sendable, Equatable, CustomStringConvertible {
    /// Sources were given for a group outside 232.0.0.0/8 / ff3x::/32. Linux does join
    /// source-specifically, but routers and switches may treat the group as any-source.
    case sourceFilterOutsideSSMRange(IPAddress)

    public var description: String {
        switch self {
        case .sourceFilterOutsideSSMRange(let group):
            let range = group.family == .ipv4 ? "232.0.0.0/8" : "ff3x::/32"
            return "\(group) is outside the source-specific range \(range); the source filter applies on this host, but routers may forward it as any-source multicast"
        }
    }
}
