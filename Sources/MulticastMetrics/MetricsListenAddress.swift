import MulticastExpert

/// Where the exporter's HTTP listener binds: `ADDR:PORT` or `[ADDR]:PORT`, an IP literal (no
/// name lookups on a host that may have broken DNS).
///
/// The exporter binds where it is told and nowhere else: the default is loopback, and the
/// wildcard addresses (`0.0.0.0`, `::`) are refused unless the caller says all addresses are
/// meant — a metrics port open to every network is a choice, not an accident.
public struct MetricsListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address to bind: an IP literal.
    public var address: IPAddress
    /// 0 asks the kernel for a free port (tests).
    public var port: UInt16

    /// The port mcexpert-monitor listens on unless told: in the exporters' range (9100–9999)
    /// of Prometheus's default-port-allocations list.
    public static let defaultPort: UInt16 = 9277
    /// `127.0.0.1:9277`.
    public static let defaultText = "127.0.0.1:\(defaultPort)"

    /// Why a listen address was refused, as one line for the command line.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not `ADDR:PORT` or `[ADDR]:PORT` with an IP literal and a decimal port.
        case malformed(String)
        /// 0.0.0.0 or :: without `--allow-all-addresses`.
        case wildcard(String)

        /// The line the command prints.
        public var description: String {
            switch self {
            case .malformed(let text):
                "--metrics-listen \"\(Self.printable(text))\" is not ADDR:PORT or [ADDR]:PORT with an IP address, e.g. 127.0.0.1:9277 or [::1]:9277"
            case .wildcard(let text):
                "--metrics-listen \(text) would serve metrics on every address of this host; name one address, or add --allow-all-addresses if that is meant"
            }
        }

        /// The text with control characters shown as `?`, so a hostile argument cannot reach the terminal.
        static func printable(_ text: String) -> String {
            String(text.prefix(80).unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f || (0x80..<0xa0).contains($0.value) ? "?" : Character($0) })
        }
    }

    /// An address as it is (``init(parsing:allowAllAddresses:)`` is what checks text).
    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses `text`; a wildcard address is refused unless `allowAllAddresses`.
    public init(parsing text: String, allowAllAddresses: Bool) throws(Problem) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { throw .malformed(text) }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { throw .malformed(text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard (1...5).contains(portText.utf8.count), portText.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let port = UInt16(portText), let address = IPAddress(String(host)) else {
            throw .malformed(text)
        }
        if Self.isWildcard(address) && !allowAllAddresses { throw .wildcard(text) }
        self.init(address: address, port: port)
    }

    /// Whether `address` is 0.0.0.0 or ::, which bind every address of the host.
    public static func isWildcard(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): a.value == 0
        case .v6(let a): a.high == 0 && a.low == 0
        }
    }

    /// `127.0.0.1:9277` or `[::1]:9277`: what parses back to this address.
    public var description: String {
        address.family == .ipv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}
