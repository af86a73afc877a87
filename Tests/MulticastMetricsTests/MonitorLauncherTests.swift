import Foundation
import MulticastExpert
import NetnsLab
import Testing

/// `mcexpert monitor`: hands over to `mcexpert-monitor` beside it, or says where to get it.
@Suite("mcexpert monitor")
struct MonitorLauncherTests {
    @Test("mcexpert monitor runs the mcexpert-monitor beside it with the same arguments")
    func handsOver() throws {
        let result = try Shell.capture([MCExpertBinary.path, "monitor", "--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("mcexpert-monitor "), "\(result.stdout)\(result.stderr)")
    }

    @Test("mcexpert and mcexpert-monitor report the same release, the one the library declares")
    func sameRelease() throws {
        let cli = try Shell.capture([MCExpertBinary.path, "--version"])
        let monitor = try Shell.capture([MonitorProcess.path, "--version"])
        let release = MulticastExpertRelease.version
        #expect(cli.stdout.hasPrefix("mcexpert \(release) ("), "\(cli.stdout)")
        #expect(monitor.stdout.hasPrefix("mcexpert-monitor \(release) ("), "\(monitor.stdout)")
    }

    @Test("without mcexpert-monitor beside it or on PATH it says what the exporter is and how to get it")
    func explainsWhenMissing() throws {
        let directory = NSTemporaryDirectory() + "mcx-launcher-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: MCExpertBinary.path, toPath: directory + "/mcexpert")
        // Another test's fork can hold the copy's write descriptor for a moment (ETXTBSY): try again then.
        var result = try Shell.capture(["env", "PATH=/nonexistent", directory + "/mcexpert", "monitor", "--streams", "x.yaml"])
        for _ in 0..<50 where result.status == 126 && result.stderr.contains("Text file busy") {
            usleep(100_000)
            result = try Shell.capture(["env", "PATH=/nonexistent", directory + "/mcexpert", "monitor", "--streams", "x.yaml"])
        }
        #expect(result.status == 127)
        #expect(result.stderr.contains("mcexpert-monitor"))
        #expect(result.stderr.contains("scripts/install.sh"))
    }
}
