#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMulticastShims
import SystemPackage

/// A datagram as a group member that also sends to the group sees it: with the TTL or hop limit
/// it arrived with, which tells how many routers it crossed.
public struct PeerDatagram: Sendable, Hashable {
    /// The bytes received (at most ``McastPeerSocket/payloadCapacity``).
    public var payload: [UInt8]
    /// The sender's address and port.
    public var source: SocketAddress
    /// The arrival TTL (IPv4) or hop limit (IPv6); nil when the kernel did not say.
    public var hopLimit: Int?
    /// The interface it arrived on (from `IP_PKTINFO` / `IPV6_PKTINFO`).
    public var interfaceIndex: UInt32
    /// When it arrived (kernel timestamp, wall clock).
    public var receivedAt: Timestamp
    /// Whether it was longer than the buffer and was cut.
    public var isTruncated: Bool

    /// Makes a datagram value (for tests and replays).
    public init(payload: [UInt8], source: SocketAddress, hopLimit: Int?, interfaceIndex: UInt32, receivedAt: Timestamp, isTruncated: Bool = false) {
        self.payload = payload
        self.source = source
        self.hopLimit = hopLimit
        self.interfaceIndex = interfaceIndex
        self.receivedAt = receivedAt
        self.isTruncated = isTruncated
    }
}

/// One socket that both sends to a multicast group and receives from it on one interface, as a
/// participant of an all-pairs test (`mcexpert mesh`) does: every member sends to the group and
/// listens on it.
///
/// The socket is bound to the group and port (so nothing sent to other groups or to a unicast
/// address on the port arrives), `IP_MULTICAST_ALL` off, joined on the interface by index
/// (unless `join` is false: a send-only member, which snooping switches then stop forwarding
/// the group to), sends out of the same interface with the given TTL, and reports each
/// arrival's TTL/hop limit (`IP_RECVTTL` / `IPV6_RECVHOPLIMIT`). Datagrams go out from the
/// group's port. Own-loopback is on by default, so the member hears itself — which says its own
/// socket is joined and delivering.
///
/// Not for concurrent use from several threads. Closes itself when released.
public final class McastPeerSocket {
    /// The longest datagram read whole; longer ones are cut and marked truncated.
    public static let payloadCapacity = 2048

    /// The group sent to and listened on.
    public let group: MulticastGroup
    /// The UDP port (destination, and source of what this socket sends).
    public let port: UInt16
    /// The interface joined and sent on.
    public let interface: NetworkInterface
    /// Whether the group is joined (false: send-only).
    public let isJoined: Bool
    /// The address this socket's datagrams leave from (the interface's, as the kernel chooses it
    /// for multicast; the port is ``port``).
    public let sourceAddress: IPAddress?

    private var descriptor: UDPSocketDescriptor?
    private let buffer: UnsafeMutableRawBufferPointer
    private let control: UnsafeMutableRawBufferPointer

    /// Opens, binds and joins.
    ///
    /// - Parameters:
    ///   - group: the group (IPv4 or IPv6).
    ///   - port: the UDP port.
    ///   - interface: the interface by name, index or address; it must have an address of the group's family.
    ///   - ttl: TTL / hop limit of what is sent, 0...255. Default 1: the datagrams stay on the link.
    ///   - join: join the group (default true); false makes a send-only member.
    ///   - loopback: deliver this socket's own datagrams back to it (default true).
    ///   - table: a table to resolve `interface` in; default: a fresh snapshot.
    /// - Throws: ``MulticastError`` naming the bad interface or TTL, or the kernel's refusal.
    public init(group: MulticastGroup, port: UInt16, interface specifier: InterfaceSpecifier, ttl: Int = 1, join: Bool = true,
                loopback: Bool = true, interfaceTable givenTable: InterfaceTable? = nil) throws(MulticastError) {
        guard (0...255).contains(ttl) else { throw .invalidTTL(ttl) }
        let table: InterfaceTable
        if let givenTable { table = givenTable } else { table = try InterfaceTable.current() }
        let chosen = try table.interface(matching: specifier)
        let family = group.family
        guard let source = chosen.sourceAddress(family) else { throw .noAddress(interface: chosen.name, family: family) }
        self.group = group
        self.port = port
        self.interface = chosen
        self.isJoined = join
        self.sourceAddress = source.address
        buffer = .allocate(byteCount: Self.payloadCapacity, alignment: 16)
        control = .allocate(byteCount: 256, alignment: 16)

        let descriptor: UDPSocketDescriptor
        do {
            descriptor = try UDPSocketDescriptor.open(family)
        } catch {
            throw .from(error, operation: "socket")
        }
        let bindAddress = SocketAddress(address: group.address, port: port, scopeID: group.needsScopeID ? chosen.index : 0)
        do {
            try descriptor.allowAddressReuse()
            try descriptor.bind(to: bindAddress)
        } catch {
            descriptor.close()
            throw .from(error, operation: "bind to \(bindAddress)", address: bindAddress)
        }
        do {
            try descriptor.disableMulticastAll(family: family)
            try descriptor.enableReceiveMetadata(family: family)
            try descriptor.enableReceiveHopLimit(family: family)
            try descriptor.setMulticastInterface(chosen, family: family)
            try descriptor.setMulticastHops(Int32(ttl), family: family)
            try descriptor.setMulticastLoop(loopback, family: family)
            if join { try descriptor.join(group, interfaceIndex: chosen.index, source: nil) }
        } catch {
            descriptor.close()
            throw .from(error, operation: "join \(group) on \(chosen.name)")
        }
        self.descriptor = descriptor
    }

    deinit {
        close()
        buffer.deallocate()
        control.deallocate()
    }

    /// Closes the socket (leaving the group). Calling it again does nothing.
    public func close() {
        descriptor?.close()
        descriptor = nil
    }

    /// Sends one datagram to the group. The corresponding C call is `sendto(2)`.
    public func send(_ payload: [UInt8]) throws(MulticastError) {
        guard let descriptor else { throw .closed }
        let destination = SocketAddress(address: group.address, port: port, scopeID: group.needsScopeID ? interface.index : 0)
        let result = payload.withUnsafeBytes { bytes -> Result<Int, Errno> in
            do throws(Errno) { return .success(try descriptor.send(bytes, to: destination)) } catch { return .failure(error) }
        }
        if case .failure(let error) = result {
            throw .from(error, operation: "send to \(group) port \(port) on \(interface.name)")
        }
    }

    /// Receives one datagram, waiting up to `timeoutMilliseconds` (0: do not wait). Datagrams
    /// that arrived on another interface (IPv6 delivers a group to every socket bound to it) are
    /// read and dropped. Returns nil when nothing came in time.
    public func receive(timeoutMilliseconds: Int32) throws(MulticastError) -> PeerDatagram? {
        guard let descriptor else { throw .closed }
        var pollSet = [pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)]
        do {
            if timeoutMilliseconds > 0, !(try waitReadable(&pollSet, timeoutMilliseconds: timeoutMilliseconds)) { return nil }
            while true {
                guard let datagram = try receiveWaiting(descriptor) else { return nil }
                if datagram.interfaceIndex == 0 || datagram.interfaceIndex == interface.index { return datagram }
            }
        } catch {
            throw .from(error, operation: "receive on \(group) port \(port)")
        }
    }

    private func receiveWaiting(_ descriptor: UDPSocketDescriptor) throws(Errno) -> PeerDatagram? {
        var name = sockaddr_storage()
        var vector = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
        return try withUnsafeMutablePointer(to: &name) { (namePointer) throws(Errno) -> PeerDatagram? in
            try withUnsafeMutablePointer(to: &vector) { (vectorPointer) throws(Errno) -> PeerDatagram? in
                var message = msghdr()
                message.msg_name = UnsafeMutableRawPointer(namePointer)
                message.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                message.msg_iov = vectorPointer
                message.msg_iovlen = 1
                message.msg_control = control.baseAddress
                message.msg_controllen = control.count
                guard let length = try descriptor.receive(&message) else { return nil }
                var hopLimit: Int?
                var interfaceIndex: UInt32 = 0
                var timestamp: Int64 = 0
                var cmsg = mcx_cmsg_firsthdr(&message)
                while let current = cmsg {
                    let level = current.pointee.cmsg_level
                    let type = current.pointee.cmsg_type
                    let data = mcx_cmsg_data(current)!
                    if ReceivedHopLimit.isHopLimit(level: level, type: type) {
                        hopLimit = Int(Int32(bitPattern: mcx_read_u32(data)))
                    } else if level == Int32(IPPROTO_IP) && type == mcx_IP_PKTINFO() {
                        var address: UInt32 = 0
                        var index: Int32 = 0
                        mcx_read_in_pktinfo(data, &address, &index)
                        interfaceIndex = UInt32(bitPattern: index)
                    } else if level == Int32(IPPROTO_IPV6) && type == mcx_IPV6_PKTINFO() {
                        var address = [UInt8](repeating: 0, count: 16)
                        var index: Int32 = 0
                        mcx_read_in6_pktinfo(data, &address, &index)
                        interfaceIndex = UInt32(bitPattern: index)
                    } else if level == SOL_SOCKET && type == mcx_SO_TIMESTAMPNS() {
                        timestamp = mcx_read_timespec_ns(data)
                    }
                    cmsg = mcx_cmsg_nxthdr(&message, current)
                }
                let source = SocketAddress(UnsafeRawPointer(namePointer)) ?? SocketAddress(address: group.address, port: 0)
                let kept = min(length, buffer.count)
                return PeerDatagram(
                    payload: Array(UnsafeRawBufferPointer(start: buffer.baseAddress, count: kept)),
                    source: source, hopLimit: hopLimit, interfaceIndex: interfaceIndex,
                    receivedAt: Timestamp(nanosecondsSinceEpoch: timestamp != 0 ? timestamp : wallClockNanoseconds()),
                    isTruncated: message.msg_flags & Int32(MSG_TRUNC) != 0)
            }
        }
    }
}
