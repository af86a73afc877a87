import MulticastExpert

/// What one mesh participant says it hears from one peer (itself included), as carried in its
/// beacons: the counts behind the loss figure, latency and jitter, the TTL that arrived, and an
/// echo of the peer's latest beacon from which the peer computes the round-trip time (as omping
/// does: the peer's own send time comes back with how long it was held here).
///
/// The report also names the peer (its address and name as the reporter heard them), so a
/// participant that cannot hear a peer at all still learns who that peer is from the others.
///
/// Layout, 72 bytes plus the name, big-endian: peer run id (8) · received (4) · lost (4) ·
/// duplicates (4) · mean one-way latency µs, signed (4) · jitter µs (4) · round-trip µs (4) ·
/// last TTL (1) · flags (1: bit 0 clocks agree, 1 gone, 2 TTL known, 3 echo present, 4 one-way
/// known, 5 round trip known) · name length (1, at most 32) · reserved (1) · echoed sequence (8)
/// · echoed send time ns (8) · hold µs (4) · peer address (16; IPv4 as `::ffff:a.b.c.d`, all
/// zero when unknown) · peer name.
public struct MeshReport: Sendable, Hashable {
    /// Bytes per report on the wire before the name.
    public static let fixedLength = 72

    /// The peer (sender) this report is about.
    public var peerRunID: UInt64
    /// Distinct beacons received from the peer.
    public var received: UInt32
    /// Beacons of the peer that never arrived (sequence gaps).
    public var lost: UInt32
    /// Beacons that arrived twice.
    public var duplicates: UInt32
    /// Mean one-way latency, microseconds; meaningful only when ``clocksAgree``.
    public var oneWayMicroseconds: Int32?
    /// Whether the reporter found its clock and the peer's plausibly in agreement (the one-way
    /// latency lies between 0 and the round-trip time).
    public var clocksAgree: Bool
    /// RFC 3550 interarrival jitter of the peer's beacons, microseconds.
    public var jitterMicroseconds: UInt32
    /// The round-trip time between reporter and peer, microseconds, as the reporter measured it.
    public var roundTripMicroseconds: UInt32?
    /// The TTL / hop limit the peer's latest beacon arrived with.
    public var lastHopLimit: UInt8?
    /// Whether the reporter has stopped hearing the peer.
    public var isGone: Bool
    /// The peer's latest beacon as heard, for the peer's round-trip time.
    public var echo: MeshEcho?
    /// The peer's address as the reporter heard it; nil when unknown.
    public var peerAddress: IPAddress?
    /// The peer's name as the reporter heard it (at most 32 bytes; shown sanitised).
    public var peerName: [UInt8]

    /// Bytes this report takes on the wire (the name cut to 32 bytes, as ``encode(into:)`` writes it).
    public var encodedLength: Int { Self.fixedLength + MeshBeacon.cut(peerName).count }

    /// Makes a report.
    public init(peerRunID: UInt64, received: UInt32, lost: UInt32, duplicates: UInt32 = 0, oneWayMicroseconds: Int32? = nil,
                clocksAgree: Bool = false, jitterMicroseconds: UInt32 = 0, roundTripMicroseconds: UInt32? = nil,
                lastHopLimit: UInt8? = nil, isGone: Bool = false, echo: MeshEcho? = nil, peerAddress: IPAddress? = nil, peerName: [UInt8] = []) {
        self.peerRunID = peerRunID
        self.received = received
        self.lost = lost
        self.duplicates = duplicates
        self.oneWayMicroseconds = oneWayMicroseconds
        self.clocksAgree = clocksAgree
        self.jitterMicroseconds = jitterMicroseconds
        self.roundTripMicroseconds = roundTripMicroseconds
        self.lastHopLimit = lastHopLimit
        self.isGone = isGone
        self.echo = echo
        self.peerAddress = peerAddress
        self.peerName = MeshBeacon.cut(peerName)
    }

    /// Writes the report; a name set past 32 bytes after `init` is cut here as `init` cuts it.
    func encode(into writer: inout ByteWriter) {
        let peerName = MeshBeacon.cut(self.peerName)
        writer.uint64(peerRunID)
        writer.uint32(received)
        writer.uint32(lost)
        writer.uint32(duplicates)
        writer.uint32(UInt32(bitPattern: oneWayMicroseconds ?? 0))
        writer.uint32(jitterMicroseconds)
        writer.uint32(roundTripMicroseconds ?? 0)
        writer.uint8(lastHopLimit ?? 0)
        var flags: UInt8 = 0
        if clocksAgree { flags |= 1 }
        if isGone { flags |= 2 }
        if lastHopLimit != nil { flags |= 4 }
        if echo != nil { flags |= 8 }
        if oneWayMicroseconds != nil { flags |= 16 }
        if roundTripMicroseconds != nil { flags |= 32 }
        writer.uint8(flags)
        writer.uint8(UInt8(clamping: peerName.count))
        writer.uint8(0)
        writer.uint64(echo?.sequence ?? 0)
        writer.uint64(UInt64(bitPattern: echo?.sendTimeNanoseconds ?? 0))
        writer.uint32(echo?.holdMicroseconds ?? 0)
        switch peerAddress {
        case .v4(let a): writer.uint64(0); writer.uint32(0xFFFF); writer.uint32(a.value)
        case .v6(let a): writer.uint64(a.high); writer.uint64(a.low)
        case nil: writer.uint64(0); writer.uint64(0)
        }
        writer.bytes(peerName)
    }

    /// Reads one report; nil when its name would be longer than 32 bytes or run past `end`.
    init?(reading reader: inout ByteReader, end: Int) {
        guard reader.offset + Self.fixedLength <= end else { return nil }
        peerRunID = reader.uint64()
        received = reader.uint32()
        lost = reader.uint32()
        duplicates = reader.uint32()
        let oneWay = Int32(bitPattern: reader.uint32())
        jitterMicroseconds = reader.uint32()
        let roundTrip = reader.uint32()
        let hopLimit = reader.uint8()
        let flags = reader.uint8()
        let nameLength = Int(reader.uint8())
        reader.skip(1)
        let sequence = reader.uint64()
        let sendTime = Int64(bitPattern: reader.uint64())
        let hold = reader.uint32()
        let high = reader.uint64()
        let low = reader.uint64()
        guard nameLength <= MeshBeacon.maximumNameLength, reader.offset + nameLength <= end else { return nil }
        peerName = reader.bytes(nameLength)
        if high == 0 && low >> 32 == 0xFFFF {
            peerAddress = .v4(IPv4Address(UInt32(truncatingIfNeeded: low)))
        } else if high == 0 && low == 0 {
            peerAddress = nil
        } else {
            peerAddress = .v6(IPv6Address(high: high, low: low))
        }
        clocksAgree = flags & 1 != 0
        isGone = flags & 2 != 0
        lastHopLimit = flags & 4 != 0 ? hopLimit : nil
        echo = flags & 8 != 0 ? MeshEcho(sequence: sequence, sendTimeNanoseconds: sendTime, holdMicroseconds: hold) : nil
        oneWayMicroseconds = flags & 16 != 0 ? oneWay : nil
        roundTripMicroseconds = flags & 32 != 0 ? roundTrip : nil
    }
}

/// A peer's beacon as the reporter heard it: the peer's sequence number and send time (in the
/// peer's clock), and how long the reporter held it before sending this report. The peer,
/// receiving the report at time T on its own clock, has a round trip of T − send time − hold.
public struct MeshEcho: Sendable, Hashable {
    /// The sequence number of the peer's latest beacon heard.
    public var sequence: UInt64
    /// That beacon's send time, nanoseconds since the epoch on the peer's clock.
    public var sendTimeNanoseconds: Int64
    /// From its arrival here to this report's sending, microseconds.
    public var holdMicroseconds: UInt32

    /// Makes an echo.
    public init(sequence: UInt64, sendTimeNanoseconds: Int64, holdMicroseconds: UInt32) {
        self.sequence = sequence
        self.sendTimeNanoseconds = sendTimeNanoseconds
        self.holdMicroseconds = holdMicroseconds
    }
}
