import MulticastExpert
import MulticastMonitor
import NetnsLab
import Testing

/// The paced sender fed by a payload source (as `send --stdin` feeds it), over lo.
@Suite("Paced sender with a payload source")
struct PacedSenderPayloadTests {
    let port = TestPorts.unique()

    /// Everything waiting on `rx`, in arrival order.
    func drain(_ rx: McastRxSocket) throws -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        while let d = try rx.receive(mode: .timeout(.milliseconds(300))) { payloads.append(d.payload) }
        return payloads
    }

    @Test("each payload goes out as given and in order, and the run ends when the source does",
          arguments: [SendRate.immediate, .unlimited, .perSecond(1000)])
    func sendsEveryPayloadInOrder(rate: SendRate) throws {
        let g = try MulticastGroup(parsing: "239.40.2.1")
        let rx = try McastRxSocket(groups: [g], port: port, interfaces: ["lo"], mode: .timeout(.seconds(2)))
        _ = try rx.requestReceiveBufferSize(1 << 20)
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        let payloads = (0..<150).map { i in Array("line \(i)".utf8) + [UInt8](repeating: UInt8(i % 256), count: i % 7) }
        var remaining = payloads[...]
        var calls = 0
        let sender = PacedSender(socket: tx, group: g, port: port, rate: rate, payload: .probe, size: 64)
        let report = try sender.run(payloads: {
            calls += 1
            return remaining.popFirst()
        })
        #expect(report.sent == 150)
        #expect(report.bytes == UInt64(payloads.reduce(0) { $0 + $1.count }))
        #expect(report.senderID == nil, "these are not probes")
        #expect(calls == 151, "asked once more to learn the source had ended, never again")
        #expect(try drain(rx) == payloads)
    }

    @Test("a count stops an endless source, which is never asked for more than is sent")
    func countStopsEndlessSource() throws {
        let g = try MulticastGroup(parsing: "239.40.2.2")
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        var calls = 0
        for rate in [SendRate.immediate, .unlimited, .perSecond(2000)] {
            calls = 0
            let report = try PacedSender(socket: tx, group: g, port: port, rate: rate, payload: .probe).run(payloads: {
                calls += 1
                return [1, 2, 3]
            }, count: 100)
            #expect(report.sent == 100, "\(rate)")
            #expect(calls == 100, "\(rate)")
        }
    }

    @Test("with a rate, the source is read no faster than datagrams are due")
    func rateGovernsTheSource() throws {
        let g = try MulticastGroup(parsing: "239.40.2.3")
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        var asked: [Int64] = []
        let report = try PacedSender(socket: tx, group: g, port: port, rate: .perSecond(200), payload: .probe).run(payloads: {
            asked.append(monotonicNanoseconds())
            return asked.count <= 20 ? [UInt8](repeating: 0, count: 10) : nil
        })
        #expect(report.sent == 20)
        let span = try #require(asked.last.map { $0 - asked[0] })
        #expect(span >= 95_000_000, "20 payloads at 200/s are asked for over at least 100 ms (19 intervals of 5 ms); took \(span) ns")
        #expect(report.elapsedNanoseconds >= 90_000_000)
    }

    @Test("a stop request ends the run between payloads")
    func stopEndsRun() throws {
        let g = try MulticastGroup(parsing: "239.40.2.4")
        let tx = try McastTxSocket(groups: [g], interface: "lo")
        var sentSoFar: UInt64 = 0
        let report = try PacedSender(socket: tx, group: g, port: port, rate: .immediate, payload: .probe).run(
            payloads: { [9] }, shouldStop: { sentSoFar >= 5 }, progress: { sentSoFar = $0 })
        #expect(report.sent == 5)
    }
}
