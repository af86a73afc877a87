#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMulticastShims
import SystemPackage

/// A socket that sends UDP datagrams to one or more multicast groups out of one interface.
///
/// ```swift
/// let tx = try McastTxSocket(groups: [try MulticastGroup(parsing: "239.1.2.3")], interface: "eth0")
/// try tx.send(Array("hello".utf8), to: tx.groups[0], port: 5000)
/// ```
///
/// The socket is bound to the interface's address (so datagrams carry that source address),
/// `IP_MULTICAST_IF`/`IPV6_MULTICAST_IF` names the interface, the TTL / hop limit defaults to 1
/// (no router forwards it) and this host's own receivers do not get copies unless `loopback`
/// is true. Close it with ``close()``, or let it go: it closes itself when released.
public final class McastTxSocket {
    /// The family of every group this socket sends to.
    public let family: AddressFamily
    /// The groups declared when the socket was made; sending elsewhere is an error, as in the seed.
    public let groups: [MulticastGroup]
    /// The interface datagrams leave by.
    public let interface: NetworkInterface
    /// The TTL (IPv4) or hop limit (IPv6).
    public let ttl: Int
    /// Whether this host's receivers get a copy of what is sent.
    public let loopback: Bool
    /// The local address and port datagrams come from.
    public let localAddress: SocketAddress

    private var descriptor: UDPSocketDescriptor?
    private var batchHeaders: UnsafeMutablePointer<mcx_mmsghdr>?
    private var batchVectors: UnsafeMutablePointer<iovec>?
    private var batchCapacity = 0

    /// Opens and configures the socket.
    ///
    /// - Parameters:
    ///   - family: IPv4 or IPv6; when nil it is taken from the groups (which must agree).
    ///   - groups: every group this socket will send to.
    ///   - interface: the interface to send on, by name, index or address (when named by an
    ///     address, datagrams are sent from that address). Default: the
    ///     interface of the default route, as in the seed — which is rarely what a test or lab
    ///     wants, so name it when you can.
    ///   - ttl: TTL / hop limit, 0...255. Default 1: the datagrams stay on the local network.
    ///   - loopback: deliver copies to this host's own receivers. Default false.
    ///   - sourcePort: a fixed local port to send from; default 0 lets the kernel pick one.
    ///   - interfaces: a table to resolve `interface` in; default: a fresh snapshot.
    /// - Throws: ``MulticastError`` naming the bad group, interface, TTL or port.
    public init(family: AddressFamily? = nil, groups: [MulticastGroup], interface: InterfaceSpecifier? = nil, ttl: Int = 1,
                loopback: Bool = false, sourcePort: UInt16 = 0, interfaces givenTable: InterfaceTable? = nil) throws(MulticastError) {
        guard let firstGroup = groups.first else { throw .noGroups }
        let family = family ?? firstGroup.family
        for group in groups where group.family != family { throw .familyMismatch(group.address, expected: family) }
        guard (0...255).contains(ttl) else { throw .invalidTTL(ttl) }

        let table: InterfaceTable
        if let givenTable { table = givenTable } else { table = try InterfaceTable.current() }
        let chosen: NetworkInterface
        if let interface {
            chosen = try table.interface(matching: interface)
        } else {
            chosen = try table.defaultGatewayInterface(for: family)
        }
        guard var bindAddress = chosen.sourceAddress(family) else { throw .noAddress(interface: chosen.name, family: family) }
        if case .address(let named) = interface {
            // Named by one of its addresses: send from exactly that address.
            guard named.family == family else { throw .familyMismatch(named, expected: family) }
            let needsScope: Bool = if case .v6(let a) = named { a.isLinkLocalUnicast } else { false }
            bindAddress = SocketAddress(address: named, port: 0, scopeID: needsScope ? chosen.index : 0)
        }
        bindAddress.port = sourcePort

        self.family = family
        self.groups = Array(Set(groups)).sorted()
        self.interface = chosen
        self.ttl = ttl
        self.loopback = loopback

        let descriptor: UDPSocketDescriptor
        do {
            descriptor = try UDPSocketDescriptor.open(family)
        } catch {
            throw .from(error, operation: "socket")
        }
        do {
            try descriptor.bind(to: bindAddress)
        } catch {
            descriptor.close()
            throw .from(error, operation: "bind to \(bindAddress)", address: bindAddress)
        }
        do {
            try descriptor.setMulticastInterface(chosen, family: family)
            try descriptor.setMulticastHops(Int32(ttl), family: family)
            try descriptor.setMulticastLoop(loopback, family: family)
            localAddress = try descriptor.localAddress()
        } catch {
            descriptor.close()
            throw .from(error, operation: "configure multicast sending on \(chosen.name)")
        }
        self.descriptor = descriptor
    }

    deinit {
        close()
    }

    /// Closes the socket. Calling it again does nothing; sending afterwards throws ``MulticastError/closed``.
    public func close() {
        descriptor?.close()
        descriptor = nil
        batchHeaders?.deallocate()
        batchVectors?.deallocate()
        batchHeaders = nil
        batchVectors = nil
        batchCapacity = 0
    }

    /// The file descriptor, for callers that poll for writability or set options of their own; nil once closed.
    public var fileDescriptor: FileDescriptor? { descriptor.map { FileDescriptor(rawValue: $0.rawValue) } }

    /// Sends one datagram. Blocks only if the socket's send buffer is full.
    ///
    /// - Throws: ``MulticastError/groupNotDeclared(_:declared:)`` for a group not given at creation,
    ///   ``MulticastError/payloadTooLarge(size:maximum:)``, or the system error.
    public func send(_ payload: UnsafeRawBufferPointer, to group: MulticastGroup, port: UInt16) throws(MulticastError) {
        let destination = try checkedDestination(group, port: port)
        guard payload.count <= family.maximumPayload else { throw .payloadTooLarge(size: payload.count, maximum: family.maximumPayload) }
        guard let descriptor else { throw .closed }
        while true {
            do {
                _ = try descriptor.send(payload, to: destination)
                return
            } catch .wouldBlock {
                var set = [pollfd(fd: descriptor.rawValue, events: Int16(POLLOUT), revents: 0)]
                _ = poll(&set, 1, 100)
            } catch {
                throw .from(error, operation: "send to \(destination)")
            }
        }
    }

    /// Sends one datagram from a byte array; see ``send(_:to:port:)-(UnsafeRawBufferPointer,_,_)``.
    public func send(_ payload: [UInt8], to group: MulticastGroup, port: UInt16) throws(MulticastError) {
        var failure: MulticastError?
        payload.withUnsafeBytes { buffer in
            do throws(MulticastError) { try send(buffer, to: group, port: port) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Sends many datagrams with as few system calls as possible (`sendmmsg(2)`).
    ///
    /// - Returns: how many were sent; fewer than `payloads.count` only when the send buffer
    ///   filled up and the socket would have blocked.
    @discardableResult
    public func send(batch payloads: [[UInt8]], to group: MulticastGroup, port: UInt16) throws(MulticastError) -> Int {
        let destination = try checkedDestination(group, port: port)
        if let large = payloads.first(where: { $0.count > family.maximumPayload }) {
            throw .payloadTooLarge(size: large.count, maximum: family.maximumPayload)
        }
        guard let descriptor else { throw .closed }
        if payloads.isEmpty { return 0 }
        ensureBatchCapacity(payloads.count)
        guard let headers = batchHeaders, let vectors = batchVectors else { throw .closed }

        return try destination.withSockAddr { (name, nameLength) throws(MulticastError) -> Int in
            var sent = 0
            // Pin every payload, fill the headers, send; repeat while the kernel takes a partial batch.
            return try withPinnedBuffers(payloads) { (buffers) throws(MulticastError) -> Int in
                for (i, buffer) in buffers.enumerated() {
                    vectors[i] = iovec(iov_base: UnsafeMutableRawPointer(mutating: buffer.baseAddress), iov_len: buffer.count)
                    var header = msghdr()
                    header.msg_name = UnsafeMutableRawPointer(mutating: name)
                    header.msg_namelen = nameLength
                    header.msg_iov = vectors + i
                    header.msg_iovlen = 1
                    headers[i] = mcx_mmsghdr(msg_hdr: header, msg_len: 0)
                }
                while sent < buffers.count {
                    do throws(Errno) {
                        let count = try descriptor.sendBatch(headers + sent, count: buffers.count - sent)
                        sent += count
                        if count == 0 { break }
                    } catch .wouldBlock {
                        break
                    } catch {
                        if sent > 0 { break }
                        throw .from(error, operation: "sendmmsg to \(destination)")
                    }
                }
                return sent
            }
        }
    }

    private func checkedDestination(_ group: MulticastGroup, port: UInt16) throws(MulticastError) -> SocketAddress {
        guard groups.contains(group) else { throw .groupNotDeclared(group.address, declared: groups.map(\.address)) }
        return SocketAddress(address: group.address, port: port, scopeID: group.needsScopeID ? interface.index : 0)
    }

    private func ensureBatchCapacity(_ count: Int) {
        guard count > batchCapacity else { return }
        batchHeaders?.deallocate()
        batchVectors?.deallocate()
        batchHeaders = .allocate(capacity: count)
        batchVectors = .allocate(capacity: count)
        batchCapacity = count
    }
}

/// Calls `body` with stable pointers to every buffer at once.
private func withPinnedBuffers<R>(_ arrays: [[UInt8]], _ body: ([UnsafeRawBufferPointer]) throws(MulticastError) -> R) throws(MulticastError) -> R {
    let total = arrays.reduce(0) { $0 + $1.count }
    let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 8)
    defer { storage.deallocate() }
    var buffers: [UnsafeRawBufferPointer] = []
    buffers.reserveCapacity(arrays.count)
    var offset = 0
    for array in arrays {
        let slice = UnsafeMutableRawBufferPointer(rebasing: storage[offset..<offset + array.count])
        array.withUnsafeBytes { slice.copyMemory(from: $0) }
        buffers.append(UnsafeRawBufferPointer(slice))
        offset += array.count
    }
    return try body(buffers)
}
