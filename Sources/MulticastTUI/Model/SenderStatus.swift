/// The state of a probe sender started from the Send screen.
public struct SenderStatus: Sendable, Hashable {
    public var request: SendRequest
    public var sent: UInt64
    public var running: Bool
    public var error: String?

    public init(request: SendRequest, sent: UInt64, running: Bool, error: String? = nil) {
        self.request = request
        self.sent = sent
        self.running = running
        self.error = error
    }
}
