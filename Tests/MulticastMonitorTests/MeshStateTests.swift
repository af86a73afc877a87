import MulticastExpert
import MulticastMonitor
import Testing

/// A mesh of pure states exchanging beacons in memory, on one simulated clock: the whole
/// protocol without sockets, with any pair's link cut.
struct SimulatedMesh {
    var states: [MeshState]
    /// `blocked[receiver][sender]`: the link drops everything.
    var blocked: Set<[Int]> = []
    /// Monotonic and wall clocks, nanoseconds (wall = monotonic + an offset per host).
    var now: Int64 = 1_000_000_000
    var clockOffsets: [Int64]
    /// One-way delay of every link, nanoseconds.
    var delay: Int64 = 100_000
    var active: Set<Int>

    init(count: Int, interval: Int64 = 200_000_000, clockOffsets: [Int64]? = nil, peerCapacity: Int = 64) {
        states = (0..<count).map { i in
            MeshState(configuration: MeshConfiguration(runID: UInt64(1000 + i), name: Array("h\(i + 1)".utf8), intervalNanoseconds: interval,
                                                       peerCapacity: peerCapacity))
        }
        self.clockOffsets = clockOffsets ?? Array(repeating: 0, count: count)
        active = Set(0..<count)
    }

    static func address(_ i: Int) -> IPAddress { .v4(IPv4Address(198, 18, 0, UInt8(i + 1))) }

    /// One round: every active host sends a beacon, every active host (itself included, as
    /// multicast loopback does) receives it unless the link is blocked; then time moves on.
    mutating func round(advance: Int64 = 200_000_000) {
        for sender in active.sorted() {
            let sendTime = Timestamp(nanosecondsSinceEpoch: now + clockOffsets[sender])
            let bytes = states[sender].makeBeacon(sendTime: sendTime, now: now).encoded()
            for receiver in active.sorted() where !blocked.contains([receiver, sender]) {
                let arrival = now + delay
                states[receiver].receive(payload: bytes, from: Self.address(sender), hopLimit: 1,
                                         receivedAt: Timestamp(nanosecondsSinceEpoch: arrival + clockOffsets[receiver]), now: arrival)
            }
            now += 1_000_000  // senders a millisecond apart
        }
        now += advance - Int64(active.count) * 1_000_000
    }

    mutating func rounds(_ n: Int) { for _ in 0..<n { round() } }

    func matrix(_ host: Int) -> MeshMatrix { states[host].matrix(now: now) }

    /// The (receiver, sender) names of pairs not heard in `host`'s matrix.
    func notHeard(in host: Int) -> Set<[String]> {
        let m = matrix(host)
        return Set(m.failingPairs(maxLossPercent: 0).filter { $0.kind == .notHeard }.map {
            [m.participants[m.index(of: $0.receiver)!].nameText, m.participants[m.index(of: $0.sender)!].nameText]
        })
    }
}

@Suite("Mesh state")
struct MeshStateTests {
    @Test("five participants see the whole matrix on every host, clean")
    func fullMatrix() {
        var mesh = SimulatedMesh(count: 5)
        mesh.rounds(20)
        for host in 0..<5 {
            let m = mesh.matrix(host)
            #expect(m.participants.map(\.nameText) == ["h\(host + 1)"] + (1...5).filter { $0 != host + 1 }.map { "h\($0)" })
            #expect(m.failingPairs(maxLossPercent: 0).isEmpty)
            for r in 0..<5 {
                for s in 0..<5 {
                    let cell = m.cells[r][s]
                    #expect(cell != nil, "h\(host + 1): \(m.participants[r].nameText) hears \(m.participants[s].nameText)")
                    #expect(cell?.lost == 0)
                    #expect((cell?.received ?? 0) >= 18)
                    #expect(cell?.lastHopLimit == 1)
                }
            }
            #expect(m.cells[0][0]?.origin == .measured)
            if case .reported = m.cells[1][2]?.origin {} else { Issue.record("a peer's row is reported") }
        }
    }

    @Test("one receiver not hearing one sender shows as exactly that pair on every host")
    func oneBrokenPair() {
        var mesh = SimulatedMesh(count: 5)
        mesh.blocked = [[2, 4]]  // h3 does not hear h5
        mesh.rounds(20)
        for host in 0..<5 {
            #expect(mesh.notHeard(in: host) == [["h3", "h5"]], "on h\(host + 1)")
        }
        // h3 learnt who h5 is from the others' reports, though it never heard h5.
        let h5 = mesh.matrix(2).participants.first { $0.nameText == "h5" }
        #expect(h5?.isHeardDirectly == false)
        #expect(h5?.address == SimulatedMesh.address(4))
    }

    @Test("a receiver that stops hearing a sender the others still hear fails that pair on every host")
    func stopsHearing() {
        var mesh = SimulatedMesh(count: 4)
        mesh.rounds(10)
        mesh.blocked = [[2, 0]]  // from now on h3 does not hear h1
        mesh.rounds(10)
        for host in 0..<4 {
            #expect(mesh.notHeard(in: host) == [["h3", "h1"]], "on h\(host + 1)")
        }
    }

    @Test("a participant that stops is shown as gone, kept, and comes back when it returns")
    func goneAndReturn() {
        var mesh = SimulatedMesh(count: 3)
        mesh.rounds(10)
        mesh.active.remove(2)
        mesh.rounds(10)  // 2 s of silence: gone after 5 intervals (1 s)
        let m = mesh.matrix(0)
        let h3 = m.participants.first { $0.nameText == "h3" }
        #expect(h3?.isGone == true)
        #expect(m.participants.count == 3, "gone, not deleted")
        #expect(m.cell(receiver: 1000, sender: 1002)?.isGone == true)
        #expect(m.failingPairs(maxLossPercent: 0).isEmpty, "pairs with a gone participant are not failures")
        mesh.active.insert(2)
        mesh.rounds(3)
        #expect(mesh.matrix(0).participants.first { $0.nameText == "h3" }?.isGone == false)
        #expect(mesh.matrix(0).cell(receiver: 1000, sender: 1002)?.isGone == false)
    }

    @Test("a restart (new run id, same name and address) is a new run and the old one is gone")
    func restart() {
        var mesh = SimulatedMesh(count: 2)
        mesh.rounds(5)
        mesh.states[1] = MeshState(configuration: MeshConfiguration(runID: 9999, name: Array("h2".utf8), intervalNanoseconds: 200_000_000))
        mesh.rounds(2)
        let m = mesh.matrix(0)
        #expect(m.participants.count == 3)
        let old = m.participants.first { $0.runID == 1001 }
        #expect(old?.isReplaced == true && old?.isGone == true)
        #expect(m.participants.first { $0.runID == 9999 }?.isGone == false)
    }

    @Test("reports rotate through beacons when they do not all fit, and every cell still fills")
    func rotation() {
        var mesh = SimulatedMesh(count: 24)
        mesh.rounds(12)
        let m = mesh.matrix(0)
        #expect(m.participants.count == 24)
        #expect(m.failingPairs(maxLossPercent: 0).isEmpty)
        #expect(m.cells.allSatisfy { row in row.allSatisfy { $0 != nil } })
        #expect(mesh.states[0].counters.reportsOmitted > 0)
        #expect(m.participants[1].omittedReports > 0)
    }

    @Test("round-trip time comes from the echo, and one-way latency only when the clocks agree")
    func roundTripFromEcho() {
        var synced = SimulatedMesh(count: 2)
        synced.rounds(10)
        let cell = synced.matrix(0).cell(receiver: 1000, sender: 1001)
        let rtt = cell?.roundTripNanoseconds ?? -1
        #expect(rtt >= 190_000 && rtt <= 210_000, "two 100 µs links: \(rtt)")
        #expect(cell?.clocksAgree == true)
        #expect(cell?.latency == .oneWay(100_000))
        // h2's clock is 3 s ahead: one-way figures are nonsense, the round trip is not.
        var skewed = SimulatedMesh(count: 2, clockOffsets: [0, 3_000_000_000])
        skewed.rounds(10)
        let skewedCell = skewed.matrix(0).cell(receiver: 1000, sender: 1001)
        #expect(skewedCell?.clocksAgree == false)
        if case .roundTrip(let value) = skewedCell?.latency { #expect(value >= 190_000 && value <= 210_000) } else {
            Issue.record("round trip expected: \(String(describing: skewedCell?.latency))")
        }
        // The remote row carries h2's own round trip to h1.
        let remote = skewed.matrix(0).cell(receiver: 1001, sender: 1000)
        #expect(remote?.roundTripNanoseconds.map { $0 >= 190_000 && $0 <= 210_000 } == true)
    }

    @Test("a forged echo (a send time this host never used) gives no round trip")
    func forgedEcho() {
        var state = MeshState(configuration: MeshConfiguration(runID: 1, name: [0x61], intervalNanoseconds: 200_000_000))
        _ = state.makeBeacon(sendTime: Timestamp(nanosecondsSinceEpoch: 5_000_000_000), now: 5_000_000_000)
        let forged = MeshBeacon(probe: ProbeHeader(senderID: 2, sequence: 0, sendTimeNanoseconds: 0), name: [0x62], intervalMicroseconds: 200_000,
                                reports: [MeshReport(peerRunID: 1, received: 1, lost: 0, echo: MeshEcho(sequence: 0, sendTimeNanoseconds: 4_000_000_000, holdMicroseconds: 0))])
        state.receive(forged, from: nil, hopLimit: nil, receivedAt: Timestamp(nanosecondsSinceEpoch: 5_000_100_000), now: 5_000_100_000)
        #expect(state.matrix(now: 5_000_100_000).cell(receiver: 1, sender: 2)?.roundTripNanoseconds == nil)
    }

    @Test("a million spoofed run ids do not grow the table past its cap; real peers still get in once the spoof goes quiet")
    func peerCap() {
        var state = MeshState(configuration: MeshConfiguration(runID: 1, name: [0x61], intervalNanoseconds: 200_000_000, peerCapacity: 64))
        var now: Int64 = 1_000_000_000
        for i in 0..<1_000_000 {
            let beacon = MeshBeacon(probe: ProbeHeader(senderID: UInt64(1_000_000 + i), sequence: 0, sendTimeNanoseconds: 0), name: [0x73],
                                    intervalMicroseconds: 200_000)
            let source = IPAddress.v4(IPv4Address(10, UInt8(i >> 16 & 0xFF), UInt8(i >> 8 & 0xFF), UInt8(i & 0xFF)))
            state.receive(beacon, from: source, hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
            now += 500  // two million spoofed beacons a second: all within one second
        }
        #expect(state.peerCount == 64)
        #expect(state.counters.peerOverflow == 1_000_000 - 64)
        now += 2_000_000_000  // the spoofer stops; its runs go quiet and gone
        let real = MeshBeacon(probe: ProbeHeader(senderID: 42, sequence: 0, sendTimeNanoseconds: 0), name: Array("real".utf8), intervalMicroseconds: 200_000)
        state.receive(real, from: .v4(IPv4Address(10, 0, 0, 2)), hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
        #expect(state.peerCount == 64)
        #expect(state.matrix(now: now).participants.contains { $0.runID == 42 && !$0.isGone })
    }

    @Test("datagrams that are not beacons are counted by kind and change nothing else")
    func nonBeacons() {
        var state = MeshState(configuration: MeshConfiguration(runID: 1, name: [0x61], intervalNanoseconds: 200_000_000))
        let t = Timestamp(nanosecondsSinceEpoch: 1)
        state.receive(payload: Array("hello".utf8), from: nil, hopLimit: nil, receivedAt: t, now: 1)
        state.receive(payload: ProbeHeader(senderID: 5, sequence: 0, sendTimeNanoseconds: 0).datagram(size: 64), from: nil, hopLimit: nil, receivedAt: t, now: 1)
        var bad = MeshBeaconTests.sampleBeacon().encoded()
        bad[36] = 9
        state.receive(payload: bad, from: nil, hopLimit: nil, receivedAt: t, now: 1)
        #expect(state.counters.notProbes == 1 && state.counters.plainProbes == 1 && state.counters.malformed == 1)
        #expect(state.peerCount == 0)
    }

    @Test("loss on one link shows as that cell's loss on every host")
    func lossOnOneLink() {
        var mesh = SimulatedMesh(count: 3)
        for round in 0..<40 {
            mesh.blocked = round % 4 == 0 ? [[1, 0]] : []  // h2 loses every 4th beacon of h1
            mesh.round()
        }
        mesh.blocked = []
        mesh.rounds(2)
        for host in 0..<3 {
            let m = mesh.matrix(host)
            let cell = m.cell(receiver: 1001, sender: 1000)
            #expect(cell?.lost ?? 0 >= 9, "on h\(host + 1): \(String(describing: cell))")
            let failing = m.failingPairs(maxLossPercent: 5).map { [$0.receiver, $0.sender] }
            #expect(failing == [[1001, 1000]], "on h\(host + 1)")
        }
    }
}
