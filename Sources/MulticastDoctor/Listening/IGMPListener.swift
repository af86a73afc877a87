import MulticastExpert

/// Listens passively for IGMP and MLD on a packet socket and decodes every frame with
/// ``IGMPDecoder``: the one listener behind `mcexpert igmp`, the doctor's querier check and
/// the TUI.
///
/// A packet socket sees frames before reverse-path filtering, so a querier whose queries the
/// kernel drops is still heard (and the state can say it is dropped), and it sees this host's own
/// outgoing reports (marked ``IGMPMessage/sentByThisHost``). It sees every frame of every
/// interface, so the listener is built to survive a flood: it looks at the clock before every
/// frame, copies only frames that can be IGMP or MLD, and hands out only validated messages.
/// Needs `CAP_NET_RAW`. Use it from one thread.
public final class IGMPListener {
    /// The largest frame read whole (a jumbo frame); a longer one is cut, and then rejected as truncated.
    public static let frameBufferSize = 9216
    /// Linux gives the loopback device index 1 in every namespace. Frames on it are seen twice
    /// (leaving and arriving), so only the arriving copy is decoded.
    static let loopbackIndex = 1

    private let socket: PacketSocket
    private let interfaces: Set<Int>?
    private var buffer = [UInt8](repeating: 0, count: IGMPListener.frameBufferSize)
    private var isClosed = false

    /// Opens the listener on the interfaces with the given indexes (nil: every interface).
    ///
    /// - Parameter allMulticastOn: interfaces to ask to pass up multicast frames for groups this
    ///   host has not joined (other hosts' reports to their groups, on a network card that filters
    ///   multicast); the kernel undoes it when the listener closes.
    /// - Throws: ``MulticastError/permissionDenied(operation:)`` without `CAP_NET_RAW`; another
    ///   ``MulticastError`` when the socket cannot be opened or set up.
    public init(interfaces: Set<Int>? = nil, allMulticastOn: Set<Int> = []) throws(MulticastError) {
        let socket: PacketSocket
        do {
            socket = try PacketSocket.open()
        } catch {
            if error == .notPermitted || error == .permissionDenied {
                throw .permissionDenied(operation: "opening a packet socket to hear IGMP/MLD needs CAP_NET_RAW")
            }
            throw .system(operation: "socket(AF_PACKET)", errno: error)
        }
        do {
            try socket.acceptOnlyIGMPAndMLD()
        } catch {
            socket.close()
            throw .system(operation: "SO_ATTACH_FILTER on the packet socket", errno: error)
        }
        self.socket = socket
        self.interfaces = interfaces
        for index in allMulticastOn.sorted() {
            do {
                try socket.receiveAllMulticast(interfaceIndex: index)
            } catch {
                socket.close()
                isClosed = true
                throw .system(operation: "PACKET_ADD_MEMBERSHIP on interface \(index)", errno: error)
            }
        }
    }

    deinit { close() }

    /// Whether this process may listen (has `CAP_NET_RAW` in its network namespace).
    public static var isPermitted: Bool { PacketSocket.isPermitted() }

    /// Waits until a frame arrives or `deadline` (monotonic nanoseconds) passes, at most 200 ms,
    /// then decodes every waiting frame until the socket is drained or the deadline passes, and
    /// calls `visit` with each IGMP/MLD message or rejection. Returns within a few milliseconds of
    /// the deadline however many frames arrive.
    public func receive(until deadline: Int64, _ visit: (IGMPDecoding) -> Void) {
        guard !isClosed else { return }
        let now = monotonicNanoseconds()
        if now < deadline {
            _ = try? socket.waitReadable(timeoutMilliseconds: Int32(clamping: min((deadline - now) / 1_000_000 + 1, 200)))
        }
        while monotonicNanoseconds() < deadline {
            // nil: drained; an error: try again on the next call.
            guard let frame = try? buffer.withUnsafeMutableBytes({ bytes in try socket.receive(into: bytes) }) else { return }
            if let interfaces, !interfaces.contains(frame.interfaceIndex) { continue }
            let outgoing = frame.packetType == .outgoing
            if outgoing && frame.interfaceIndex == Self.loopbackIndex { continue }
            let candidate = buffer.withUnsafeBytes { bytes in
                IGMPDecoder.mayBeMembership(UnsafeRawBufferPointer(rebasing: bytes[0..<frame.byteCount]), etherType: frame.etherType)
            }
            guard candidate else { continue }
            let decoding = IGMPDecoder.decode(Array(buffer[0..<frame.byteCount]), etherType: frame.etherType,
                                              interfaceIndex: frame.interfaceIndex, heardAt: monotonicNanoseconds(), sentByThisHost: outgoing)
            if case .other = decoding { continue }
            visit(decoding)
        }
    }

    /// Listens for `duration` (blocking) and returns the state it heard, with `host` for judging
    /// it; nil when this process may not listen.
    public static func listen(for duration: Duration, interfaces: Set<Int>? = nil, host: IGMPHostFacts = IGMPHostFacts()) -> IGMPState? {
        guard let listener = try? IGMPListener(interfaces: interfaces) else { return nil }
        let start = monotonicNanoseconds()
        let end = start.addingSaturating(max(duration.saturatingNanoseconds, 0))
        var state = IGMPState(startedAt: start, host: host)
        while monotonicNanoseconds() < end {
            listener.receive(until: end) { state.record($0) }
        }
        state.advance(to: end)
        return state
    }

    /// Closes the socket (also done when the listener is released).
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        socket.close()
    }
}
