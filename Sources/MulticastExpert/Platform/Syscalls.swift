#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMulticastShims
import SystemPackage

// The one place where raw socket calls happen. Each wrapper turns -1/errno into a thrown
// `Errno` exactly once; everything above speaks in SocketAddress, MulticastGroup, Datagram.

/// The errno of the last failed call on this thread, typed.
@inline(__always)
func lastErrno() -> Errno { Errno(rawValue: errno) }

/// Retries a call that failed with EINTR; throws the errno of any other failure.
@inline(__always)
func retryingOnInterrupt(_ call: () -> Int32) throws(Errno) -> Int32 {
    while true {
        let result = call()
        if result >= 0 { return result }
        let code = lastErrno()
        if code != Errno.interrupted { throw code }
    }
}

@inline(__always)
func retryingOnInterrupt(_ call: () -> Int) throws(Errno) -> Int {
    while true {
        let result = call()
        if result >= 0 { return result }
        let code = lastErrno()
        if code != Errno.interrupted { throw code }
    }
}

/// A UDP socket's file descriptor, with the calls the library makes on it.
struct UDPSocketDescriptor: Sendable, Hashable {
    let rawValue: Int32

    /// Opens a non-blocking, close-on-exec UDP socket. The corresponding C call is `socket(2)`.
    static func open(_ family: AddressFamily) throws(Errno) -> UDPSocketDescriptor {
        #if os(Linux)
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_DGRAM
        #endif
        let fd = socket(family.socketDomain, type, Int32(IPPROTO_UDP))
        guard fd >= 0 else { throw lastErrno() }
        return UDPSocketDescriptor(rawValue: fd)
    }

    /// The corresponding C call is `setsockopt(2)`.
    func setOption<T>(level: Int32, name: Int32, value: T) throws(Errno) {
        var value = value
        let result = withUnsafePointer(to: &value) {
            setsockopt(rawValue, level, name, $0, socklen_t(MemoryLayout<T>.size))
        }
        guard result == 0 else { throw lastErrno() }
    }

    /// Sets an integer option. The corresponding C call is `setsockopt(2)`.
    func setOption(level: Int32, name: Int32, _ value: Int32) throws(Errno) {
        try setOption(level: level, name: name, value: value)
    }

    /// Reads an integer option. The corresponding C call is `getsockopt(2)`.
    func intOption(level: Int32, name: Int32) throws(Errno) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(rawValue, level, name, &value, &length) == 0 else { throw lastErrno() }
        return value
    }

    /// The corresponding C call is `bind(2)`.
    func bind(to address: SocketAddress) throws(Errno) {
        let result = address.withSockAddr { pointer, length in
            #if canImport(Glibc)
            Glibc.bind(rawValue, pointer, length)
            #else
            Darwin.bind(rawValue, pointer, length)
            #endif
        }
        guard result == 0 else { throw lastErrno() }
    }

    /// The local address the socket is bound to. The corresponding C call is `getsockname(2)`.
    func localAddress() throws(Errno) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(rawValue, $0, &length) }
        }
        guard result == 0 else { throw lastErrno() }
        guard let address = withUnsafeBytes(of: &storage, { SocketAddress($0.baseAddress!) }) else { throw Errno.addressFamilyNotSupported }
        return address
    }

    /// Sends one datagram. The corresponding C call is `sendto(2)`.
    func send(_ payload: UnsafeRawBufferPointer, to destination: SocketAddress) throws(Errno) -> Int {
        try retryingOnInterrupt { () -> Int in
            destination.withSockAddr { pointer, length in
                sendto(rawValue, payload.baseAddress, payload.count, Int32(MSG_NOSIGNAL), pointer, length)
            }
        }
    }

    /// Receives into a prepared message header, without blocking. The corresponding C call is `recvmsg(2)`.
    /// Returns nil when nothing is waiting (EAGAIN).
    func receive(_ message: UnsafeMutablePointer<msghdr>) throws(Errno) -> Int? {
        do {
            return try retryingOnInterrupt { recvmsg(rawValue, message, Int32(MSG_DONTWAIT)) }
        } catch .wouldBlock {
            return nil
        }
    }

    /// Receives up to `count` datagrams without blocking. The corresponding C call is `recvmmsg(2)`.
    /// Returns 0 when nothing is waiting.
    func receiveBatch(_ messages: UnsafeMutablePointer<mcx_mmsghdr>, count: Int) throws(Errno) -> Int {
        do {
            return Int(try retryingOnInterrupt { mcx_recvmmsg(rawValue, messages, UInt32(count), Int32(MSG_DONTWAIT), nil) })
        } catch .wouldBlock {
            return 0
        }
    }

    /// Sends up to `count` prepared datagrams. The corresponding C call is `sendmmsg(2)`.
    func sendBatch(_ messages: UnsafeMutablePointer<mcx_mmsghdr>, count: Int) throws(Errno) -> Int {
        Int(try retryingOnInterrupt { mcx_sendmmsg(rawValue, messages, UInt32(count), Int32(MSG_NOSIGNAL)) })
    }

    /// Duplicates the descriptor so another owner can keep the socket open. The C call is `fcntl(F_DUPFD_CLOEXEC)`.
    func duplicate() throws(Errno) -> UDPSocketDescriptor {
        let fd = fcntl(rawValue, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else { throw lastErrno() }
        return UDPSocketDescriptor(rawValue: fd)
    }

    /// The corresponding C call is `close(2)`.
    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(rawValue)
        #else
        _ = Darwin.close(rawValue)
        #endif
    }
}

/// Waits until one of `descriptors` is readable. The corresponding C call is `poll(2)`.
/// - Parameter timeoutMilliseconds: -1 waits forever, 0 returns at once.
/// - Returns: the indices of readable descriptors (empty on timeout).
func waitReadable(_ pollSet: inout [pollfd], timeoutMilliseconds: Int32) throws(Errno) -> Bool {
    for i in pollSet.indices { pollSet[i].revents = 0 }
    while true {
        let result = poll(&pollSet, nfds_t(pollSet.count), timeoutMilliseconds)
        if result >= 0 { return result > 0 }
        let code = lastErrno()
        if code != Errno.interrupted { throw code }
    }
}

/// Looks up an interface's name from its index. The corresponding C call is `if_indextoname(3)`.
func interfaceName(forIndex index: UInt32) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
    guard if_indextoname(index, &buffer) != nil else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The current wall-clock time in nanoseconds since the Unix epoch (`clock_gettime(CLOCK_REALTIME)`).
func wallClockNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Nanoseconds on the monotonic clock (`CLOCK_MONOTONIC`): the time base of deadlines and rate
/// windows, which must not jump when the wall clock is set.
package func monotonicNanoseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// Milliseconds on the monotonic clock, for poll deadlines.
func monotonicMilliseconds() -> Int64 { monotonicNanoseconds() / 1_000_000 }
