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
}
