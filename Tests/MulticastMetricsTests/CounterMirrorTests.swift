import MulticastMetrics
import Testing

@Suite("Counter mirror")
struct CounterMirrorTests {
    @Test("a growing total adds exactly what it grew by")
    func growingTotal() {
        var mirror = CounterMirror()
        #expect(mirror.delta(to: 10) == 10)
        #expect(mirror.delta(to: 15) == 5)
        #expect(mirror.delta(to: 15) == 0)
    }

    @Test("a total that falls adds nothing, and adds again only once it rises above the highest seen")
    func fallingTotal() {
        var mirror = CounterMirror()
        #expect(mirror.delta(to: 100) == 100)
        #expect(mirror.delta(to: 99) == 0)
        #expect(mirror.delta(to: 3) == 0)
        #expect(mirror.delta(to: 100) == 0)
        #expect(mirror.delta(to: 107) == 7)
        #expect(mirror.highest == 107)
    }

    @Test("a total beyond Int64 is clamped, never trapped")
    func hugeTotal() {
        var mirror = CounterMirror()
        #expect(mirror.increment(to: .max) == .max)
        #expect(mirror.increment(to: .max) == 0)
    }
}
