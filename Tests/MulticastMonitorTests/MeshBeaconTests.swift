import MulticastExpert
import MulticastMonitor
import Testing

/// The mesh beacon's wire format: what goes out comes back, and hostile bytes are rejected
/// with a reason instead of trusted.
@Suite("Mesh beacon wire format")
struct MeshBeaconTests {
    static func sampleBeacon(reports: Int = 3) -> MeshBeacon {
        let addresses: [IPAddress?] = [.v4(IPv4Address(198, 18, 0, 9)), IPAddress("fe80::1"), nil]
        var list: [MeshReport] = []
        for i in 0..<reports {
            let echo: MeshEcho? = i == 0 ? MeshEcho(sequence: 77, sendTimeNanoseconds: 1_700_000_000_000_000_000, holdMicroseconds: 1234) : nil
            let oneWay: Int32 = -5 + Int32(i)
            let roundTrip: UInt32? = i == 1 ? nil : 900
            let hopLimit: UInt8? = i == 2 ? nil : 64
            list.append(MeshReport(peerRunID: UInt64(0xA000 + i), received: UInt32(100 + i), lost: UInt32(i), duplicates: 1,
                                   oneWayMicroseconds: oneWay, clocksAgree: i % 2 == 0, jitterMicroseconds: 42,
                                   roundTripMicroseconds: roundTrip, lastHopLimit: hopLimit, isGone: i == 1,
                                   echo: echo, peerAddress: addresses[i % 3], peerName: Array("peer-\(i)".utf8)))
        }
        return MeshBeacon(probe: ProbeHeader(senderID: 0xFEED, sequence: 12, sendTimeNanoseconds: 1_700_000_000_123_456_789),
                          name: Array("h1.example".utf8), isSendOnly: true, intervalMicroseconds: 200_000, omittedReports: 2,
                          trackedPeers: 5, reports: list)
    }

    @Test("a beacon decodes to exactly what was encoded, and is a probe to every probe receiver")
    func roundTrip() throws {
        let beacon = Self.sampleBeacon()
        let bytes = beacon.encoded()
        #expect(try MeshBeacon(decoding: bytes) == beacon)
        let probe = try #require(ProbeHeader(decoding: bytes))
        #expect(probe == beacon.probe)
        #expect(Int(bytes[6]) << 8 | Int(bytes[7]) == bytes.count, "the probe's header length covers the extension")
        // Padding after the header (a sender may pad) changes nothing.
        #expect(try MeshBeacon(decoding: bytes + [0, 0, 0, 0]) == beacon)
    }

    @Test("a beacon cut at any byte is rejected, never misread")
    func truncationAtEveryByte() {
        let bytes = Self.sampleBeacon().encoded()
        for length in 0..<bytes.count {
            #expect(throws: MeshBeaconRejection.self) { try MeshBeacon(decoding: Array(bytes.prefix(length))) }
        }
    }

    @Test("forged counts and lengths are rejected with their reason")
    func forgedCounts() throws {
        let bytes = Self.sampleBeacon().encoded()
        var moreReports = bytes
        moreReports[39] = 4  // one more report than the header holds
        #expect(throws: MeshBeaconRejection.inconsistentLength) { try MeshBeacon(decoding: moreReports) }
        var huge = bytes
        huge[39] = 255
        #expect(throws: MeshBeaconRejection.tooManyReports(255)) { try MeshBeacon(decoding: huge) }
        var longName = bytes
        longName[38] = 200
        #expect(throws: MeshBeaconRejection.nameTooLong(200)) { try MeshBeacon(decoding: longName) }
        var reportName = bytes
        reportName[48 + 10 + 34] = 250  // the first report's name length
        #expect(throws: MeshBeaconRejection.inconsistentLength) { try MeshBeacon(decoding: reportName) }
        var version = bytes
        version[36] = 2
        #expect(throws: MeshBeaconRejection.unknownVersion) { try MeshBeacon(decoding: version) }
        var headerBeyond = bytes
        headerBeyond[7] &+= 1  // header length one past the datagram: not even a probe
        #expect(throws: MeshBeaconRejection.notProbe) { try MeshBeacon(decoding: headerBeyond) }
        let plainProbe = ProbeHeader(senderID: 1, sequence: 0, sendTimeNanoseconds: 0).datagram(size: 200)
        #expect(throws: MeshBeaconRejection.notMesh) { try MeshBeacon(decoding: plainProbe) }
    }

    @Test("names are cut to 32 bytes at a character boundary, and control bytes travel as bytes")
    func names() throws {
        let long = Array(String(repeating: "é", count: 40).utf8)  // 2 bytes each
        let beacon = MeshBeacon(probe: ProbeHeader(senderID: 1, sequence: 0, sendTimeNanoseconds: 0), name: long, intervalMicroseconds: 1)
        #expect(beacon.name.count == 32)
        let odd = "x" + String(repeating: "é", count: 20)
        let cut = MeshBeacon(probe: ProbeHeader(senderID: 1, sequence: 0, sendTimeNanoseconds: 0), name: Array(odd.utf8), intervalMicroseconds: 1)
        #expect(cut.name.count == 31, "a 2-byte character does not fit in the 32nd byte")
        #expect(String(validating: cut.name, as: UTF8.self) != nil)
        let escape = MeshBeacon(probe: ProbeHeader(senderID: 1, sequence: 0, sendTimeNanoseconds: 0), name: [0x1B, 0x5B, 0x32, 0x4A], intervalMicroseconds: 1)
        #expect(try MeshBeacon(decoding: escape.encoded()).name == [0x1B, 0x5B, 0x32, 0x4A])
    }

    @Test("a beacon whose public fields were set past the limits after init encodes (cut as init cuts) instead of trapping")
    func fieldsPastLimitsEncode() throws {
        var beacon = Self.sampleBeacon(reports: 16)
        beacon.name = Array(repeating: 0x6E, count: 300)
        beacon.reports += Self.sampleBeacon(reports: 16).reports + Self.sampleBeacon(reports: 10).reports  // 42
        beacon.reports[0].peerName = Array(repeating: 0x70, count: 300)
        let decoded = try MeshBeacon(decoding: beacon.encoded())
        #expect(decoded.name == Array(repeating: 0x6E, count: 32))
        #expect(decoded.reports.count == MeshBeacon.maximumReports)
        #expect(decoded.reports[0].peerName == Array(repeating: 0x70, count: 32))
        #expect(beacon.reports[0].encodedLength == MeshReport.fixedLength + 32)
        #expect(Array(decoded.reports.dropFirst()) == Array(beacon.reports[1..<16]), "the first 16 reports go out")
    }

    @Test("a state fills its beacons to at most 1200 bytes and counts the reports left out")
    func beaconSizeBound() {
        var state = MeshState(configuration: MeshConfiguration(runID: 1, name: Array(String(repeating: "n", count: 32).utf8), intervalNanoseconds: 200_000_000))
        for i in 0..<40 {
            let peer = MeshBeacon(probe: ProbeHeader(senderID: UInt64(100 + i), sequence: 0, sendTimeNanoseconds: 0),
                                  name: Array(String(repeating: "p", count: 32).utf8), intervalMicroseconds: 200_000)
            state.receive(peer, from: .v4(IPv4Address(198, 18, 1, UInt8(i))), hopLimit: 1, receivedAt: Timestamp(nanosecondsSinceEpoch: 1), now: 1)
        }
        let beacon = state.makeBeacon(sendTime: Timestamp(nanosecondsSinceEpoch: 2), now: 2)
        #expect(beacon.encoded().count <= MeshBeacon.maximumLength)
        #expect(beacon.reports.count == 10, "72 + 32 bytes a report: 10 fit beside a 32-byte name")
        #expect(Int(beacon.omittedReports) == 30)
        #expect(state.counters.reportsOmitted == 30)
    }
}
