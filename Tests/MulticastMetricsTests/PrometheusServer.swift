import Foundation
import NetnsLab

/// A real Prometheus server (Debian's `prometheus`) in a lab namespace, scraping the given
/// targets every second and evaluating the given rules every second, with its data in a
/// throwaway directory; queried over its HTTP API with curl from its namespace.
final class PrometheusServer {
    /// The project's `.tools/bin`, where scripts/setup.sh unpacks Debian's prometheus and promtool
    /// (so the host gets no prometheus service).
    static let projectTools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".tools/bin").path

    /// Where `name` (`prometheus` or `promtool`) is: `.tools/bin` first, then each directory of
    /// PATH; nil when neither has it.
    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let directories = [projectTools] + path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether a test that needs `name` should run: it is found, or it must run anyway (strict mode
    /// then fails with the reason where the tool is used).
    static func shouldRun(_ name: String) -> Bool { tool(name) != nil || Lab.isRequired }

    /// `name`'s path, or an error saying where it was looked for.
    static func require(_ name: String) throws -> String {
        guard let path = tool(name) else {
            throw LabError.commandFailed(name, status: 127, output: "\(name) is neither in \(projectTools) nor on PATH; scripts/setup.sh puts it in .tools/bin")
        }
        return path
    }

    let namespace: Namespace
    let address: String
    let directory: String
    let process: BackgroundProcess

    /// Starts Prometheus on `address` (host:port) and waits until it is ready.
    init(in namespace: Namespace, address: String, targets: [String], rules: String) throws {
        self.namespace = namespace
        self.address = address
        directory = NSTemporaryDirectory() + "mcx-prometheus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        try rules.write(toFile: directory + "/alerts.yml", atomically: true, encoding: .utf8)
        let config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
              - \(directory)/alerts.yml
            scrape_configs:
              - job_name: mcexpert
                static_configs:
                  - targets: [\(targets.map { "'\($0)'" }.joined(separator: ", "))]
            """
        try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        process = try namespace.spawn([try Self.require("prometheus"), "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
                                       "--web.listen-address=\(address)", "--log.level=warn"])
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? namespace.sh("curl -s -o /dev/null -w '%{http_code}' http://\(address)/-/ready")) == "200"
            if !ready { usleep(100_000) }
        }
        guard ready else { throw LabError.commandFailed("prometheus", status: -1, output: process.stop()) }
    }

    /// One instant query: each series' labels and value.
    func query(_ expression: String) throws -> [(labels: [String: String], value: Double)] {
        let text = try namespace.sh("curl -s -m 5 http://\(address)/api/v1/query --data-urlencode 'query=\(expression)'")
        guard let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]] else {
            throw LabError.commandFailed("query \(expression)", status: 0, output: text)
        }
        return result.compactMap { series in
            guard let labels = series["metric"] as? [String: String], let value = series["value"] as? [Any],
                  let number = (value.last as? String).flatMap(Double.init) else { return nil }
            return (labels, number)
        }
    }

    /// The alerts Prometheus holds now (`/api/v1/alerts`): labels and state (pending, firing).
    func alerts() throws -> [(labels: [String: String], state: String)] {
        let text = try namespace.sh("curl -s -m 5 http://\(address)/api/v1/alerts")
        guard let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any], let alerts = data["alerts"] as? [[String: Any]] else {
            throw LabError.commandFailed("alerts", status: 0, output: text)
        }
        return alerts.compactMap { alert in
            guard let labels = alert["labels"] as? [String: String], let state = alert["state"] as? String else { return nil }
            return (labels, state)
        }
    }

    func stop() {
        process.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
