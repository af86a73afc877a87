#if canImport(Glibc)
import Glibc
#endif
import MulticastExpert
@testable import MulticastMonitor
import NetnsLab
import Testing

/// A subscription is either watched by the engine's epoll instance or does not exist: never a
/// joined socket that silently receives nothing.
@Suite("Monitor registration")
struct MonitorRegistrationTests {
    let port = TestPorts.unique()

    /// The IPv4 groups this namespace's `lo` has joined, as `/proc/net/igmp` lists them.
    func groupsJoinedOnLoopback() -> Set<String> {
        var joined: Set<String> = []
        var device = ""
        for line in (ProcFiles.net("igmp") ?? "").split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if !line.hasPrefix("\t"), fields.count > 1 { device = String(fields[1]) } else if device == "lo", let group = fields.first { joined.insert(String(group)) }
        }
        return joined
    }

    /// How `/proc/net/igmp` writes an IPv4 group: the address's network-order bytes as one native (little-endian) word, in hex.
    func procHex(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> String {
        let word = UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 | UInt32(d) << 24
        let hex = String(word, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    @Test("a subscription the kernel refuses to watch is an error, leaves no membership behind and is not listed")
    func refusedWatchIsAnError() throws {
        let g = try MulticastGroup(parsing: "239.40.0.9")
        let monitor = try Monitor()
        // Make the monitor's epoll descriptor name an eventfd instead (atomically, so the number is
        // never free for another test to be given): every epoll_ctl on it now fails with EINVAL,
        // as it would for an instance the kernel could not extend. The monitor closes it as usual.
        let impostor = try EventCounter.make()
        #expect(dup2(impostor.rawValue, monitor.readiness.rawValue) == monitor.readiness.rawValue)
        impostor.close()

        #expect(throws: MulticastError.system(operation: "epoll_ctl", errno: .invalidArgument)) {
            try monitor.subscribe(Subscription(groups: [g], port: port, interfaces: ["lo"]))
        }
        #expect(!groupsJoinedOnLoopback().contains(procHex(239, 40, 0, 9)), "the refused receiver was closed, so lo left the group")
        #expect(monitor.snapshot().subscriptions.isEmpty)
        #expect(monitor.smallestReceiveBufferGranted == nil)
    }

    @Test("a watched subscription holds its membership until it is left")
    func membershipFollowsSubscription() throws {
        let g = try MulticastGroup(parsing: "239.40.0.10")
        let monitor = try Monitor()
        let id = try monitor.subscribe(Subscription(groups: [g], port: port, interfaces: ["lo"]))
        #expect(groupsJoinedOnLoopback().contains(procHex(239, 40, 0, 10)))
        #expect(monitor.snapshot().subscriptions.keys.sorted() == [id])
        #expect(monitor.smallestReceiveBufferGranted != nil)
        monitor.unsubscribe(id)
        #expect(!groupsJoinedOnLoopback().contains(procHex(239, 40, 0, 10)))
        #expect(monitor.snapshot().subscriptions.isEmpty)
        #expect(monitor.smallestReceiveBufferGranted == nil)
    }

    @Test("snapshots stay available while the engine's thread receives a flood")
    func snapshotsDuringFlood() throws {
        let g = try MulticastGroup(parsing: "239.40.0.11")
        let monitor = try Monitor(receiveBufferBytes: 4 << 20, batchWindow: .zero)
        try monitor.subscribe(Subscription(groups: [g], port: port, interfaces: ["lo"]))
        monitor.start()
        defer { monitor.stop() }
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        let payload = [UInt8](repeating: 1, count: 64)
        var previous: UInt64 = 0
        for _ in 0..<200 {
            for _ in 0..<50 { _ = try? tx.send(payload, to: g, port: port) }
            let snapshot = monitor.snapshot()
            #expect(snapshot.totalPackets >= previous, "the total never goes backwards")
            #expect(snapshot.streams.reduce(0) { $0 + $1.packets } + snapshot.untrackedStreamPackets == snapshot.totalPackets)
            previous = snapshot.totalPackets
        }
        #expect(monitor.snapshot().lastError == nil)
    }
}
