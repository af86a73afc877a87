import MulticastDoctor
import MulticastExpert
import MulticastMonitor
@testable import MulticastTUI
import Testing

/// Background jobs whose thread cannot start: the failure reaches the status line and no
/// running flag stays set, so the job can be asked for again.
@Suite("TUI background jobs that cannot start")
struct BackgroundJobTests {
    struct NoThreads: Error, CustomStringConvertible {
        var description: String { "Resource temporarily unavailable" }
    }

    static let table = InterfaceTable(interfaces: [
        NetworkInterface(name: "lo", index: 1, flags: [.up, .loopback, .running, .multicast], ipv4Addresses: [InterfaceAddress(address: IPAddress("127.0.0.1")!, prefixLength: 8)]),
    ])
    static let request = SendRequest(group: try! MulticastGroup(parsing: "239.1.2.3"), port: 5000, interface: "lo", rate: 10)

    @Test("a doctor whose thread failed to start is reported, is no longer running, and runs again on r")
    func doctorThreadFailure() {
        var s = AppState(hostName: "testhost", privileged: false)
        guard case .runDoctor = s.handle(.key(.character("d"))).first else { Issue.record("d runs the doctor"); return }
        #expect(s.doctor.running)
        #expect(s.handle(.threadFailed(.doctor, reason: "Resource temporarily unavailable")).isEmpty)
        #expect(!s.doctor.running)
        #expect(s.status == StatusMessage(text: "doctor: could not start its thread: Resource temporarily unavailable", style: .error))
        guard case .runDoctor = s.handle(.key(.character("r"))).first else { Issue.record("r runs the doctor again"); return }
    }

    @Test("a sender whose thread failed to start is reported, shown stopped, and Enter starts it again")
    func senderThreadFailure() {
        var s = AppState(hostName: "testhost", privileged: false)
        _ = s.handle(.interfaces(Self.table, defaultGateways: []))
        _ = s.handle(.sender(SenderStatus(request: Self.request, sent: 0, running: true)))
        _ = s.handle(.key(.character("6")))
        _ = s.handle(.threadFailed(.sender(Self.request), reason: "Resource temporarily unavailable"))
        #expect(s.send.sender?.running == false)
        #expect(s.status == StatusMessage(text: "sender: could not start its thread: Resource temporarily unavailable", style: .error))
        for c in "239.1.2.3:5000" { _ = s.handle(.key(.character(c))) }
        _ = s.handle(.key(.down))
        for c in "lo" { _ = s.handle(.key(.character(c))) }
        #expect(s.handle(.key(.enter)) == [.startSender(Self.request)], "not stopSender: nothing is running")
    }

    @Test("the app reports a doctor thread that cannot start, and the doctor can be asked for again")
    func appDoctorThreadFailure() throws {
        let app = try TUIApp(options: TUIOptions(), startThread: { _ in throw NoThreads() })
        app.dispatch(.key(.character("d")))
        #expect(app.state.screen == .doctor)
        #expect(!app.state.doctor.running)
        #expect(app.state.status == StatusMessage(text: "doctor: could not start its thread: Resource temporarily unavailable", style: .error))
        app.dispatch(.key(.character("d")))
        #expect(app.state.status?.text.contains("still running") == false, "no stuck flag: d tries again")
    }

    @Test("the app reports a sender thread that cannot start, and a second try is not refused as already running")
    func appSenderThreadFailure() throws {
        let app = try TUIApp(options: TUIOptions(), startThread: { _ in throw NoThreads() })
        app.dispatch(.interfaces(Self.table, defaultGateways: []))
        app.dispatch(.key(.character("6")))
        for c in "239.1.2.3:5000" { app.dispatch(.key(.character(c))) }
        app.dispatch(.key(.down))
        for c in "lo" { app.dispatch(.key(.character(c))) }
        for attempt in 1...2 {
            app.dispatch(.key(.enter))
            #expect(app.state.send.sender?.running == false, "attempt \(attempt)")
            #expect(app.state.status == StatusMessage(text: "sender: could not start its thread: Resource temporarily unavailable", style: .error),
                    "attempt \(attempt): \(String(describing: app.state.status))")
        }
    }

    @Test("the app reports an IGMP/MLD listener whose thread cannot start; the screen says why")
    func appIGMPThreadFailure() throws {
        let app = try TUIApp(options: TUIOptions(), startThread: { _ in throw NoThreads() })
        app.dispatch(.resize(width: 80, height: 24))
        app.dispatch(.launched(TUIOptions()))
        app.dispatch(.key(.character("7")))
        let text = Renderer.render(app.state, glyphs: .unicode, now: .now).text
        if app.state.privileged {
            #expect(app.state.igmp.unavailable == "could not start its thread: Resource temporarily unavailable")
            #expect(app.state.status == StatusMessage(text: "IGMP/MLD: could not start its thread: Resource temporarily unavailable", style: .error))
            #expect(text.contains("could not start its thread: Resource temporarily unavailable"), "\(text)")
        } else {
            #expect(app.state.igmp.unavailable == nil && text.contains("Not listening: hearing IGMP and MLD needs CAP_NET_RAW"), "\(text)")
        }
    }
}
