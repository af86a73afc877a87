import Foundation
import MulticastExpert
import MulticastMetrics
import MulticastMonitor
import NetnsLab
import Synchronization
import Testing

/// A reload must not hold the lock every scrape takes while it joins its streams (review Low10).
@Suite("Reload beside scrapes")
struct ReloadLockTests {
    let port = TestPorts.unique()

    /// What the scraping thread and the test share.
    final class Progress: Sendable {
        let applying = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
        /// Refreshes that began and ended while the reload was running.
        let refreshesDuringReload = Atomic<Int>(0)
    }

    @Test("refreshes go on while a reload joins 400 streams, instead of waiting for the whole reload",
          .enabled(if: Lab.shouldRun, "needs root for a namespace"))
    func refreshesDuringReload() throws {
        let hosts = try TwoHosts("mrlk")
        defer { hosts.tearDown() }
        let exporter = StreamExporter(monitor: try Monitor(), maximumStreams: 4096, version: "test", configuration: "debug", startTime: 0)
        let streams = try (0..<400).map { index in
            MonitoredStream(name: "s\(index)", group: try MulticastGroup(parsing: "239.82.\(index / 200).\(index % 200 + 1)"), port: port,
                            interface: "vb", payload: PayloadOptions(choice: .forced(.probe)))
        }
        let progress = Progress()
        let scraper = Thread {
            while !progress.finished.load(ordering: .acquiring) {
                let began = progress.applying.load(ordering: .acquiring)
                exporter.refresh(force: true)
                if began && progress.applying.load(ordering: .acquiring) { progress.refreshesDuringReload.add(1, ordering: .relaxed) }
            }
        }
        scraper.start()
        defer { progress.finished.store(true, ordering: .releasing) }
        usleep(20_000)
        let outcome = try hosts.b.run {
            progress.applying.store(true, ordering: .releasing)
            defer { progress.applying.store(false, ordering: .releasing) }
            return exporter.apply(streams)
        }
        #expect(outcome.joinFailures.isEmpty, "\(outcome.joinFailures.prefix(3))")
        #expect(exporter.streams.count == 400)
        // Holding the lock across the joins let at most the one refresh that was waiting finish inside.
        #expect(progress.refreshesDuringReload.load(ordering: .relaxed) >= 3,
                "refreshes completed during the reload: \(progress.refreshesDuringReload.load(ordering: .relaxed))")
    }
}
