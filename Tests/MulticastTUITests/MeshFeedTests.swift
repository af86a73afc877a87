import Foundation
import MulticastExpert
import MulticastMonitor
@testable import MulticastTUI
import NetnsLab
import Testing

/// The feed behind the Mesh screen with real sessions on lo, and the app when the feed's thread
/// cannot start.
@Suite("TUI mesh feed")
struct MeshFeedTests {
    /// Takes the feed's snapshots until one satisfies `condition` or `seconds` pass; returns the last taken.
    func waitFor(_ feed: MeshFeed, seconds: Double, _ condition: (MeshSnapshot) -> Bool) -> MeshSnapshot? {
        let deadline = Date().addingTimeInterval(seconds)
        var last: MeshSnapshot?
        while Date() < deadline {
            if let snapshot = feed.take() {
                last = snapshot
                if condition(snapshot) { return snapshot }
            }
            usleep(50_000)
        }
        return last
    }

    @Test("the feed runs a real session over lo: a second participant appears with no loss either way; stopping leaves a last snapshot marked stopped, then a new mesh may start")
    func feedOverLoopback() throws {
        let request = MeshRequest(group: try MulticastGroup(parsing: "239.255.77.79"), port: TestPorts.unique(), interface: "lo", name: "feed", rate: 20)
        let feed = MeshFeed()
        let session = try feed.open(request)
        #expect(throws: MeshStartError.self, "one mesh at a time") { try feed.open(request) }
        Thread.detachNewThread { feed.run(session, request: request) }
        let other = try MeshSession(MeshSessionOptions(group: request.group, port: request.port, interface: "lo", name: "other", beaconsPerSecond: 20))
        try other.start()
        defer { other.stop() }

        func clean(_ snapshot: MeshSnapshot) -> Bool {
            let m = snapshot.matrix
            guard m.participants.map(\.nameText) == ["feed", "other"] else { return false }
            return [(0, 1), (1, 0)].allSatisfy { r, s in (m.cells[r][s]?.received ?? 0) >= 5 && m.cells[r][s]?.lost == 0 }
        }
        let running = try #require(waitFor(feed, seconds: 15, clean), "no snapshot came")
        #expect(clean(running), "both hear each other without loss: \(running.matrix)")
        #expect(running.running && running.interfaceName == "lo" && running.intervalNanoseconds == 50_000_000 && running.failures == 0)

        feed.stop.store(true, ordering: .relaxed)
        let last = try #require(waitFor(feed, seconds: 10) { !$0.running })
        #expect(!last.running && last.matrix.participants.count == 2, "the last matrix, marked stopped")
        let deadline = Date().addingTimeInterval(5)
        while feed.running.load(ordering: .acquiring) && Date() < deadline { usleep(20_000) }
        let again = try feed.open(request)
        feed.abandon(again)
        let stillRunning = feed.running.load(ordering: .acquiring)
        #expect(!stillRunning)
    }

    @Test("a mesh whose feed thread cannot start: its session is closed, the screen says why, and the form starts it again")
    func appThreadFailure() throws {
        let app = try TUIApp(options: TUIOptions(), startThread: { _ in throw BackgroundJobTests.NoThreads() })
        app.dispatch(.resize(width: 80, height: 24))
        app.dispatch(.interfaces(BackgroundJobTests.table, defaultGateways: []))
        app.dispatch(.key(.character("8")))
        let target = "239.255.77.80:\(TestPorts.unique())"
        for attempt in 1...2 {
            app.dispatch(.key(.enter))
            #expect(app.state.mesh.form != nil, "attempt \(attempt)")
            if attempt == 1 {
                for _ in 0..<30 { app.dispatch(.key(.backspace)) }
                for c in target { app.dispatch(.key(.character(c))) }
                app.dispatch(.key(.tab))
                for c in "lo" { app.dispatch(.key(.character(c))) }
            }
            #expect(app.state.mesh.form?.fields[0].text == target && app.state.mesh.form?.fields[1].text == "lo", "the form keeps what was typed")
            app.dispatch(.key(.enter))
            #expect(app.state.status == StatusMessage(text: "mesh: could not start its thread: Resource temporarily unavailable", style: .error),
                    "attempt \(attempt): \(String(describing: app.state.status))")
            #expect(!app.state.mesh.isRunning)
        }
        let text = Renderer.render(app.state, glyphs: .unicode, now: .now).text
        #expect(text.contains("Could not start: could not start its thread"), "\(text)")
    }
}
