import MulticastMonitor

/// The Inspector screen: which stream's captured datagrams are shown, which one, and a frozen
/// copy while `f` holds the view still.
public struct InspectorScreen: Sendable, Hashable {
    public var stream: StreamKey?
    /// The datagram shown; nil follows the newest.
    public var index: Int?
    /// The datagrams as they were when frozen; nil while live.
    public var frozenPackets: [CapturedDatagram]?

    public init() {}

    /// The inspected stream's captured datagrams (the frozen copy while frozen).
    func packets(in snapshot: MonitorSnapshot?) -> [CapturedDatagram] {
        if let frozenPackets { return frozenPackets }
        guard let stream, let statistics = snapshot?.streams.first(where: { $0.key == stream }) else { return [] }
        return Array(statistics.captured)
    }

    /// Starts inspecting a stream, live, at its newest datagram.
    mutating func inspect(_ stream: StreamKey) {
        self.stream = stream
        index = nil
        frozenPackets = nil
    }

    /// Datagrams PgUp and PgDn step over.
    static let page = 10

    /// Steps through `count` datagrams (a page is ``page``); once stepped, the view stays on that datagram.
    mutating func step(_ move: ListMove, count: Int) {
        var cursor = ListCursor(index: index ?? max(count - 1, 0))
        cursor.move(move, count: count, page: Self.page)
        index = cursor.index
    }

    /// Freezes the view on `packets`, or goes live again; returns the status line saying which.
    mutating func toggleFreeze(_ packets: [CapturedDatagram]) -> StatusMessage {
        if frozenPackets == nil {
            frozenPackets = packets
            return StatusMessage(text: "inspector frozen (f unfreezes)", style: .info)
        }
        frozenPackets = nil
        return StatusMessage(text: "inspector live", style: .info)
    }
}
