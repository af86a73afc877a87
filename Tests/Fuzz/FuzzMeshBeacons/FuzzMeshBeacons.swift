import FuzzSupport
import MulticastExpert
import MulticastMonitor

// The mesh beacon decoder and the state it feeds (mcexpert mesh), on datagram payloads.
//
// Input layout: byte 0 picks the mode.
// - 0xFF: a sequence of events fed to one state with a cap of 4 peers: an event byte, then
//   - 0: a raw datagram (2-byte length, bytes) from one of 8 addresses;
//   - 1: a forged beacon built field by field (run id from a small set or anything, edgy
//     sequence and send time, a name, up to 16 reports with edgy fields and echoes of this
//     host's own beacons), encoded and received;
//   - 2: this host makes (and must be able to decode) its next beacon;
//   - 3: time jumps (2 bytes, tens of milliseconds) and the matrix is checked;
//   each event also moves the clocks by one byte of milliseconds.
// - anything else: the whole input is one datagram; a beacon decoded from it must encode to
//   bytes that decode to the same beacon.
//
// Checked: decoding never traps and is deterministic; encoding a beacon whose public fields were
// set past their limits never traps and stays within them; the state never tracks more than its cap;
// the matrix is square over its participants; every beacon this host makes is at most 1200
// bytes and decodes back to itself; failing pairs only name participants.

func check(_ condition: Bool, _ what: String) {
    if !condition { fatalError("invariant broken: \(what)") }
}

func checkRoundTrip(_ payload: [UInt8]) {
    let first = try? MeshBeacon(decoding: payload)
    let second = try? MeshBeacon(decoding: payload)
    check(first == second, "deterministic")
    if let beacon = first {
        let again = try? MeshBeacon(decoding: beacon.encoded())
        check(again == beacon, "encode(decode(x)) decodes to the same beacon")
        check(beacon.name.count <= MeshBeacon.maximumNameLength && beacon.reports.count <= MeshBeacon.maximumReports, "bounds")
        withExtendedLifetime(beacon.nameText) {}
    }
}

func checkMatrix(_ state: MeshState, now: Int64, capacity: Int) {
    check(state.peerCount <= capacity, "peer cap")
    let matrix = state.matrix(now: now)
    check(matrix.participants.count == state.peerCount + 1, "participants are the table")
    check(matrix.cells.count == matrix.participants.count && matrix.cells.allSatisfy { $0.count == matrix.participants.count }, "square")
    check(matrix.participants.first?.isSelf == true, "this host first")
    let ids = Set(matrix.participants.map(\.runID))
    check(ids.count == matrix.participants.count, "one participant per run id")
    for problem in matrix.failingPairs(maxLossPercent: 0) { check(ids.contains(problem.receiver) && ids.contains(problem.sender), "problems name participants") }
    for row in matrix.cells {
        for cell in row {
            guard let cell else { continue }
            if let loss = cell.lossPercent { check(loss >= 0 && loss <= 100, "loss within 0-100%") }
            withExtendedLifetime(cell.latency) {}
        }
    }
    for participant in matrix.participants { withExtendedLifetime(participant.nameText) {} }
}

func runSequence(_ input: inout FuzzInput) {
    let capacity = 4
    var state = MeshState(configuration: MeshConfiguration(runID: 7, name: Array("me".utf8), intervalNanoseconds: 200_000_000, peerCapacity: capacity))
    var now: Int64 = 1_000_000_000
    var wall: Int64 = 1_700_000_000_000_000_000
    var sent: [MeshBeacon] = []
    let runIDs: [UInt64] = [7, 8, 9, 10, 11, 12, 0, .max]
    var events = 0
    while !input.isEmpty && events < 2000 {
        events += 1
        let step = Int64(input.byte()) * 1_000_000
        now &+= step
        wall &+= step
        let source: IPAddress = input.bool() ? .v4(IPv4Address(198, 18, 0, input.byte() & 7)) : .v6(IPv6Address(high: 0xfe80 << 48, low: UInt64(input.byte() & 7)))
        switch input.byte() & 3 {
        case 0:
            let payload = input.bytes(Int(input.uint16()))
            checkRoundTrip(payload)
            state.receive(payload: payload, from: source, hopLimit: Int(input.byte()), receivedAt: Timestamp(nanosecondsSinceEpoch: wall), now: now)
        case 1:
            let selector = input.byte()
            let runID = selector < 0xC0 ? runIDs[Int(selector & 7)] : input.edgyUInt64()
            let probe = ProbeHeader(senderID: runID, sequence: input.edgyUInt64(), sendTimeNanoseconds: Int64(bitPattern: input.edgyUInt64()))
            var reports: [MeshReport] = []
            for _ in 0..<Int(input.byte() % 17) {
                let echoOf = sent.isEmpty ? nil : sent[Int(input.byte()) % sent.count]
                let echo: MeshEcho? = input.bool()
                    ? MeshEcho(sequence: echoOf?.probe.sequence ?? input.edgyUInt64(), sendTimeNanoseconds: echoOf?.probe.sendTimeNanoseconds ?? Int64(bitPattern: input.edgyUInt64()),
                               holdMicroseconds: input.uint32())
                    : nil
                reports.append(MeshReport(
                    peerRunID: input.bool() ? runIDs[Int(input.byte() & 7)] : input.edgyUInt64(),
                    received: input.uint32(), lost: input.uint32(), duplicates: input.uint32(),
                    oneWayMicroseconds: input.bool() ? Int32(bitPattern: input.uint32()) : nil, clocksAgree: input.bool(),
                    jitterMicroseconds: input.uint32(), roundTripMicroseconds: input.bool() ? input.uint32() : nil,
                    lastHopLimit: input.bool() ? input.byte() : nil, isGone: input.bool(), echo: echo,
                    peerAddress: input.bool() ? source : nil, peerName: input.chunk()))
            }
            var beacon = MeshBeacon(probe: probe, name: input.chunk(), isSendOnly: input.bool(), intervalMicroseconds: input.uint32(),
                                    omittedReports: input.uint16(), trackedPeers: input.uint16(), reports: reports)
            if input.bool() {  // public fields set past their limits after init: encoding cuts them, never traps
                beacon.name = input.bytes(Int(input.byte()) * 2)
                beacon.reports += reports + reports
                if !beacon.reports.isEmpty { beacon.reports[0].peerName = input.bytes(Int(input.byte()) * 2) }
            }
            let bytes = beacon.encoded()
            check(bytes.count <= 48 + 32 + 16 * (72 + 32), "encoding keeps to the limits")
            checkRoundTrip(bytes)
            state.receive(payload: bytes, from: source, hopLimit: nil, receivedAt: Timestamp(nanosecondsSinceEpoch: wall), now: now)
        case 2:
            let beacon = state.makeBeacon(sendTime: Timestamp(nanosecondsSinceEpoch: wall), now: now)
            let bytes = beacon.encoded()
            check(bytes.count <= MeshBeacon.maximumLength, "own beacon within 1200 bytes")
            check((try? MeshBeacon(decoding: bytes)) == beacon, "own beacon decodes back")
            sent.append(beacon)
            if sent.count > 64 { sent.removeFirst() }
            if input.bool() { state.receive(payload: bytes, from: source, hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: wall), now: now) }
        default:
            let jump = Int64(input.uint16()) * 10_000_000
            now &+= jump
            wall &+= jump
            checkMatrix(state, now: now, capacity: capacity)
        }
    }
    checkMatrix(state, now: now, capacity: capacity)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMeshBeacons(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    if size > 0 && data[0] == 0xFF {
        _ = input.byte()
        runSequence(&input)
    } else {
        checkRoundTrip(input.rest())
    }
    return 0
}
