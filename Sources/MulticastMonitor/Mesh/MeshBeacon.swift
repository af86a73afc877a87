import MulticastExpert

/// What one participant of an all-pairs multicast test (`mcexpert mesh`) sends to the group at
/// every interval: a probe, so any receiver's loss, duplicate, latency and jitter tracking
/// applies unchanged, that also says who sent it and what the sender itself hears.
///
/// Layout (all big-endian). The first 32 bytes are a normal probe header (DESIGN.md "Probe
/// packets") whose header-length field covers the mesh extension, so `mcexpert listen` sees a
/// probe stream; the sender id is the run id:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 32 | probe header (`MCXP`, version 1, header length = 48 + name + the reports) |
/// | 32 | 4 | `MESH` |
/// | 36 | 1 | extension version (1) |
/// | 37 | 1 | flags: bit 0 the sender has not joined the group (send-only) |
/// | 38 | 1 | name length, at most 32 |
/// | 39 | 1 | report count, at most 16 |
/// | 40 | 4 | the sender's beacon interval, microseconds |
/// | 44 | 2 | peers the sender tracks whose reports are not in this beacon |
/// | 46 | 2 | peers the sender tracks (itself included) |
/// | 48 | n | name, UTF-8 (shown sanitised; kept as bytes) |
/// | … | 72 + name each | reports (``MeshReport``) |
///
/// Decoding is a pure function of the bytes: anything inconsistent (counts beyond the header,
/// a header beyond the datagram, an unknown version) is rejected with a reason, never trusted.
public struct MeshBeacon: Sendable, Hashable {
    /// "MESH", after the probe header.
    public static let magic: [UInt8] = Array("MESH".utf8)
    /// The extension version this code writes and reads.
    public static let version: UInt8 = 1
    /// Probe header plus the fixed part of the extension.
    public static let fixedLength = ProbeHeader.length + 16
    /// The longest name carried, bytes (a longer one is cut at a character boundary).
    public static let maximumNameLength = 32
    /// The most reports one beacon carries.
    public static let maximumReports = 16
    /// The largest beacon this code sends, bytes: under any path's MTU, so it is never
    /// fragmented. The sender puts in as many reports as fit and rotates the rest.
    public static let maximumLength = 1200

    /// The probe part: run id (sender id), sequence number and send time.
    public var probe: ProbeHeader
    /// The sender's name as sent (UTF-8 expected, not guaranteed).
    public var name: [UInt8]
    /// Whether the sender has not joined the group: it sends but cannot hear anyone.
    public var isSendOnly: Bool
    /// The sender's beacon interval, microseconds.
    public var intervalMicroseconds: UInt32
    /// Peers the sender tracks whose reports did not fit in this beacon (they rotate).
    public var omittedReports: UInt16
    /// Peers the sender tracks, itself included.
    public var trackedPeers: UInt16
    /// What the sender hears, per peer (at most ``maximumReports``).
    public var reports: [MeshReport]

    /// The sender's run id: random per run, so a restarted participant is a new run.
    public var runID: UInt64 { probe.senderID }

    /// Makes a beacon; `name` is cut to ``maximumNameLength`` bytes at a UTF-8 character
    /// boundary and `reports` to ``maximumReports`` (the caller keeps the total within
    /// ``maximumLength``; see ``MeshState``).
    public init(probe: ProbeHeader, name: [UInt8], isSendOnly: Bool = false, intervalMicroseconds: UInt32, omittedReports: UInt16 = 0,
                trackedPeers: UInt16 = 0, reports: [MeshReport] = []) {
        self.probe = probe
        self.name = Self.cut(name)
        self.isSendOnly = isSendOnly
        self.intervalMicroseconds = intervalMicroseconds
        self.omittedReports = omittedReports
        self.trackedPeers = trackedPeers
        self.reports = Array(reports.prefix(Self.maximumReports))
    }

    /// The beacon's bytes: the probe header with its length covering the extension. The fields
    /// are public and may have been set past the limits after `init`: the name (and each report's)
    /// is cut to ``maximumNameLength`` and the reports to ``maximumReports`` here as `init` does,
    /// so what goes out always decodes.
    public func encoded() -> [UInt8] {
        let name = Self.cut(self.name)
        let reports = self.reports.prefix(Self.maximumReports)
        let headerLength = Self.fixedLength + name.count + reports.reduce(0) { $0 + $1.encodedLength }
        var writer = ByteWriter(capacity: headerLength)
        writer.bytes(ProbeHeader.magic)
        writer.uint8(ProbeHeader.version)
        writer.uint8(0)
        writer.uint16(UInt16(clamping: headerLength))
        writer.uint64(probe.senderID)
        writer.uint64(probe.sequence)
        writer.uint64(UInt64(bitPattern: probe.sendTimeNanoseconds))
        writer.bytes(Self.magic)
        writer.uint8(Self.version)
        writer.uint8(isSendOnly ? 1 : 0)
        writer.uint8(UInt8(clamping: name.count))
        writer.uint8(UInt8(clamping: reports.count))
        writer.uint32(intervalMicroseconds)
        writer.uint16(omittedReports)
        writer.uint16(trackedPeers)
        writer.bytes(name)
        for report in reports { report.encode(into: &writer) }
        return writer.output
    }

    /// Reads a beacon from a datagram's payload.
    /// - Throws: ``MeshBeaconRejection`` saying why the bytes are not a beacon.
    public init(decoding payload: UnsafeRawBufferPointer) throws(MeshBeaconRejection) {
        guard let probe = ProbeHeader(decoding: payload) else { throw .notProbe }
        var reader = ByteReader(payload)
        reader.skip(6)
        let headerLength = Int(reader.uint16())
        guard headerLength >= Self.fixedLength else { throw .notMesh }
        reader.skip(24)
        guard reader.bytes(4) == Self.magic else { throw .notMesh }
        guard reader.uint8() == Self.version else { throw .unknownVersion }
        let flags = reader.uint8()
        let nameLength = Int(reader.uint8())
        let reportCount = Int(reader.uint8())
        guard nameLength <= Self.maximumNameLength else { throw .nameTooLong(nameLength) }
        guard reportCount <= Self.maximumReports else { throw .tooManyReports(reportCount) }
        guard Self.fixedLength + nameLength + reportCount * MeshReport.fixedLength <= headerLength else { throw .inconsistentLength }
        self.probe = probe
        isSendOnly = flags & 1 != 0
        intervalMicroseconds = reader.uint32()
        omittedReports = reader.uint16()
        trackedPeers = reader.uint16()
        name = reader.bytes(nameLength)
        var reports: [MeshReport] = []
        reports.reserveCapacity(reportCount)
        for _ in 0..<reportCount {
            guard let report = MeshReport(reading: &reader, end: headerLength) else { throw .inconsistentLength }
            reports.append(report)
        }
        guard reader.offset == headerLength else { throw .inconsistentLength }
        self.reports = reports
    }

    /// Reads a beacon from a byte array; see ``init(decoding:)-(UnsafeRawBufferPointer)``.
    public init(decoding payload: [UInt8]) throws(MeshBeaconRejection) {
        let result = payload.withUnsafeBytes { raw -> Result<MeshBeacon, MeshBeaconRejection> in
            do throws(MeshBeaconRejection) { return .success(try MeshBeacon(decoding: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// The name as text for a terminal or JSON: invalid UTF-8 replaced, control characters
    /// and escape sequences made visible by the caller's sanitiser (this only decodes).
    public var nameText: String { String(decoding: name, as: UTF8.self) }

    /// Cuts a name to the maximum length without splitting a UTF-8 sequence.
    static func cut(_ name: [UInt8]) -> [UInt8] {
        guard name.count > maximumNameLength else { return name }
        var end = maximumNameLength
        while end > 0 && name[end] & 0xC0 == 0x80 { end -= 1 }  // name[end] starts the next character or continues one
        return Array(name[..<end])
    }
}

/// Why some bytes are not a mesh beacon.
public enum MeshBeaconRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not an mcexpert probe at all (another application's traffic on the group).
    case notProbe
    /// A probe without the mesh extension (e.g. `mcexpert send --probe`).
    case notMesh
    /// A mesh extension of a version this code does not read.
    case unknownVersion
    /// A name longer than 32 bytes.
    case nameTooLong(Int)
    /// More than 16 reports.
    case tooManyReports(Int)
    /// The counts do not add up to the header length.
    case inconsistentLength

    public var description: String {
        switch self {
        case .notProbe: "not an mcexpert probe"
        case .notMesh: "a probe without the mesh extension"
        case .unknownVersion: "an unknown mesh beacon version"
        case .nameTooLong(let length): "a name of \(length) bytes (at most 32)"
        case .tooManyReports(let count): "\(count) reports (at most 16)"
        case .inconsistentLength: "counts that do not match the header length"
        }
    }
}
