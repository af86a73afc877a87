/// Reading the Prometheus text the exporter writes, as a scraper would: sample lines by metric
/// name and label values.
enum Exposition {
    /// The value of the sample of `metric` whose labels include every `label="value"` given
    /// (in the escaped form the text carries); nil when there is none.
    static func value(_ text: String, _ metric: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") || line.hasPrefix(metric + " ") {
            guard labels.allSatisfy({ line.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
            guard let space = line.lastIndex(of: " ") else { continue }
            return Double(line[line.index(after: space)...])
        }
        return nil
    }
}
