/// One program of a transport stream, as its PAT lists it and (once seen) its PMT describes it.
public struct TransportStreamProgram: Sendable, Hashable {
    /// program_number (never 0: program 0 names the network PID, not a program).
    public var programNumber: UInt16
    /// The PID the PAT gives for this program's PMT.
    public var pmtPID: UInt16
    /// Whether a PMT for this program has been parsed (a PMT longer than one packet is seen but
    /// not parsed; see ``TransportStreamAnalyzer``).
    public var pmtSeen: Bool
    /// The PID carrying this program's clock reference, from its PMT.
    public var pcrPID: UInt16?
    /// The elementary streams its PMT lists, in PMT order (at most
    /// ``TransportStreamAnalyzer/maxStreamsPerProgram``).
    public var elementaryStreams: [TransportStreamElementaryStream]

    /// A program as the PAT lists it, with what its PMT says once seen.
    public init(programNumber: UInt16, pmtPID: UInt16, pmtSeen: Bool = false, pcrPID: UInt16? = nil,
                elementaryStreams: [TransportStreamElementaryStream] = []) {
        self.programNumber = programNumber
        self.pmtPID = pmtPID
        self.pmtSeen = pmtSeen
        self.pcrPID = pcrPID
        self.elementaryStreams = elementaryStreams
    }

    /// The PIDs of ``elementaryStreams``.
    public var elementaryPIDs: [UInt16] { elementaryStreams.map(\.pid) }
}

/// One elementary stream a PMT lists.
public struct TransportStreamElementaryStream: Sendable, Hashable {
    /// elementary_PID.
    public var pid: UInt16
    /// stream_type (see ``TransportStreamPID/streamTypeName(_:)``).
    public var streamType: UInt8

    /// A stream of `streamType` on `pid`.
    public init(pid: UInt16, streamType: UInt8) {
        self.pid = pid
        self.streamType = streamType
    }
}
