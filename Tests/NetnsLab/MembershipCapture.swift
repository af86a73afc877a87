import Foundation

/// tshark as an independent decoder of IGMP and MLD: captures an interface of a namespace to a
/// pcap file, then lists each membership message as type, source, groups and sources, for
/// comparison with what mcexpert decoded from the same wire.
public final class MembershipCapture: @unchecked Sendable {
    /// One membership message as a decoder saw it.
    public struct Message: Hashable, CustomStringConvertible {
        /// Wall-clock time, seconds since the epoch.
        public var time: Double
        /// IGMP type (0x11, 0x12, 0x16, 0x17, 0x22) or ICMPv6 type (130, 131, 132, 143).
        public var wireType: Int
        public var source: String
        /// The groups it is about, in wire order (none for a general query).
        public var groups: [String]
        /// Every source it lists (a query's, or all records' in order).
        public var sources: [String]

        public init(time: Double, wireType: Int, source: String, groups: [String], sources: [String]) {
            self.time = time
            self.wireType = wireType
            self.source = source
            self.groups = groups
            self.sources = sources
        }

        /// What two decoders must agree on: everything but the time.
        public var key: String { "\(wireType) \(source) [\(groups.joined(separator: ","))] {\(sources.joined(separator: ","))}" }
        public var description: String { String(format: "%.3f ", time) + key }
    }

    /// The result of matching two decoders' lists over a window.
    public struct Agreement {
        /// Messages inside the window that both decoded, counted by type and source.
        public var matched: [String: Int] = [:]
        /// Messages inside the window that only one of them has.
        public var onlyMcexpert: [Message] = []
        public var onlyTshark: [Message] = []
        public var total: Int { matched.values.reduce(0, +) }
    }

    private let process: BackgroundProcess
    public let path: String

    /// Starts capturing `interface` in `namespace` and waits until tshark says it is capturing.
    public init(_ namespace: Namespace, interface: String) throws {
        path = NSTemporaryDirectory() + "mcx-igmp-\(UUID().uuidString).pcapng"
        FileManager.default.createFile(atPath: path, contents: nil)
        process = try namespace.spawn(["tshark", "-i", interface, "-w", path, "-q"])
        guard process.waitForOutput(containing: "Capturing on", seconds: 15) else {
            let output = process.stop()
            throw LabError.commandFailed("tshark -i \(interface)", status: -1, output: output)
        }
    }

    /// Stops the capture and decodes it.
    public func stop() throws -> [Message] {
        process.stop()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fields = ["frame.time_epoch", "ip.src", "ipv6.src", "igmp.type", "icmpv6.type", "igmp.maddr", "igmp.saddr",
                      "icmpv6.mld.multicast_address", "icmpv6.mld.source_address", "icmpv6.mldr.mar.multicast_address",
                      "icmpv6.mldr.mar.source_address"]
        let filter = "igmp || icmpv6.type == 130 || icmpv6.type == 131 || icmpv6.type == 132 || icmpv6.type == 143"
        let result = try Shell.capture(["tshark", "-r", path, "-Y", filter, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a",
                                        "-E", "aggregator=,"] + fields.flatMap { ["-e", $0] }, timeout: 60)
        guard result.status == 0 else { throw LabError.commandFailed("tshark -r", status: result.status, output: result.stderr) }
        return result.stdout.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count == fields.count, let time = Double(f[0]) else { return nil }
            func list(_ text: String) -> [String] { text.split(separator: ",").map(String.init).filter { $0 != "0.0.0.0" && $0 != "::" } }
            if !f[3].isEmpty, let type = Int(f[3].replacingOccurrences(of: "0x", with: ""), radix: 16) {
                return Message(time: time, wireType: type, source: f[1], groups: list(f[5]), sources: list(f[6]))
            }
            guard let type = Int(f[4]) else { return nil }
            return type == 143
                ? Message(time: time, wireType: type, source: f[2], groups: list(f[9]), sources: list(f[10]))
                : Message(time: time, wireType: type, source: f[2], groups: list(f[7]), sources: list(f[8]))
        }
    }

    /// Matches each message inside `window` (wall-clock seconds) from either list with one from
    /// the other that has the same key, within 0.2 s; a message may match across the window's edge.
    public static func agreement(mcexpert: [Message], tshark: [Message], window: ClosedRange<Double>) -> Agreement {
        var agreement = Agreement()
        var unusedTshark = Array(tshark.indices)
        var matchedTshark = Set<Int>()
        for message in mcexpert.sorted(by: { $0.time < $1.time }) {
            let candidates = unusedTshark.filter { tshark[$0].key == message.key && abs(tshark[$0].time - message.time) < 0.2 }
            if let best = candidates.min(by: { abs(tshark[$0].time - message.time) < abs(tshark[$1].time - message.time) }) {
                unusedTshark.removeAll { $0 == best }
                matchedTshark.insert(best)
                if window.contains(message.time) || window.contains(tshark[best].time) {
                    agreement.matched["\(message.wireType) from \(message.source)", default: 0] += 1
                }
            } else if window.contains(message.time) {
                agreement.onlyMcexpert.append(message)
            }
        }
        agreement.onlyTshark = tshark.indices.filter { !matchedTshark.contains($0) && window.contains(tshark[$0].time) }.map { tshark[$0] }
        return agreement
    }
}
