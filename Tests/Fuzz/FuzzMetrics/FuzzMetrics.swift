import FuzzSupport
import MulticastExpert
import MulticastMetrics
import MulticastMonitor
import Prometheus

// What mcexpert-monitor takes from outside and turns into text: the --metrics-listen argument,
// stream names and label values from the stream list (written into the exposition, where
// swift-prometheus escapes them), and the exposition's reordering.
//
// Input layout: byte 0 picks what is tested; the rest is the text or the fields (separated by
// newlines: name, then key, value pairs).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte() % 3
    let rest = input.rest()
    switch selector {
    case 0: listenAddress(String(decoding: rest, as: UTF8.self), allowAll: rest.first.map { $0 & 1 == 1 } ?? false)
    case 1: labelledSeries(String(decoding: rest, as: UTF8.self))
    default: reorder(rest)
    }
    return 0
}

/// A listen address parses to a value that prints and parses back to itself; a wildcard only when allowed.
private func listenAddress(_ text: String, allowAll: Bool) {
    do {
        let address = try MetricsListenAddress(parsing: text, allowAllAddresses: allowAll)
        precondition(allowAll || !MetricsListenAddress.isWildcard(address.address), "a wildcard needs --allow-all-addresses")
        precondition((try? MetricsListenAddress(parsing: address.description, allowAllAddresses: true)) == address,
                     "\(address) parses back")
    } catch {
        precondition(!error.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, "no control characters in the message")
    }
}

/// Any name and labels give series whose every sample line is one line: a metric name, one
/// label set, one value; and sorting keeps every line.
private func labelledSeries(_ text: String) {
    let fields = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let name = fields.first ?? ""
    var labels: [MetricLabel] = []
    var index = 1
    while index + 1 < fields.count {
        labels.append(MetricLabel(key: fields[index], value: fields[index + 1]))
        index += 2
    }
    let stream = MonitoredStream(name: name, group: group, port: 5000, interface: fields.count > 1 ? fields[1] : nil, labels: labels)
    let built = StreamLabels.labels(of: stream)
    precondition(Set(built.map(\.0)).count == built.count, "label names are unique")
    precondition(built.allSatisfy { StreamLabels.isValidName($0.0) && $0.1.utf8.count <= StreamLabels.maximumValueBytes }, "labels are bounded")
    let registry = PrometheusCollectorRegistry()
    registry.makeGauge(name: "mcexpert_fuzz", labels: built, help: "Fuzz.").set(to: 1)
    let text = registry.emitToBuffer()
    let samples = text.split(separator: UInt8(ascii: "\n")).filter { $0.first != UInt8(ascii: "#") }
    precondition(samples.count == 1, "one series is one line: \(String(decoding: text, as: UTF8.self))")
    precondition(samples[0].starts(with: Array("mcexpert_fuzz{".utf8)) && samples[0].suffix(5).elementsEqual(Array("} 1.0".utf8)),
                 "the line is the name, the labels and the value")
    let sorted = ExpositionOrder.sorted(text)
    precondition(sorted.count == text.count, "sorting keeps every byte")
}

/// Sorting any text keeps its non-empty lines and sorts again to itself.
private func reorder(_ bytes: [UInt8]) {
    let once = ExpositionOrder.sorted(bytes)
    let lines = bytes.split(separator: UInt8(ascii: "\n"))
    let sortedLines = once.split(separator: UInt8(ascii: "\n"))
    precondition(lines.count == sortedLines.count, "every line is kept")
    precondition(lines.map(Array.init).sorted { $0.lexicographicallyPrecedes($1) }
                 == sortedLines.map(Array.init).sorted { $0.lexicographicallyPrecedes($1) }, "the same lines")
    precondition(ExpositionOrder.sorted(once) == once, "sorting twice changes nothing")
}

private let group = try! MulticastGroup(parsing: "239.1.2.3")
