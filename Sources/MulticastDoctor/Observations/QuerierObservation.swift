import MulticastExpert

/// A passive listen for IGMP/MLD: how long it lasted and what it heard (or that this process may
/// not listen). The querier check reasons from this alone, so a fabricated observation tests it
/// without a packet socket.
public struct QuerierObservation: Sendable {
    /// How long the doctor listened.
    public var duration: Duration
    /// What was heard, or ``QuerierListenResult/notPermitted``.
    public var result: QuerierListenResult

    /// An observation given by hand.
    public init(duration: Duration, result: QuerierListenResult) {
        self.duration = duration
        self.result = result
    }

    /// Listens for `duration` on every interface of the calling thread's namespace (blocking);
    /// see ``IGMPListener/listen(for:interfaces:host:)``.
    public static func listen(for duration: Duration) -> QuerierObservation {
        QuerierObservation(duration: duration, result: IGMPListener.listen(for: duration).map { .heard($0) } ?? .notPermitted)
    }
}

/// What a passive listen produced.
public enum QuerierListenResult: Sendable {
    /// The conversation heard (its ``IGMPState/host`` is filled in by the check).
    case heard(IGMPState)
    /// A packet socket could not be opened (needs CAP_NET_RAW).
    case notPermitted
}
