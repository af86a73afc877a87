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

    @Test("a total that falls back is read as a restart: the new value is added, nothing subtracted")
    func fallingTotal() {
        var mirror = CounterMirror()
        _ = mirror.delta(to: 100)
        #expect(mirror.delta(to: 3) == 3)
        #expect(mirror.delta(to: 7) == 4)
    }

    @Test("a total beyond Int64 is clamped, never trapped")
    func hugeTotal() {
        var mirror = CounterMirror()
        #expect(mirror.increment(to: .max) == .max)
        #expect(mirror.increment(to: .max) == 0)
    }
}
