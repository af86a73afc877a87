import MulticastExpert
import MulticastMonitor
@testable import MulticastTUI

/// Mesh matrices for the Mesh screen's tests, made the way a real mesh makes them: pure
/// ``MeshState``s (one per host, host 0 being this host) exchanging real encoded beacons in
/// memory on one simulated clock, with chosen beacons dropped and hosts stopped.
enum MeshFixtures {
    static let group = try! MulticastGroup(parsing: "239.255.77.77")
    static let request = MeshRequest(group: group, port: 7777, interface: "eth0", name: "testhost", rate: 5)
    static let interval: Int64 = 200_000_000

    static func address(_ host: Int) -> IPAddress { .v4(IPv4Address(198, 18, 0, UInt8(host + 1))) }

    /// The matrix host 0 sees after `rounds` beacons from each host: `drop(receiver, sender, round)`
    /// loses a beacon on its way; a host in `stopAt` sends and hears nothing from that round on;
    /// a host's wall clock is ahead by its `clockOffsets` entry (nanoseconds).
    static func matrix(_ names: [String], rounds: Int, stopAt: [Int: Int] = [:], clockOffsets: [Int: Int64] = [:],
                       drop: (Int, Int, Int) -> Bool = { _, _, _ in false }) -> MeshMatrix {
        var states = names.enumerated().map { i, name in
            MeshState(configuration: MeshConfiguration(runID: UInt64(0x1000 + i), name: Array(name.utf8), intervalNanoseconds: interval))
        }
        var now: Int64 = 1_000_000_000
        for round in 0..<rounds {
            let active = states.indices.filter { stopAt[$0].map { round < $0 } ?? true }
            for sender in active {
                let sendTime = Timestamp(nanosecondsSinceEpoch: now + (clockOffsets[sender] ?? 0))
                let bytes = states[sender].makeBeacon(sendTime: sendTime, now: now).encoded()
                states[sender].noteBeaconSent(true)
                for receiver in active where !drop(receiver, sender, round) {
                    let arrival = now + 150_000
                    states[receiver].receive(payload: bytes, from: address(sender), hopLimit: 1,
                                             receivedAt: Timestamp(nanosecondsSinceEpoch: arrival + (clockOffsets[receiver] ?? 0)), now: arrival)
                }
                now += 1_000_000
            }
            now += interval - Int64(active.count) * 1_000_000
        }
        return states[0].matrix(now: now)
    }

    /// Seven hosts after 150 beacons each: alpha clean; bravo loses every 4th beacon of alpha
    /// (25 %, failing); this host loses one beacon of charlie (0.67 %, a warning); charlie never
    /// hears delta (not heard); echo stopped at beacon 140 (gone); this host does not hear
    /// foxtrot, whose row is then unknown, while the others hear it.
    static let names = ["testhost", "alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
    static let busyMatrix: MeshMatrix = matrix(names, rounds: 150, stopAt: [5: 140]) { receiver, sender, round in
        (receiver == 2 && sender == 1 && round % 4 == 3) || (receiver == 0 && sender == 3 && round == 70)
            || (receiver == 3 && sender == 4) || (receiver == 0 && sender == 6)
    }

    /// Forty hosts, every pair clean: more columns than any terminal drawn shows with names.
    static let manyMatrix: MeshMatrix = matrix(["testhost"] + (1..<40).map { "host-\($0)" }, rounds: 12)

    /// A name of 31 bytes, longer than any column or label shows.
    static let longName = "a-participant-with-a-long-name!"
    /// Three hosts, one with the long name and one whose clock is 3 s ahead (round trip only).
    static let longNameMatrix: MeshMatrix = matrix(["testhost", longName, "skewed"], rounds: 20, clockOffsets: [2: 3_000_000_000])

    static func snapshot(_ matrix: MeshMatrix = busyMatrix, running: Bool = true) -> MeshSnapshot {
        MeshSnapshot(request: request, matrix: matrix, running: running, interfaceName: "eth0", sourceAddress: address(0),
                     elapsedNanoseconds: 30_000_000_000, intervalNanoseconds: interval)
    }

    /// The Mesh screen showing `snapshot` at `width` × `height`, with the pair `receiver` hearing `sender` selected.
    static func state(_ snapshot: MeshSnapshot? = snapshot(), width: Int = 80, height: Int = 24, receiver: String? = nil, sender: String? = nil) -> AppState {
        var s = AppState(hostName: "testhost", privileged: false)
        _ = s.handle(.resize(width: width, height: height))
        _ = s.handle(.interfaces(KeyMapTests.table, defaultGateways: [2]))
        if let snapshot { _ = s.handle(.mesh(snapshot)) }
        _ = s.handle(.key(.character("8")))
        let names = snapshot?.matrix.participants.map(\.nameText) ?? []
        if let receiver, let row = names.firstIndex(of: receiver) { s.mesh.cursor.index = row }
        if let sender, let column = names.firstIndex(of: sender) { s.mesh.column = column }
        return s
    }
}
