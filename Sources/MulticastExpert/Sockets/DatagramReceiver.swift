#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMulticastShims
import SystemPackage

/// Reusable receive buffers and the code that turns a `recvmsg`/`recvmmsg` result, with its
/// ancillary data, into ``Datagram`` values.
///
/// One receiver per thread of receiving: it is not thread-safe, and allocates its buffers once.
final class DatagramReceiver {
    static let payloadCapacity = 65_536
    static let controlCapacity = 256

    let batchCapacity: Int
    private let payloads: UnsafeMutableRawBufferPointer
    private let controls: UnsafeMutableRawBufferPointer
    private let names: UnsafeMutablePointer<sockaddr_storage>
    private let iovecs: UnsafeMutablePointer<iovec>
    private let headers: UnsafeMutablePointer<mcx_mmsghdr>
    /// Slots whose name and control lengths the kernel overwrote in the last call.
    private var usedSlots = 0

    /// - Parameter batchCapacity: the most datagrams one `recvmmsg` call takes (64 KiB of buffer each).
    init(batchCapacity: Int = 1) {
        self.batchCapacity = max(1, batchCapacity)
        payloads = .allocate(byteCount: self.batchCapacity * Self.payloadCapacity, alignment: 16)
        controls = .allocate(byteCount: self.batchCapacity * Self.controlCapacity, alignment: 16)
        names = .allocate(capacity: self.batchCapacity)
        iovecs = .allocate(capacity: self.batchCapacity)
        headers = .allocate(capacity: self.batchCapacity)
        for i in 0..<self.batchCapacity {
            iovecs[i] = iovec(iov_base: payloads.baseAddress! + i * Self.payloadCapacity, iov_len: Self.payloadCapacity)
            var header = msghdr()
            header.msg_name = UnsafeMutableRawPointer(names + i)
            header.msg_iov = iovecs + i
            header.msg_iovlen = 1
            header.msg_control = controls.baseAddress! + i * Self.controlCapacity
            headers[i] = mcx_mmsghdr(msg_hdr: header, msg_len: 0)
        }
        usedSlots = self.batchCapacity
        prepare()
    }

    deinit {
        payloads.deallocate()
        controls.deallocate()
        names.deallocate()
        iovecs.deallocate()
        headers.deallocate()
    }

    /// Restores the lengths the kernel shortened in the slots it filled last time; everything
    /// else in the headers was set once (a batch of 64 would otherwise cost 64 rebuilds a call).
    private func prepare() {
        for i in 0..<usedSlots {
            headers[i].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            headers[i].msg_hdr.msg_controllen = Self.controlCapacity
        }
        usedSlots = 0
    }

    /// Reads one datagram without blocking; nil when nothing accepted is waiting.
    /// Datagrams that arrived on an interface the socket did not join are read and dropped.
    func receiveOne(from socket: GroupSocket) throws(Errno) -> Datagram? {
        while true {
            prepare()
            guard let length = try socket.descriptor.receive(&headers[0].msg_hdr) else { return nil }
            usedSlots = 1
            headers[0].msg_len = UInt32(length)
            if let datagram = decode(0, socket: socket) { return datagram }
        }
    }

    /// Reads up to `limit` waiting datagrams with one `recvmmsg` call, appending the accepted ones.
    /// Returns how many the kernel handed over (0 when nothing was waiting).
    func receiveBatch(from socket: GroupSocket, limit: Int, into output: inout [Datagram]) throws(Errno) -> Int {
        try receiveBatch(from: socket, limit: limit) { output.append($0.datagram) }
    }

    /// Reads up to `limit` waiting datagrams with one `recvmmsg` call and shows each accepted one
    /// to `visit` in place (no copies, no allocations). Returns how many the kernel handed over.
    func receiveBatch(from socket: GroupSocket, limit: Int, visit: (DatagramView) -> Void) throws(Errno) -> Int {
        let count = min(limit, batchCapacity)
        prepare()
        let received = try socket.descriptor.receiveBatch(headers, count: count)
        usedSlots = received
        for i in 0..<received {
            if let view = view(i, socket: socket) { visit(view) }
        }
        return received
    }

    /// Builds the datagram in slot `i`; nil when it came in on an interface the socket did not ask for.
    private func decode(_ i: Int, socket: GroupSocket) -> Datagram? {
        view(i, socket: socket)?.datagram
    }

    /// Shows the datagram in slot `i` in place; nil when it came in on an interface the socket did not ask for.
    private func view(_ i: Int, socket: GroupSocket) -> DatagramView? {
        let header = headers[i].msg_hdr
        let length = Int(headers[i].msg_len)
        var destination: IPAddress?
        var interfaceIndex: UInt32 = socket.interfaces.count == 1 ? socket.interfaces[0].index : 0
        var timestamp: Int64 = 0
        var drops: UInt32 = 0

        withUnsafePointer(to: header) { headerPointer in
            let message = UnsafeMutablePointer(mutating: headerPointer)
            var cmsg = mcx_cmsg_firsthdr(message)
            while let current = cmsg {
                let level = current.pointee.cmsg_level
                let type = current.pointee.cmsg_type
                let data = mcx_cmsg_data(current)!
                if level == Int32(IPPROTO_IP) && type == mcx_IP_PKTINFO() {
                    var address: UInt32 = 0
                    var index: Int32 = 0
                    mcx_read_in_pktinfo(data, &address, &index)
                    destination = .v4(IPv4Address(UInt32(bigEndian: address)))
                    interfaceIndex = UInt32(bitPattern: index)
                } else if level == Int32(IPPROTO_IPV6) && type == mcx_IPV6_PKTINFO() {
                    var bytes = InlineArray<16, UInt8>(repeating: 0)  // on the stack, not the heap
                    var index: Int32 = 0
                    withUnsafeMutableBytes(of: &bytes) { raw in
                        mcx_read_in6_pktinfo(data, raw.baseAddress!.assumingMemoryBound(to: UInt8.self), &index)
                        destination = .v6(IPv6Address(bytes: UnsafeRawBufferPointer(raw)))
                    }
                    interfaceIndex = UInt32(bitPattern: index)
                } else if level == SOL_SOCKET && type == mcx_SO_TIMESTAMPNS() {
                    timestamp = mcx_read_timespec_ns(data)
                } else if level == SOL_SOCKET && type == mcx_SO_RXQ_OVFL() {
                    drops = mcx_read_u32(data)
                }
                cmsg = mcx_cmsg_nxthdr(message, current)
            }
        }

        guard socket.accepts(interfaceIndex: interfaceIndex) else { return nil }
        let source = SocketAddress(UnsafeRawPointer(names + i)) ?? SocketAddress(address: socket.group.address, port: 0)
        let payloadStart = UnsafeRawBufferPointer(start: payloads.baseAddress! + i * Self.payloadCapacity, count: min(length, Self.payloadCapacity))
        return DatagramView(
            payload: payloadStart,
            source: source,
            group: destination.map { MulticastGroup(kernelDestination: $0, fallback: socket.group) } ?? socket.group,
            port: socket.port,
            interfaceIndex: interfaceIndex,
            interfaceName: socket.interfaceName(interfaceIndex),
            receivedAt: Timestamp(nanosecondsSinceEpoch: timestamp != 0 ? timestamp : wallClockNanoseconds()),
            isTruncated: header.msg_flags & Int32(MSG_TRUNC) != 0,
            socketDropCount: drops
        )
    }
}
