import MulticastExpert
import MulticastMonitor
import Testing
@testable import mcexpert

/// `mcexpert mesh`'s verdict and text from a matrix: what `--expect` counts, what is a problem,
/// and that any matrix (`MeshMatrix.init` is public, so a ragged one too) prints without a trap.
@Suite("mcexpert mesh printer")
struct MeshPrinterTests {
    static let a = IPAddress.v4(IPv4Address(198, 18, 0, 1)), b = IPAddress.v4(IPv4Address(198, 18, 0, 2))
    static let c = IPAddress.v4(IPv4Address(198, 18, 0, 3)), d = IPAddress.v4(IPv4Address(198, 18, 0, 4))

    static func cell() -> MeshCell { MeshCell(origin: .measured, received: 50, lost: 0, lastHopLimit: 1) }

    static func square(_ participants: [MeshParticipant]) -> MeshMatrix {
        MeshMatrix(participants: participants, cells: participants.map { _ in participants.map { _ in cell() } })
    }

    @Test("--expect counts participants present and heard here, once per name and address: not a restarted host's old run, one that left, or one known only from reports")
    func expectCountsPresentParticipants() {
        let matrix = Self.square([
            MeshParticipant(runID: 1, name: Array("h1".utf8), address: Self.a, isSelf: true),
            MeshParticipant(runID: 2, name: Array("h2".utf8), address: Self.b),
            MeshParticipant(runID: 3, name: Array("h2".utf8), address: Self.b, isGone: true, isReplaced: true),  // h2 before its restart
            MeshParticipant(runID: 4, name: Array("h3".utf8), address: Self.c, isGone: true),  // left
            MeshParticipant(runID: 5, name: Array("h4".utf8), address: Self.d, isHeardDirectly: false),  // only in others' reports
        ])
        #expect(matrix.presentParticipantCount == 2)
        let problems = MeshPrinter.problemLines(matrix, maxLossPercent: 0, expected: 3)
        #expect(problems == ["2 participants present and heard here, 3 expected"], "\(problems)")
        #expect(MeshPrinter.problemLines(matrix, maxLossPercent: 0, expected: 2).isEmpty)
    }

    @Test("a participant known only from reports is not 'another participant heard'")
    func reportOnlyIsNotHeard() {
        let matrix = Self.square([
            MeshParticipant(runID: 1, name: Array("h1".utf8), address: Self.a, isSelf: true),
            MeshParticipant(runID: 9, name: Array("ghost".utf8), address: Self.b, isHeardDirectly: false),
        ])
        #expect(MeshPrinter.problemLines(matrix, maxLossPercent: 0, expected: nil).contains("no other participant heard"))
    }

    @Test("two runs present under one name and address are a problem, naming both")
    func sharedIdentityIsAProblem() {
        let matrix = Self.square([
            MeshParticipant(runID: 1, name: Array("h1".utf8), address: Self.a, isSelf: true),
            MeshParticipant(runID: 0x22, name: Array("h2".utf8), address: Self.b),
            MeshParticipant(runID: 0x33, name: Array("h2".utf8), address: Self.b),
        ])
        let problems = MeshPrinter.problemLines(matrix, maxLossPercent: 0, expected: 2)
        #expect(problems == ["2 runs share name h2 and address 198.18.0.2 (runs 22, 33: two mcexpert mesh on one host, or forged beacons)"], "\(problems)")
    }

    @Test("a ragged matrix (fewer cells than participants) prints its participants without a trap")
    func raggedMatrixPrints() {
        let ragged = MeshMatrix(participants: [MeshParticipant(runID: 1, name: Array("h1".utf8), address: Self.a, isSelf: true),
                                               MeshParticipant(runID: 2, name: Array("h2".utf8), address: Self.b)],
                                cells: [[Self.cell()]])
        let lines = MeshPrinter.participantLines(ragged)
        #expect(lines.count == 3)
        #expect(lines[1].contains("TTL 1 here") && !lines[2].contains("TTL"), "\(lines)")
        #expect(MeshPrinter.participantLines(MeshMatrix(participants: ragged.participants, cells: [])).count == 3)
    }

    @Test("the pair table lists every pair with figures (not the diagonal): counts, loss, duplicates, latency marked one-way or round trip, jitter, TTL and origin, in 80 columns with 14-character names")
    func pairTableRows() {
        let me = MeshParticipant(runID: 1, name: Array("fourteen-chars".utf8), address: Self.a, isSelf: true)
        let peer = MeshParticipant(runID: 2, name: Array("another-long-hostname".utf8), address: Self.b)
        let evil = MeshParticipant(runID: 3, name: Array("\u{1B}[2Jx".utf8), address: Self.c, isHeardDirectly: false)
        let measured = MeshCell(origin: .measured, received: 123_456, lost: 4, duplicates: 2, oneWayNanoseconds: 40_000, clocksAgree: true,
                                roundTripNanoseconds: 90_000, jitterNanoseconds: 12_400, lastHopLimit: 1)
        let reported = MeshCell(origin: .reported(ageNanoseconds: 1_500_000_000), received: 50, lost: 50, oneWayNanoseconds: 9_000_000_000,
                                clocksAgree: false, roundTripNanoseconds: 1_240_000, jitterNanoseconds: 2_000_000, lastHopLimit: 3, isGone: true)
        let matrix = MeshMatrix(participants: [me, peer, evil],
                                cells: [[Self.cell(), measured, nil], [reported, Self.cell(), nil], [nil, nil, nil]])
        let lines = MeshPairTable.lines(matrix)
        #expect(lines.count == 5, "title (2), column titles, two pairs: \(lines)")
        let words = lines.dropFirst(2).map { $0.split(separator: " ").map(String.init) }
        #expect(words[0] == ["receiver", "sender", "recv", "lost", "loss", "dups", "latency", "jitter", "TTL", "origin"])
        // 14-character names, a 6-digit count and a gone cell do not fit 80 columns: the names are cut further.
        #expect(words[1] == ["fourteen-…", "*", "another-long…", "123456", "4", "0.0%", "2", "40µs", "1w", "12µs", "1", "here"], "\(lines)")
        #expect(words[2] == ["another-lon…", "fourteen-cha…", "50", "50", "50%", "0", "1.2ms", "rtt", "2.0ms", "3", "1.5s,", "gone"], "\(lines)")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.map(\.count))")
        #expect(MeshPairTable.lines(MeshMatrix(participants: [me], cells: [[Self.cell()]])).last == "  none yet")
        let hostile = MeshMatrix(participants: [me, evil], cells: [[nil, measured], [nil, nil]])
        #expect(!MeshPairTable.lines(hostile).joined().unicodeScalars.contains { $0.value == 0x1B }, "a name's escape is shown as text")
    }

    @Test("duplicates are a problem of their own, beside loss, naming the pair and the count")
    func duplicatesAreAProblem() {
        let me = MeshParticipant(runID: 1, name: Array("h1".utf8), address: Self.a, isSelf: true)
        let peer = MeshParticipant(runID: 2, name: Array("h2".utf8), address: Self.b)
        let twice = MeshCell(origin: .measured, received: 40, lost: 10, duplicates: 5, lastHopLimit: 1)
        let matrix = MeshMatrix(participants: [me, peer], cells: [[Self.cell(), twice], [Self.cell(), Self.cell()]])
        let problems = MeshPrinter.problemLines(matrix, maxLossPercent: 50, expected: nil)
        #expect(problems == ["h1 receives 5 of h2's beacons twice (a loop or two paths)"], "\(problems)")
        #expect(MeshPrinter.problemLines(matrix, maxLossPercent: 10, expected: nil).count == 2, "loss and duplicates both")
    }

    @Test("the interval print carries the pair table up to 20 pairs (five hosts), above that a line saying where it is")
    func intervalPairTableStaysReadable() {
        func mesh(_ hosts: Int) -> MeshMatrix {
            Self.square((1...hosts).map { MeshParticipant(runID: UInt64($0), name: Array("h\($0)".utf8), isSelf: $0 == 1) })
        }
        #expect(MeshPrinter.intervalPairLines(mesh(5)).count == 3 + 20)
        #expect(MeshPrinter.intervalPairLines(mesh(6)) == ["pairs: 30, listed in the final print (and every interval with --format json)"])
    }
}
