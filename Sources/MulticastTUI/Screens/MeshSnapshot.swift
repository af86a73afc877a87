import MulticastExpert
import MulticastMonitor

/// What the mesh's feed thread reports a few times a second: the session's matrix and how the
/// session is doing. The UI draws only from these, so it never waits for the session's lock.
public struct MeshSnapshot: Sendable, Hashable {
    /// What was started.
    public var request: MeshRequest
    /// Who hears whom when the snapshot was taken.
    public var matrix: MeshMatrix
    /// False once the session has stopped: the matrix is then the last one, kept on screen.
    public var running: Bool
    /// The interface joined and sent on, by its name (the request may give an index or address).
    public var interfaceName: String
    /// The address this host's beacons leave from.
    public var sourceAddress: IPAddress?
    /// Since the session started, nanoseconds.
    public var elapsedNanoseconds: Int64
    /// This host's beacon interval, nanoseconds.
    public var intervalNanoseconds: Int64
    /// Send and receive failures so far, and the latest one's text.
    public var failures: UInt64
    public var latestFailure: String?

    /// Makes a snapshot (the feed does; tests make them from crafted matrices).
    public init(request: MeshRequest, matrix: MeshMatrix, running: Bool, interfaceName: String, sourceAddress: IPAddress? = nil,
                elapsedNanoseconds: Int64, intervalNanoseconds: Int64, failures: UInt64 = 0, latestFailure: String? = nil) {
        self.request = request
        self.matrix = matrix
        self.running = running
        self.interfaceName = interfaceName
        self.sourceAddress = sourceAddress
        self.elapsedNanoseconds = elapsedNanoseconds
        self.intervalNanoseconds = intervalNanoseconds
        self.failures = failures
        self.latestFailure = latestFailure
    }
}
