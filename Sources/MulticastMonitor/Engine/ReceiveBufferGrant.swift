/// What the kernel made of a receive-buffer request: what the CLI's summary and the TUI's
/// status line both report, since a short buffer is where kernel drops come from.
public struct ReceiveBufferGrant: Sendable, Hashable {
    /// Bytes asked for per socket.
    public var requested: Int
    /// What `SO_RCVBUF` reports for the smallest socket: twice the payload it holds, as Linux
    /// counts its bookkeeping in.
    public var reported: Int

    public init(requested: Int, reported: Int) {
        self.requested = requested
        self.reported = reported
    }

    /// The payload bytes the buffer holds.
    public var usable: Int { reported / 2 }
    /// Less than asked for: `net.core.rmem_max` capped it (no CAP_NET_ADMIN to go beyond).
    public var isShort: Bool { usable < requested }
}
