import MulticastExpert

/// A passive listen for IGMP/MLD queriers: how long it lasted and what it heard (or that this
/// process may not listen). The querier check reasons from this alone, so a fabricated
/// observation tests it without a packet socket.
public struct QuerierObservation: Sendable {
    /// How long the doctor listened.
    public var duration: Duration
    /// The queries heard, or ``QuerierListenResult/notPermitted``.
    public var result: QuerierListenResult

    /// An observation given by hand.
    public init(duration: Duration, result: QuerierListenResult) {
        self.duration = duration
        self.result = result
    }

    /// Listens for `duration` on every interface of the calling thread's namespace (blocking);
    /// see ``QuerierListener/listen(for:)``.
    public static func listen(for duration: Duration) -> QuerierObservation {
        QuerierObservation(duration: duration, result: QuerierListener.listen(for: duration))
    }
}
