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
        #expect(mesh.matrix(2).presentParticipantCount == 4, "--expect counts only who h3 hears (and h3)")
        #expect(mesh.matrix(0).presentParticipantCount == 5)
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
        #expect(m.presentParticipantCount == 2, "a host that left does not count for --expect")
        mesh.active.insert(2)
        mesh.rounds(3)
        #expect(mesh.matrix(0).participants.first { $0.nameText == "h3" }?.isGone == false)
        #expect(mesh.matrix(0).cell(receiver: 1000, sender: 1002)?.isGone == false)
    }

    @Test("a restart (new run id, same name and address) is a new run; the old one, once silent, is gone and marked replaced")
    func restart() {
        var mesh = SimulatedMesh(count: 2)
        mesh.rounds(5)
        mesh.states[1] = MeshState(configuration: MeshConfiguration(runID: 9999, name: Array("h2".utf8), intervalNanoseconds: 200_000_000))
        mesh.rounds(7)
        let m = mesh.matrix(0)
        #expect(m.participants.count == 3)
        let old = m.participants.first { $0.runID == 1001 }
        #expect(old?.isReplaced == true && old?.isGone == true)
        #expect(m.participants.first { $0.runID == 9999 }?.isGone == false)
        #expect(m.presentParticipantCount == 2, "the restarted host counts once")
        #expect(m.sharedIdentities().isEmpty, "the old run is gone: nothing shared")
    }

    @Test("a forged beacon with a live participant's name and address neither makes it gone nor hides its failing pairs")
    func forgedRestartHidesNothing() {
        var mesh = SimulatedMesh(count: 3)
        mesh.rounds(5)
        // Someone sends one beacon with a fresh run id, h2's name and h2's address, to h1.
        let forged = MeshBeacon(probe: ProbeHeader(senderID: 0xBAD, sequence: 0, sendTimeNanoseconds: mesh.now), name: Array("h2".utf8),
                                intervalMicroseconds: 200_000)
        mesh.states[0].receive(forged, from: SimulatedMesh.address(1), hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: mesh.now), now: mesh.now)
        let during = mesh.matrix(0)
        #expect(during.sharedIdentities() == [[1001, 0xBAD]], "two runs under h2's name and address are a problem to report")
        #expect(during.presentParticipantCount == 3, "counted once")
        mesh.blocked = [[2, 1]]  // and from now on h3 does not hear h2
        mesh.rounds(10)
        let m = mesh.matrix(0)
        let h2 = m.participants.first { $0.runID == 1001 }
        #expect(h2?.isGone == false && h2?.isReplaced == false, "h2 keeps sending: it is there")
        #expect(m.participants.first { $0.runID == 0xBAD }?.isGone == true, "the forged run fell silent")
        #expect(m.participants.first { $0.runID == 0xBAD }?.isReplaced == false)
        #expect(mesh.notHeard(in: 0) == [["h3", "h2"]], "h2's broken pair still shows")
        #expect(m.sharedIdentities().isEmpty)
    }

    @Test("two runs with one name on one address (two mcexpert mesh on a host) both stay present and are reported as sharing it")
    func twoRunsShareAnIdentity() {
        var mesh = SimulatedMesh(count: 3)
        mesh.states[2] = MeshState(configuration: MeshConfiguration(runID: 1002, name: Array("h2".utf8), intervalNanoseconds: 200_000_000))
        // h3's beacons come from h2's address: the same host running it twice.
        for _ in 0..<10 {
            for sender in 0..<3 {
                let bytes = mesh.states[sender].makeBeacon(sendTime: Timestamp(nanosecondsSinceEpoch: mesh.now), now: mesh.now).encoded()
                for receiver in 0..<3 {
                    mesh.states[receiver].receive(payload: bytes, from: SimulatedMesh.address(min(sender, 1)), hopLimit: 1,
                                                  receivedAt: Timestamp(nanosecondsSinceEpoch: mesh.now), now: mesh.now)
                }
                mesh.now += 1_000_000
            }
            mesh.now += 197_000_000
        }
        let m = mesh.matrix(0)
        #expect(m.participants.allSatisfy { !$0.isGone && !$0.isReplaced })
        #expect(m.sharedIdentities() == [[1001, 1002]])
        #expect(m.presentParticipantCount == 2)
    }

    @Test("64 forged runs claiming one beacon a minute keep no newcomer out, and are gone within 25 s, not 5 min")
    func forgedRunsDoNotHoldTheTable() {
        var state = MeshState(configuration: MeshConfiguration(runID: 1, name: [0x61], intervalNanoseconds: 200_000_000, peerCapacity: 64))
        var now: Int64 = 1_000_000_000
        func beacon(_ runID: UInt64, _ sequence: UInt64 = 0, interval: UInt32 = 200_000) -> MeshBeacon {
            MeshBeacon(probe: ProbeHeader(senderID: runID, sequence: sequence, sendTimeNanoseconds: now), name: Array("r\(runID)".utf8), intervalMicroseconds: interval)
        }
        // A real participant, heard for a while: established.
        for sequence in 0..<5 {
            state.receive(beacon(42, UInt64(sequence)), from: .v4(IPv4Address(10, 0, 0, 42)), hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
            now += 200_000_000
        }
        for i in 0..<64 {
            state.receive(beacon(UInt64(5000 + i), interval: 60_000_000), from: .v4(IPv4Address(10, 1, 0, UInt8(i))), hopLimit: 1,
                          receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
        }
        #expect(state.peerCount == 64)
        #expect(state.counters.peerOverflow == 1, "the 64th forged run found the table full of present runs")
        now += 1_500_000_000
        // A real newcomer a second and a half later (42 still sending): it takes a forged run's place.
        for sequence in 0..<3 {
            state.receive(beacon(42, UInt64(5 + sequence)), from: .v4(IPv4Address(10, 0, 0, 42)), hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
            state.receive(beacon(77, UInt64(sequence)), from: .v4(IPv4Address(10, 0, 0, 77)), hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
            now += 200_000_000
        }
        var m = state.matrix(now: now)
        #expect(m.participants.contains { $0.runID == 77 && !$0.isGone })
        #expect(m.participants.contains { $0.runID == 42 }, "the established participant stays")
        #expect(state.peerCount == 64 && state.counters.peersEvicted == 1 && state.counters.peerOverflow == 1)
        // The forged runs claimed a minute between beacons: they count as 5 s (10 of this host's 200 ms, at least 5 s), so gone after 25 s.
        now += 24_000_000_000
        m = state.matrix(now: now)
        #expect(m.participants.filter { $0.runID >= 5000 && $0.isGone }.count == 62, "64 forged, one refused, one made room")
    }

    @Test("established participants are never pushed out of a full table by newcomers")
    func establishedParticipantsStay() {
        var state = MeshState(configuration: MeshConfiguration(runID: 1, name: [0x61], intervalNanoseconds: 200_000_000, peerCapacity: 2))
        var now: Int64 = 1_000_000_000
        for sequence in 0..<4 {
            for runID in [UInt64(10), 11] {
                let beacon = MeshBeacon(probe: ProbeHeader(senderID: runID, sequence: UInt64(sequence), sendTimeNanoseconds: now), name: [0x62], intervalMicroseconds: 200_000)
                state.receive(beacon, from: .v4(IPv4Address(10, 0, 0, UInt8(runID))), hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
            }
            now += 200_000_000
        }
        for i in 0..<100 {
            let beacon = MeshBeacon(probe: ProbeHeader(senderID: UInt64(900 + i), sequence: 0, sendTimeNanoseconds: now), name: [0x63], intervalMicroseconds: 200_000)
            state.receive(beacon, from: .v4(IPv4Address(10, 0, 1, UInt8(i))), hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
            now += 100_000_000
            if i % 2 == 1 {  // the two keep sending
                for runID in [UInt64(10), 11] {
                    let beacon = MeshBeacon(probe: ProbeHeader(senderID: runID, sequence: UInt64(4 + i / 2), sendTimeNanoseconds: now), name: [0x62], intervalMicroseconds: 200_000)
                    state.receive(beacon, from: .v4(IPv4Address(10, 0, 0, UInt8(runID))), hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
                }
            }
        }
        #expect(Set(state.matrix(now: now).participants.map(\.runID)) == [1, 10, 11])
        #expect(state.counters.peerOverflow == 100 && state.counters.peersEvicted == 0)
    }

    @Test("a beacon reusing a known run id from another address is dropped and counted; this host's own run id from elsewhere too")
    func runIDHijack() {
        var state = MeshState(configuration: MeshConfiguration(runID: 1, name: [0x61], intervalNanoseconds: 200_000_000))
        let real = IPAddress.v4(IPv4Address(10, 0, 0, 2)), me = IPAddress.v4(IPv4Address(10, 0, 0, 1)), thief = IPAddress.v4(IPv4Address(10, 0, 0, 66))
        var now: Int64 = 1_000_000_000
        let own = state.makeBeacon(sendTime: Timestamp(nanosecondsSinceEpoch: now), now: now)
        state.receive(own, from: me, hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)  // looped back
        for sequence in 0..<3 {
            let beacon = MeshBeacon(probe: ProbeHeader(senderID: 2, sequence: UInt64(sequence), sendTimeNanoseconds: now), name: Array("b".utf8), intervalMicroseconds: 200_000)
            state.receive(beacon, from: real, hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
            now += 200_000_000
        }
        let hijack = MeshBeacon(probe: ProbeHeader(senderID: 2, sequence: 100, sendTimeNanoseconds: now), name: Array("evil".utf8), intervalMicroseconds: 200_000)
        state.receive(hijack, from: thief, hopLimit: 9, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
        let ownForged = MeshBeacon(probe: ProbeHeader(senderID: 1, sequence: 50, sendTimeNanoseconds: now), name: [0x61], intervalMicroseconds: 200_000)
        state.receive(ownForged, from: thief, hopLimit: 9, receivedAt: Timestamp(nanosecondsSinceEpoch: now), now: now)
        let m = state.matrix(now: now)
        let peer = m.participants.first { $0.runID == 2 }
        #expect(peer?.address == real && peer?.nameText == "b")
        let cell = m.cell(receiver: 1, sender: 2)
        #expect(cell?.received == 3 && cell?.lost == 0 && cell?.lastHopLimit == 1, "\(String(describing: cell))")
        #expect(m.cell(receiver: 1, sender: 1)?.received == 1 && m.cell(receiver: 1, sender: 1)?.lost == 0, "the diagonal is this host's own beacons only")
        #expect(m.participants.first?.address == me)
        #expect(state.counters.addressMismatches == 2)
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
        #expect(state.counters.peerOverflow + state.counters.peersEvicted == 1_000_000 - 64)
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
