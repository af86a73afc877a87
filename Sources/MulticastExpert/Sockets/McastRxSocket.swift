#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// A receiver for one or more multicast groups on one port, on one, several or all interfaces.
///
/// ```swift
/// let rx = try McastRxSocket(groups: [try MulticastGroup(parsing: "239.1.2.3")], port: 5000, interfaces: ["eth0"])
/// if let datagram = try rx.receive() {
///     print(datagram.group, datagram.interfaceName, datagram.source, datagram.payload.count)
/// }
/// ```
///
/// Under the hood there is one OS socket per group (one per group and interface for IPv6
/// link-scoped groups), each bound to the group address — so traffic to other groups or to a
/// unicast address on the same port never arrives — with `IP_MULTICAST_ALL` off and joined on
/// every interface by index. With no interfaces named it listens on every up,
/// multicast-capable, non-loopback interface that has an address of the family (the seed's
/// multi-interface mode). With sources it joins source-specifically (IGMPv3 / MLDv2), for IPv6 too.
///
/// Not for concurrent use from several threads; use ``datagrams(bufferingNewest:)`` to hand
/// datagrams to Swift concurrency. Closes itself when released.
public final class McastRxSocket {
    /// The family of every group.
    public let family: AddressFamily
    /// The UDP port listened on.
    public let port: UInt16
    /// The interfaces joined on.
    public let interfaces: [NetworkInterface]
    /// The sources of a source-specific join; empty for any-source.
    public let sources: [IPAddress]
    /// Things allowed but probably unintended, found while opening (e.g. sources for a non-SSM group).
    public private(set) var warnings: [MulticastWarning] = []
    /// How ``receive()`` and ``receiveBatch(maxCount:)`` wait; change it at any time.
    public var mode: ReceiveMode

    private var sockets: [GroupSocket] = []
    private var pollSet: [pollfd] = []
    private var nextSocket = 0
    private let receiver: DatagramReceiver
    private var isClosed = false

    /// Opens the sockets, binds them and joins every group on every interface.
    ///
    /// - Parameters:
    ///   - family: IPv4 or IPv6; when nil it is taken from the groups (which must agree).
    ///   - groups: the groups to receive; a group listed twice is joined once.
    ///   - port: the UDP port.
    ///   - interfaces: where to join, by name, index or address; empty (the default) means every
    ///     up, multicast-capable, non-loopback interface with an address of the family.
    ///   - sources: when not empty, receive only from these senders (source-specific multicast).
    ///   - mode: how receive calls wait; default ``ReceiveMode/blocking``.
    ///   - batchCapacity: the most datagrams ``receiveBatch(maxCount:)`` reads per system call.
    ///   - table: a table to resolve `interfaces` in; default: a fresh snapshot.
    /// - Throws: ``MulticastError`` naming the bad group, interface or source, or the kernel's refusal.
    public init(family: AddressFamily? = nil, groups: [MulticastGroup], port: UInt16, interfaces specifiers: [InterfaceSpecifier] = [],
                sources: [IPAddress] = [], mode: ReceiveMode = .blocking, batchCapacity: Int = 64,
                interfaceTable givenTable: InterfaceTable? = nil) throws(MulticastError) {
        guard let firstGroup = groups.first else { throw .noGroups }
        let family = family ?? firstGroup.family
        for group in groups where group.family != family { throw .familyMismatch(group.address, expected: family) }
        for source in sources where source.family != family { throw .familyMismatch(source, expected: family) }
        if let bad = sources.first(where: \.isMulticast) { throw .invalidSource(bad) }

        let table: InterfaceTable
        if let givenTable { table = givenTable } else { table = try InterfaceTable.current() }
        var chosen: [NetworkInterface] = []
        if specifiers.isEmpty {
            chosen = table.listenable(for: family)
            guard !chosen.isEmpty else { throw .noListenableInterfaces(family, available: table.interfaces.map(\.name)) }
        } else {
            for specifier in specifiers {
                let interface = try table.interface(matching: specifier)
                guard !interface.addresses(family).isEmpty else { throw .noAddress(interface: interface.name, family: family) }
                if !chosen.contains(where: { $0.index == interface.index }) { chosen.append(interface) }
            }
        }

        self.family = family
        self.port = port
        self.interfaces = chosen
        self.sources = Array(Set(sources)).sorted()
        self.mode = mode
        self.receiver = DatagramReceiver(batchCapacity: batchCapacity)
        do {
            for group in Set(groups).sorted() { try openSockets(for: group, rebuildingPollSet: false) }
            rebuildPollSet()  // once, not once per group: thousands of groups would make it quadratic
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// The groups currently joined.
    public var groups: [MulticastGroup] { Array(Set(sockets.map(\.group))).sorted() }

    /// One file descriptor per OS socket, for callers that poll or epoll many receivers at once.
    /// A descriptor is readable when ``receive()`` would return a datagram without waiting
    /// (except for the rare datagram dropped because it arrived on an interface not asked for).
    public var fileDescriptors: [FileDescriptor] { sockets.map { FileDescriptor(rawValue: $0.descriptor.rawValue) } }

    /// Joins one more group on the same port, interfaces and sources; joining a joined group does nothing.
    public func join(_ group: MulticastGroup) throws(MulticastError) {
        guard !isClosed else { throw .closed }
        guard group.family == family else { throw .familyMismatch(group.address, expected: family) }
        guard !sockets.contains(where: { $0.group == group }) else { return }
        try openSockets(for: group)
    }

    /// Leaves a group: the kernel stops delivering it (and sends an IGMP/MLD leave) and its
    /// sockets close. Leaving a group not joined does nothing.
    public func leave(_ group: MulticastGroup) {
        for socket in sockets where socket.group == group {
            for interface in socket.interfaces {
                if socket.sources.isEmpty {
                    try? socket.descriptor.leave(group, interfaceIndex: interface.index, source: nil)
                } else {
                    for source in socket.sources { try? socket.descriptor.leave(group, interfaceIndex: interface.index, source: source) }
                }
            }
            socket.descriptor.close()
        }
        sockets.removeAll { $0.group == group }
        rebuildPollSet()
    }

    /// Closes every OS socket (leaving all groups). Calling it again does nothing.
    public func close() {
        for socket in sockets { socket.descriptor.close() }
        sockets = []
        pollSet = []
        isClosed = true
    }

    /// Receives one datagram, waiting as ``mode`` says.
    ///
    /// - Returns: the datagram, or nil when the timeout passed or (non-blocking) nothing was waiting.
    public func receive() throws(MulticastError) -> Datagram? {
        try receive(mode: mode)
    }

    /// Receives one datagram, waiting as `mode` says this once.
    public func receive(mode: ReceiveMode) throws(MulticastError) -> Datagram? {
        var batch: [Datagram] = []
        try receive(into: &batch, maxCount: 1, mode: mode)
        return batch.first
    }

    /// Receives up to `maxCount` datagrams: waits as ``mode`` says for the first, then takes what
    /// else is already waiting, with `recvmmsg(2)` (one system call for many datagrams).
    ///
    /// - Returns: the datagrams, empty when the wait ended with none.
    public func receiveBatch(maxCount: Int = 64) throws(MulticastError) -> [Datagram] {
        var batch: [Datagram] = []
        batch.reserveCapacity(min(maxCount, 256))
        try receive(into: &batch, maxCount: maxCount, mode: mode)
        return batch
    }

    /// Reads up to `maxCount` datagrams waiting on one of this receiver's descriptors, without
    /// waiting, and shows each to `visit` in place (``DatagramView``): no copy, no allocation per
    /// datagram. For callers that poll ``fileDescriptors`` themselves (epoll) and know which one
    /// is ready. Returns how many were read; 0 for a descriptor that is not this receiver's.
    @discardableResult
    public func receiveBatch(fromDescriptor descriptor: FileDescriptor, maxCount: Int = 64, _ visit: (DatagramView) -> Void) throws(MulticastError) -> Int {
        guard !isClosed else { throw .closed }
        guard let socket = sockets.first(where: { $0.descriptor.rawValue == descriptor.rawValue }) else { return 0 }
        var total = 0
        do {
            while total < maxCount {
                let asked = min(maxCount - total, receiver.batchCapacity)
                let got = try receiver.receiveBatch(from: socket, limit: asked, visit: visit)
                total += got
                if got < asked { break }  // the queue is drained: no extra call just to hear EAGAIN
            }
        } catch {
            throw .from(error, operation: "receive on \(socket.group) port \(port)")
        }
        return total
    }

    /// Applies an integer socket option to every OS socket — for advanced needs the library does
    /// not cover (e.g. ``SocketOption/priority``). The corresponding C call is `setsockopt(2)`.
    public func setOption(_ option: SocketOption, to value: Int32) throws(MulticastError) {
        for socket in sockets {
            do { try socket.descriptor.setOption(level: option.level, name: option.name, value) } catch {
                throw .from(error, operation: "setsockopt(\(option))")
            }
        }
    }

    /// Asks for a receive buffer of `bytes` on every OS socket and returns what the kernel
    /// granted (it caps the request at `net.core.rmem_max`, then doubles it).
    ///
    /// - Parameter beyondSystemLimit: when true and the process holds `CAP_NET_ADMIN`, the
    ///   request is not capped by `net.core.rmem_max` (`SO_RCVBUFFORCE`); without the capability
    ///   it quietly falls back to the capped request. Only this socket is affected, never the
    ///   system setting. Default false.
    @discardableResult
    public func requestReceiveBufferSize(_ bytes: Int, beyondSystemLimit: Bool = false) throws(MulticastError) -> Int {
        var granted = 0
        for socket in sockets {
            do {
                let value = Int32(clamping: bytes)
                if !beyondSystemLimit || (try? socket.descriptor.setOption(level: SOL_SOCKET, name: SO_RCVBUFFORCE, value)) == nil {
                    try socket.descriptor.setOption(level: SOL_SOCKET, name: SO_RCVBUF, value)
                }
                granted = Int(try socket.descriptor.intOption(level: SOL_SOCKET, name: SO_RCVBUF))
            } catch {
                throw .from(error, operation: "set SO_RCVBUF")
            }
        }
        return granted
    }

    /// The receive buffer the kernel actually gave, bytes: the smallest over this receiver's OS
    /// sockets (what a burst must fit in). The corresponding C call is `getsockopt(SO_RCVBUF)`.
    public func receiveBufferSize() throws(MulticastError) -> Int {
        var smallest = Int.max
        for socket in sockets {
            do {
                smallest = min(smallest, Int(try socket.descriptor.intOption(level: SOL_SOCKET, name: SO_RCVBUF)))
            } catch {
                throw .from(error, operation: "get SO_RCVBUF")
            }
        }
        return smallest == .max ? 0 : smallest
    }

    // MARK: - Internals

    /// Snapshots of the OS sockets, duplicated so another owner (the async stream) keeps them open.
    func duplicatedSockets() throws(MulticastError) -> [GroupSocket] {
        var copies: [GroupSocket] = []
        for socket in sockets {
            do {
                copies.append(GroupSocket(descriptor: try socket.descriptor.duplicate(), group: socket.group, port: socket.port,
                                          interfaces: socket.interfaces, sources: socket.sources))
            } catch {
                for copy in copies { copy.descriptor.close() }
                throw .from(error, operation: "dup")
            }
        }
        return copies
    }

    private func receive(into batch: inout [Datagram], maxCount: Int, mode: ReceiveMode) throws(MulticastError) {
        guard !isClosed else { throw .closed }
        guard !sockets.isEmpty, maxCount > 0 else { return }
        var deadline: Int64? = nil
        if case .timeout = mode { deadline = monotonicMilliseconds() + Int64(mode.pollMilliseconds) }
        while true {
            try drainPolled(into: &batch, maxCount: maxCount)
            if !batch.isEmpty { return }
            var wait = mode.pollMilliseconds
            if let deadline {
                wait = Int32(clamping: max(deadline - monotonicMilliseconds(), 0))
            }
            do {
                guard try waitReadable(&pollSet, timeoutMilliseconds: wait) else { return }
            } catch {
                throw .from(error, operation: "poll")
            }
        }
    }

    /// Reads from the sockets the last `poll(2)` found readable, starting after the one read last
    /// (so a busy group cannot starve the others), and forgets each as soon as it is drained.
    /// Reading only those keeps a receiver of many groups at about one system call per datagram
    /// instead of one per group.
    private func drainPolled(into batch: inout [Datagram], maxCount: Int) throws(MulticastError) {
        let count = sockets.count
        for step in 0..<count {
            guard batch.count < maxCount else { return }
            let index = (nextSocket + step) % count
            guard pollSet[index].revents != 0 else { continue }
            let socket = sockets[index]
            let before = batch.count
            do {
                if maxCount - batch.count == 1 {
                    if let datagram = try receiver.receiveOne(from: socket) {
                        batch.append(datagram)
                    } else {
                        pollSet[index].revents = 0
                    }
                } else {
                    while batch.count < maxCount {
                        let asked = min(maxCount - batch.count, receiver.batchCapacity)
                        let got = try receiver.receiveBatch(from: socket, limit: asked, into: &batch)
                        if got < asked {  // the queue is drained
                            pollSet[index].revents = 0
                            break
                        }
                    }
                }
            } catch {
                throw .from(error, operation: "receive on \(socket.group) port \(port)")
            }
            if batch.count > before { nextSocket = (index + 1) % count }
        }
    }

    private func openSockets(for group: MulticastGroup, rebuildingPollSet: Bool = true) throws(MulticastError) {
        if !sources.isEmpty && !group.isSourceSpecificRange {
            warnings.append(.sourceFilterOutsideSSMRange(group.address))
        }
        let sets: [[NetworkInterface]] = group.needsScopeID ? interfaces.map { [$0] } : [interfaces]
        for set in sets {
            let socket = try openSocket(for: group, on: set)
            sockets.append(socket)
        }
        if rebuildingPollSet { rebuildPollSet() }
    }

    private func openSocket(for group: MulticastGroup, on interfaces: [NetworkInterface]) throws(MulticastError) -> GroupSocket {
        let bindAddress = SocketAddress(address: group.address, port: port, scopeID: group.needsScopeID ? interfaces[0].index : 0)
        let descriptor: UDPSocketDescriptor
        do {
            descriptor = try UDPSocketDescriptor.open(family)
        } catch {
            throw .from(error, operation: "socket")
        }
        do {
            try descriptor.allowAddressReuse()
            try descriptor.disableMulticastAll(family: family)
            try descriptor.enableReceiveMetadata(family: family)
        } catch {
            descriptor.close()
            throw .from(error, operation: "configure receive socket for \(group)")
        }
        do {
            try descriptor.bind(to: bindAddress)
        } catch {
            descriptor.close()
            throw .from(error, operation: "bind to \(bindAddress)", address: bindAddress)
        }
        for interface in interfaces {
            for source in sources.isEmpty ? [nil] : sources.map(Optional.some) {
                do {
                    try descriptor.join(group, interfaceIndex: interface.index, source: source)
                } catch .noBufferSpace {
                    descriptor.close()
                    if source != nil && family == .ipv4 {
                        throw .tooManySources(group: group.address, interface: interface.name, limit: ProcFiles.sysctlInt("net.ipv4.igmp_max_msf"))
                    }
                    let limit = family == .ipv4 ? ProcFiles.sysctlInt("net.ipv4.igmp_max_memberships") : nil
                    throw .tooManyMemberships(group: group.address, interface: interface.name, limit: limit)
                } catch Errno(rawValue: ENODEV) {
                    descriptor.close()
                    throw .interfaceVanished(interface.name)
                } catch {
                    descriptor.close()
                    let what = source.map { "join \(group) from \($0) on \(interface.name)" } ?? "join \(group) on \(interface.name)"
                    throw .from(error, operation: what)
                }
            }
        }
        return GroupSocket(descriptor: descriptor, group: group, port: port, interfaces: interfaces, sources: sources)
    }

    private func rebuildPollSet() {
        pollSet = sockets.map { pollfd(fd: $0.descriptor.rawValue, events: Int16(POLLIN), revents: 0) }
        nextSocket = 0
    }
}
