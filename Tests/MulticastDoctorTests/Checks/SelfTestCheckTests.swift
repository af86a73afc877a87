@testable import MulticastDoctor
import MulticastExpert
import Testing

/// What the self-test's count means, from described results (the real run is in DoctorLabTests).
@Suite("Doctor: self-test check")
struct SelfTestCheckTests {
    let host = FabricatedHost().interface("h1", ipv4: ["198.18.1.1/24"]).interface("h2", ipv4: ["198.18.2.1/24"])

    func examination(_ request: DoctorRequest, result: SelfTestRun.Result?) throws -> Examination {
        var exam = try Examination(request: request, host: host.view)
        exam.selfTest = result
        return exam
    }

    @Test("one interface or no group: not run, saying what it needs", arguments: [
        DoctorRequest(interfaces: ["h1"], groups: [group("239.1.2.3")], selfTest: true),
        DoctorRequest(interfaces: ["h1", "h2"], selfTest: true),
    ])
    func needsTwoInterfacesAndGroup(request: DoctorRequest) throws {
        let findings = try examine(host, request)
        let notRun = try #require(findings.first("selftest.not-run"))
        #expect(notRun.severity == .info && notRun.summary == "self-test needs two interfaces (--iface twice) and a group")
    }

    @Test("against a described host the self-test sends nothing and says it was not run")
    func describedHost() throws {
        let findings = try examine(host, DoctorRequest(interfaces: ["h1", "h2"], groups: [group("239.1.2.3")], port: 5000, selfTest: true))
        #expect(findings.first("selftest.not-run")?.summary == "self-test was not run")
    }

    @Test("the self-test plan: from the first interface to the second, on the first group, at the request's port")
    func plan() throws {
        let exam = try examination(DoctorRequest(interfaces: ["h1", "h2"], groups: [group("239.1.2.3"), group("239.1.2.4")], port: 5000, selfTest: true), result: nil)
        let run = try #require(exam.selfTestRun)
        #expect(run.from.name == "h1" && run.to.name == "h2" && run.group == group("239.1.2.3") && run.port == 5000)
        #expect(exam.request.sources == [address("198.18.1.1")], "the probes' source joins the sources, so accept_local and rp_filter are judged for it")
    }

    @Test("probes that arrived pass; none arriving fails and names the sender's address; an error fails")
    func results() throws {
        let request = DoctorRequest(interfaces: ["h1", "h2"], groups: [group("239.1.2.3")], port: 5000, selfTest: true)
        let passed = try #require(try examination(request, result: .ran(sent: 20, received: 18, senderAddress: address("198.18.1.1"))).findings().first("selftest.passed"))
        #expect(passed.severity == .ok && passed.summary == "self-test: 18 of 20 probes sent on h1 arrived on h2")
        let failed = try #require(try examination(request, result: .ran(sent: 20, received: 0, senderAddress: address("198.18.1.1"))).findings().first("selftest.failed"))
        #expect(failed.severity == .fail && failed.source == "198.18.1.1" && failed.interface == "h2")
        let error = try #require(try examination(request, result: .couldNotRun("permission denied")).findings().first("selftest.error"))
        #expect(error.severity == .fail && error.summary == "self-test could not run: permission denied")
    }

    @Test("without --self-test there is no self-test finding")
    func notAsked() throws {
        #expect(try examine(host, DoctorRequest(interfaces: ["h1", "h2"], groups: [group("239.1.2.3")])).filter { $0.id.hasPrefix("selftest.") }.isEmpty)
    }
}
