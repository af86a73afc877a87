import MulticastMetrics
import Testing

@Suite("Stream labels")
struct StreamLabelsTests {
    @Test("the built-in labels come first, then the file's, in order")
    func order() {
        let labels = StreamLabels.labels(of: Fixtures.stream("news", interface: "h2", labels: [MetricLabel(key: "site", value: "ams1"),
                                                                                              MetricLabel(key: "tier", value: "gold")]))
        #expect(labels.map(\.0) == ["name", "group", "port", "interface", "source", "kind", "site", "tier"])
        #expect(labels.map(\.1) == ["news", "239.77.0.1", "5000", "h2", "", "auto", "ams1", "gold"])
    }

    @Test("file labels that are invalid names, reserved, built-in or repeated are left out")
    func badKeys() {
        let keys = ["1x", "__name__", "name", "ok", "ok", "a-b", ""]
        let labels = StreamLabels.labels(of: Fixtures.stream(labels: keys.map { MetricLabel(key: $0, value: "v") }))
        #expect(labels.map(\.0) == StreamLabels.builtIn + ["ok"])
    }

    @Test("a long value is cut at a character boundary within the byte limit")
    func longValue() {
        let value = String(repeating: "é", count: 500)
        let cut = StreamLabels.bounded(value)
        #expect(cut.utf8.count <= StreamLabels.maximumValueBytes)
        #expect(cut.utf8.count == StreamLabels.maximumValueBytes)
        #expect(value.hasPrefix(cut))
    }

    @Test("no more file labels than the cap are kept")
    func labelCap() {
        let many = (0..<40).map { MetricLabel(key: "k\($0)", value: "v") }
        #expect(StreamLabels.labels(of: Fixtures.stream(labels: many)).count == StreamLabels.builtIn.count + StreamLabels.maximumFileLabels)
    }
}
