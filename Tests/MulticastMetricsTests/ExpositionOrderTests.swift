import MulticastMetrics
import Testing

@Suite("Exposition order")
struct ExpositionOrderTests {
    @Test("families come out by name and each family's samples sorted, every line kept")
    func sortsFamiliesAndSamples() {
        let text = """
            # HELP b_total B.
            # TYPE b_total counter
            b_total{name="z"} 1
            b_total{name="a"} 2
            # HELP a A.
            # TYPE a gauge
            a 3

            """
        let sorted = String(decoding: ExpositionOrder.sorted(Array(text.utf8)), as: UTF8.self)
        #expect(sorted == """
            # HELP a A.
            # TYPE a gauge
            a 3
            # HELP b_total B.
            # TYPE b_total counter
            b_total{name="a"} 2
            b_total{name="z"} 1

            """)
    }

    @Test("an escaped newline or quote in a label value stays inside its line")
    func escapedValues() {
        let text = #"""
            # TYPE x gauge
            x{v="a\nb\"c"} 1
            x{v="0"} 2

            """#
        let sorted = String(decoding: ExpositionOrder.sorted(Array(text.utf8)), as: UTF8.self)
        #expect(sorted.split(separator: "\n").count == 3)
        #expect(sorted.contains(#"x{v="a\nb\"c"} 1"#))
    }

    @Test("a family name that comes twice stays two families in their order, and sorting again changes nothing")
    func repeatedFamily() {
        let text = Array("# HELP a A.\na 1\n# HELP b B.\nb 2\n# HELP a A.\na 0\n".utf8)
        let once = ExpositionOrder.sorted(text)
        #expect(String(decoding: once, as: UTF8.self) == "# HELP a A.\na 1\n# HELP a A.\na 0\n# HELP b B.\nb 2\n")
        #expect(ExpositionOrder.sorted(once) == once)
    }

    @Test("empty text stays empty")
    func empty() {
        #expect(ExpositionOrder.sorted([]).isEmpty)
    }
}
