/// Who this mesh participant is and the limits its state keeps to.
public struct MeshConfiguration: Sendable, Hashable {
    /// This run's id: random per run (the probe sender id of its beacons).
    public var runID: UInt64
    /// This participant's name as sent (UTF-8; cut to 32 bytes).
    public var name: [UInt8]
    /// Time between two beacons, nanoseconds.
    public var intervalNanoseconds: Int64
    /// Whether this participant sends without joining (it then hears nobody, itself included).
    public var isSendOnly: Bool
    /// The most other participants tracked; beyond it a new run id is counted as overflow and
    /// ignored, unless a participant long gone can make room. Default 64.
    public var peerCapacity: Int
    /// A participant silent for this many of its intervals (and at least ``minimumGoneNanoseconds``)
    /// is shown as gone. Default 5.
    public var goneAfterIntervals: Int
    /// The shortest silence that makes a participant gone, nanoseconds. Default 1 s.
    public var minimumGoneNanoseconds: Int64

    /// Makes a configuration. `intervalNanoseconds` is clamped to 1 ms...60 s.
    public init(runID: UInt64, name: [UInt8], intervalNanoseconds: Int64, isSendOnly: Bool = false, peerCapacity: Int = 64,
                goneAfterIntervals: Int = 5, minimumGoneNanoseconds: Int64 = 1_000_000_000) {
        self.runID = runID
        self.name = MeshBeacon.cut(name)
        self.intervalNanoseconds = min(max(intervalNanoseconds, 1_000_000), 60_000_000_000)
        self.isSendOnly = isSendOnly
        self.peerCapacity = max(1, peerCapacity)
        self.goneAfterIntervals = max(1, goneAfterIntervals)
        self.minimumGoneNanoseconds = max(0, minimumGoneNanoseconds)
    }
}
