import MulticastExpert
import MulticastMonitor

/// Traffic nobody friendly would send, for the end-to-end robustness tests of `listen` and the TUI.
public enum HostileTraffic {
    /// Probes with every field at an extreme, then random bytes from many sources: sent from A.
    public static func send(to group: MulticastGroup, port: UInt16, interface: String) throws -> Int {
        var payloads: [[UInt8]] = []
        let extremes: [(UInt64, UInt64, Int64)] = [
            (1, 0, .min), (1, .max, .max), (1, .max - 1, 0), (1, 1 << 63, -1), (1, 1, 0), (1, 0, 0),
            (2, .max, .max), (2, 0, .min), (2, 1, 1), (3, 1 << 62, 0), (3, 5, .max), (3, 6, .max),
        ]
        for (sender, sequence, sent) in extremes {
            payloads.append(ProbeHeader(senderID: sender, sequence: sequence, sendTimeNanoseconds: sent).datagram(size: 64))
        }
        var odd = ProbeHeader(senderID: 4, sequence: 9, sendTimeNanoseconds: 0).datagram(size: 32)
        odd[6] = 0xff; odd[7] = 0xff  // a header length beyond the datagram
        payloads.append(odd)
        payloads.append([])
        payloads.append(Array("\u{1b}[2J\u{1b}]0;pwned\u{07}\u{202e}evil".utf8))
        var generator = SystemRandomNumberGenerator()
        var sent = 0
        for socketIndex in 0..<40 {
            let socket = try McastTxSocket(groups: [group], interface: InterfaceSpecifier(interface))
            let batch = socketIndex == 0 ? payloads : (0..<25).map { _ in (0..<Int.random(in: 0...1400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) } }
            for payload in batch {
                try socket.send(payload, to: group, port: port)
                sent += 1
            }
        }
        return sent
    }
}
