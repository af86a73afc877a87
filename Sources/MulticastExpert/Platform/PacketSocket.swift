#if canImport(Glibc)
import Glibc
#endif
import CMulticastShims
import SystemPackage

/// A link-layer packet socket that sees every frame of every interface of the calling thread's
/// network namespace, before the IP layer filters anything (reverse-path filtering included).
///
/// The doctor and `mcexpert igmp` hear IGMP and MLD through it. Opening one needs `CAP_NET_RAW`. The socket
/// is non-blocking: ``receive(into:)`` returns nil when nothing is waiting, and
/// ``waitReadable(timeoutMilliseconds:)`` waits for the next frame. Linux only.
package struct PacketSocket: Sendable, Hashable {
    /// The socket's file descriptor.
    package let rawValue: Int32

    /// How a frame reached the socket, from `sockaddr_ll.sll_pkttype`.
    package struct PacketType: RawRepresentable, Sendable, Hashable {
        package var rawValue: Int32
        package init(rawValue: Int32) { self.rawValue = rawValue }

        /// Addressed to this host (`PACKET_HOST`).
        package static let host = PacketType(rawValue: 0)
        /// A link-layer broadcast (`PACKET_BROADCAST`).
        package static let broadcast = PacketType(rawValue: 1)
        /// A link-layer multicast (`PACKET_MULTICAST`).
        package static let multicast = PacketType(rawValue: 2)
        /// Addressed to another host, seen in promiscuous mode (`PACKET_OTHERHOST`).
        package static let otherHost = PacketType(rawValue: 3)
        /// Sent by this host (`PACKET_OUTGOING`): its own frames, looped back to the socket.
        package static let outgoing = PacketType(rawValue: 4)
    }

    /// One received frame: where its network-layer packet sits in the caller's buffer and where it came from.
    package struct Frame: Sendable, Hashable {
        /// Bytes of the network-layer packet written to the buffer (at most the buffer's size).
        package var byteCount: Int
        /// The interface it arrived on (or left by, for ``PacketType/outgoing``).
        package var interfaceIndex: Int
        /// The EtherType, host order: 0x0800 IPv4, 0x86DD IPv6.
        package var etherType: Int
        /// How the frame reached the socket.
        package var packetType: PacketType
    }

    /// Opens a non-blocking, close-on-exec packet socket for every protocol (`ETH_P_ALL`), in
    /// `SOCK_DGRAM` mode so frames arrive without their link-layer header.
    ///
    /// - Throws: `Errno.notPermitted` (`EPERM`) without `CAP_NET_RAW`. The corresponding C call is
    ///   `socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL))`.
    package static func open() throws(Errno) -> PacketSocket {
        let fd = mcx_packet_socket()
        guard fd >= 0 else { throw lastErrno() }
        return PacketSocket(rawValue: fd)
    }

    /// Lets through only IGMP frames and IPv6 frames that start with a hop-by-hop header (as
    /// every MLD message does), filtered in the kernel by a classic BPF program: without it the
    /// socket gets a copy of every frame of every interface, which doubles the CPU of a host
    /// receiving a fast stream. Frames queued before the call may still arrive; callers validate
    /// every frame anyway. The corresponding C call is `setsockopt(SOL_SOCKET, SO_ATTACH_FILTER)`.
    package func acceptOnlyIGMPAndMLD() throws(Errno) {
        guard mcx_packet_filter_igmp_mld(rawValue) == 0 else { throw lastErrno() }
    }

    /// Whether this process may open a packet socket (has `CAP_NET_RAW` in its network namespace).
    /// Finds out by opening one and closing it at once.
    package static func isPermitted() -> Bool {
        guard let socket = try? open() else { return false }
        socket.close()
        return true
    }

    /// Asks `interfaceIndex` to pass up every link-layer multicast frame, not only those of the
    /// groups this host has joined (`PACKET_MR_ALLMULTI`), so reports other hosts send to their
    /// groups, to 224.0.0.22 or to ff02::16 reach the socket on a network card that filters
    /// multicast in hardware. The kernel undoes it when the socket closes.
    ///
    /// - Throws: `Errno` (`ENODEV` for an interface that is gone). The corresponding C call is
    ///   `setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP)` with a `struct packet_mreq`.
    package func receiveAllMulticast(interfaceIndex: Int) throws(Errno) {
        // struct packet_mreq { int mr_ifindex; unsigned short mr_type, mr_alen; unsigned char mr_address[8]; }
        // from <linux/if_packet.h>, which Glibc does not import: 16 bytes, laid out by hand.
        var request = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: Int32(truncatingIfNeeded: interfaceIndex)) { for (i, byte) in $0.enumerated() { request[i] = byte } }
        withUnsafeBytes(of: UInt16(2)) { for (i, byte) in $0.enumerated() { request[4 + i] = byte } }  // PACKET_MR_ALLMULTI
        let solPacket: Int32 = 263, addMembership: Int32 = 1  // SOL_PACKET, PACKET_ADD_MEMBERSHIP
        _ = try retryingOnInterrupt { () -> Int32 in
            request.withUnsafeBytes { setsockopt(rawValue, solPacket, addMembership, $0.baseAddress, socklen_t($0.count)) }
        }
    }

    /// Receives one waiting frame into `buffer`, without blocking; a longer frame is cut to the
    /// buffer's size. Returns nil when nothing is waiting (`EAGAIN`). EINTR is retried.
    /// The corresponding C call is `recvfrom(2)` with a `struct sockaddr_ll`.
    package func receive(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Frame? {
        var interfaceIndex: Int32 = 0, etherType: Int32 = 0, packetType: Int32 = 0
        let count: Int
        do {
            count = try retryingOnInterrupt { () -> Int in
                mcx_packet_recv(rawValue, buffer.baseAddress, buffer.count, &interfaceIndex, &etherType, &packetType)
            }
        } catch .wouldBlock {
            return nil
        }
        return Frame(byteCount: min(count, buffer.count), interfaceIndex: Int(interfaceIndex), etherType: Int(etherType),
                     packetType: PacketType(rawValue: packetType))
    }

    /// Waits until a frame is waiting or `timeoutMilliseconds` pass (-1 waits forever, 0 returns at
    /// once). Returns whether the socket is readable. EINTR is retried with the same timeout, so
    /// callers with a deadline pass short timeouts and look at their clock between waits.
    /// The corresponding C call is `poll(2)`.
    package func waitReadable(timeoutMilliseconds: Int32) throws(Errno) -> Bool {
        var set = [pollfd(fd: rawValue, events: Int16(POLLIN), revents: 0)]
        let ready = try retryingOnInterrupt { poll(&set, 1, timeoutMilliseconds) }
        return ready > 0 && set[0].revents != 0
    }

    /// Closes the socket. The corresponding C call is `close(2)`.
    package func close() {
        _ = Glibc.close(rawValue)
    }
}
