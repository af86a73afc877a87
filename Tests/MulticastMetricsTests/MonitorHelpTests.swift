import Foundation
import NetnsLab
import Testing

/// `mcexpert-monitor --help` says what the exporter exports and how it exits, each default once.
@Suite("mcexpert-monitor --help")
struct MonitorHelpTests {
    /// The help text with its line wrapping undone, so phrases can be searched whole.
    static func help() throws -> String {
        let result = try Shell.capture([MonitorProcess.path, "--help"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("the help names the rate as bytes (the bit rate is 8x), the querier's last-query age and the exit statuses")
    func namesWhatIsExported() throws {
        let text = try Self.help()
        #expect(text.contains("packet and byte rate (8x is the bit rate)"), "\(text)")
        #expect(!text.contains("packet and bit rate"))
        #expect(text.contains("whether an IGMP/MLD querier is heard and seconds since its last query"))
        #expect(text.contains("Exit status: 0 after SIGTERM or SIGINT; 2 for a bad command line or stream list; 1 when the listener cannot be bound"))
    }

    @Test("--receive-buffer states its default once")
    func receiveBufferDefaultOnce() throws {
        let text = try Self.help()
        guard let start = text.range(of: "--receive-buffer <receive-buffer>", options: .backwards) else {
            Issue.record("no --receive-buffer option in \(text)")
            return
        }
        let option = text[start.upperBound...].components(separatedBy: " --")[0]
        #expect(option.components(separatedBy: "default").count - 1 == 1, "\(option)")
        #expect(!option.contains("MiB"), "the default in other words is still the default twice: \(option)")
    }
}
