import MulticastDoctor
import MulticastExpert
import MulticastMetrics

/// The IGMP/MLD listener of the monitor, run on the main thread between signal checks: records
/// what it hears and, once a second, says which interfaces have a querier.
struct QuerierWatch {
    private let listener: IGMPListener
    private var state: IGMPState
    private var nextFigures: Int64
    private var interfaces: [(index: UInt32, name: String)] = []
    private var nextInterfaces: Int64 = 0

    /// How often the figures are handed to the exporter, nanoseconds.
    static let figuresInterval: Int64 = 1_000_000_000
    /// How often the interface list is read again (interfaces come and go), nanoseconds.
    static let interfacesInterval: Int64 = 10_000_000_000

    /// Opens the listener on every interface; nil without CAP_NET_RAW (or when it cannot open).
    static func open() -> QuerierWatch? {
        guard let listener = try? IGMPListener(interfaces: nil) else { return nil }
        return QuerierWatch(listener: listener)
    }

    private init(listener: IGMPListener) {
        self.listener = listener
        let now = monotonicNanoseconds()
        state = IGMPState(startedAt: now)
        nextFigures = now
    }

    /// Listens for up to `nanoseconds`.
    mutating func listen(for nanoseconds: Int64) {
        let deadline = monotonicNanoseconds().addingSaturating(nanoseconds)
        var heard = state
        listener.receive(until: deadline) { heard.record($0) }
        state = heard
    }

    /// The querier figures of every up, multicast-capable interface (loopback only when a stream
    /// names it), once per ``figuresInterval``; nil in between.
    mutating func figuresIfDue(streams: [MonitoredStream]) -> [QuerierFigures]? {
        let now = monotonicNanoseconds()
        guard now >= nextFigures else { return nil }
        nextFigures = now.addingSaturating(Self.figuresInterval)
        if now >= nextInterfaces, let table = try? InterfaceTable.current() {
            let named = Set(streams.compactMap(\.interface).compactMap { try? table.interface(matching: InterfaceSpecifier($0)).index })
            interfaces = table.interfaces.filter { $0.isUp && $0.isMulticastCapable && (!$0.isLoopback || named.contains($0.index)) }
                .map { ($0.index, $0.name) }
            nextInterfaces = now.addingSaturating(Self.interfacesInterval)
        }
        state.advance(to: now)
        return QuerierFigures.measure(state, interfaces: interfaces, now: now)
    }

    func close() { listener.close() }
}
