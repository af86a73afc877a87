import MulticastExpert
import MulticastMonitor

/// The self-test: probes sent out of one interface and listened for on another (two NICs cabled
/// together, a veth pair, a switch between them). It is the one part of a doctor run that sends;
/// what it counted is a ``SelfTestRun/Result`` that the self-test check reads.
struct SelfTestRun: Sendable, Hashable {
    /// The interface the probes leave by.
    var from: NetworkInterface
    /// The interface they should arrive on.
    var to: NetworkInterface
    var group: MulticastGroup
    var port: UInt16

    /// How many probes are sent, at 100 per second.
    static let probeCount: UInt64 = 20
    /// The port used when the request names none.
    static let defaultPort: UInt16 = 45_678

    /// What the self-test counted.
    enum Result: Sendable, Hashable {
        /// `sent` probes left from `senderAddress`; `received` distinct ones of them arrived.
        case ran(sent: UInt64, received: Int, senderAddress: IPAddress)
        /// The sockets could not be opened or the sending failed; the error as text.
        case couldNotRun(String)
    }

    /// Sends ``probeCount`` probes and counts those that arrive within
    /// ``SelfTestTally/receiveWindow`` of the last. Blocks for about 1.5 s.
    func run(interfaces table: InterfaceTable) -> Result {
        do {
            let rx = try McastRxSocket(groups: [group], port: port, interfaces: [.index(to.index)], mode: .timeout(.milliseconds(300)),
                                       interfaceTable: table)
            let tx = try McastTxSocket(groups: [group], interface: .index(from.index), interfaces: table)
            let sender = PacedSender(socket: tx, group: group, port: port, rate: .perSecond(100), payload: .probe, size: 64)
            let report = try sender.run(count: Self.probeCount)
            let received = try SelfTestTally.countOwnProbes(senderID: report.senderID ?? sender.senderID, sent: report.sent,
                                                            until: monotonicNanoseconds().addingSaturating(SelfTestTally.receiveWindow.saturatingNanoseconds)) {
                try rx.receive()?.payload
            }
            return .ran(sent: report.sent, received: received, senderAddress: tx.localAddress.address)
        } catch {
            return .couldNotRun("\(error)")
        }
    }
}
