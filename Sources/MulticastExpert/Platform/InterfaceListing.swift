#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// Reads every interface and address of the calling thread's network namespace.
/// The corresponding C call is `getifaddrs(3)`; the index comes from `if_nametoindex(3)`.
func listInterfaces() throws(Errno) -> [NetworkInterface] {
    var head: UnsafeMutablePointer<ifaddrs>?
    guard getifaddrs(&head) == 0 else { throw lastErrno() }
    defer { freeifaddrs(head) }

    var order: [String] = []
    var byName: [String: NetworkInterface] = [:]
    var cursor = head
    while let entry = cursor {
        defer { cursor = entry.pointee.ifa_next }
        let name = String(cString: entry.pointee.ifa_name)
        if byName[name] == nil {
            let index = if_nametoindex(entry.pointee.ifa_name)
            byName[name] = NetworkInterface(name: name, index: index, flags: InterfaceFlags(rawValue: entry.pointee.ifa_flags))
            order.append(name)
        }
        guard let address = entry.pointee.ifa_addr, let parsed = SocketAddress(UnsafeRawPointer(address)) else { continue }
        let prefix = entry.pointee.ifa_netmask.map { prefixLength(of: UnsafeRawPointer($0), family: parsed.address.family) } ?? 0
        let item = InterfaceAddress(address: parsed.address, prefixLength: prefix, scopeID: parsed.scopeID)
        switch parsed.address.family {
        case .ipv4: byName[name]!.ipv4Addresses.append(item)
        case .ipv6: byName[name]!.ipv6Addresses.append(item)
        }
    }
    return order.compactMap { byName[$0] }.sorted { $0.index < $1.index }
}

/// Counts the one bits of a netmask `sockaddr`.
private func prefixLength(of raw: UnsafeRawPointer, family: AddressFamily) -> Int {
    switch family {
    case .ipv4:
        let sin = raw.loadUnaligned(as: sockaddr_in.self)
        return sin.sin_addr.s_addr.nonzeroBitCount
    case .ipv6:
        var sin6 = raw.loadUnaligned(as: sockaddr_in6.self)
        return withUnsafeBytes(of: &sin6.sin6_addr) { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
    }
}
