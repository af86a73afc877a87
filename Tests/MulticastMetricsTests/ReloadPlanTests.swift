import MulticastMetrics
import Testing

@Suite("Reload plan")
struct ReloadPlanTests {
    @Test("unchanged streams are kept, changed ones removed and added afresh, gone ones removed, new ones added")
    func diff() {
        let current = [Fixtures.stream("a"), Fixtures.stream("b"), Fixtures.stream("c")]
        let wanted = [Fixtures.stream("a"), Fixtures.stream("b", timeout: .seconds(9)), Fixtures.stream("d")]
        let plan = ReloadPlan(current: current, wanted: wanted, maximumStreams: 10)
        #expect(plan.kept == ["a"])
        #expect(plan.removed.sorted() == ["b", "c"])
        #expect(plan.added.map(\.name) == ["b", "d"])
        #expect(plan.refused.isEmpty)
        #expect(plan.streams.map(\.name) == ["a", "b", "d"])
    }

    @Test("streams beyond the cap and repeated names are refused, the first ones followed")
    func capAndRepeats() {
        let wanted = ["a", "b", "a", "c", "d"].map { Fixtures.stream($0) }
        let plan = ReloadPlan(current: [], wanted: wanted, maximumStreams: 2)
        #expect(plan.streams.map(\.name) == ["a", "b"])
        #expect(plan.refused == ["a", "c", "d"])
    }

    @Test("a label change is a change: the stream's series start afresh under the new labels")
    func labelChange() {
        let before = Fixtures.stream("a", labels: [MetricLabel(key: "site", value: "x")])
        let after = Fixtures.stream("a", labels: [MetricLabel(key: "site", value: "y")])
        let plan = ReloadPlan(current: [before], wanted: [after], maximumStreams: 10)
        #expect(plan.removed == ["a"])
        #expect(plan.added == [after])
    }
}
