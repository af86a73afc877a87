import MulticastExpert
import MulticastMetrics
import Testing

@Suite("Metrics listen address")
struct MetricsListenAddressTests {
    @Test("IPv4 and bracketed IPv6 addresses with a port parse", arguments: [
        ("127.0.0.1:9277", "127.0.0.1:9277"), ("[::1]:9277", "[::1]:9277"), ("198.18.0.2:0", "198.18.0.2:0"),
    ])
    func parses(text: String, expected: String) throws {
        #expect(try MetricsListenAddress(parsing: text, allowAllAddresses: false).description == expected)
    }

    @Test("the wildcard addresses are refused unless all addresses are allowed", arguments: ["0.0.0.0:9277", "[::]:9277"])
    func wildcard(text: String) throws {
        #expect(throws: MetricsListenAddress.Problem.wildcard(text)) { try MetricsListenAddress(parsing: text, allowAllAddresses: false) }
        #expect(try MetricsListenAddress(parsing: text, allowAllAddresses: true).port == 9277)
    }

    @Test("names, missing ports, bad ports and unbracketed IPv6 are refused", arguments: [
        "localhost:9277", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:9277", "[::1]9277", "[::1", ":9277",
        "127.0.0.1:+80", "127.0.0.1:0x50", "",
    ])
    func refused(text: String) {
        #expect(throws: MetricsListenAddress.Problem.malformed(text)) { try MetricsListenAddress(parsing: text, allowAllAddresses: true) }
    }

    @Test("a refusal never carries control characters to the terminal")
    func hostileText() {
        let problem = MetricsListenAddress.Problem.malformed("\u{1b}[31mred\u{7}:1")
        #expect(!problem.description.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test("the default listens on loopback at the default port")
    func defaultAddress() throws {
        let address = try MetricsListenAddress(parsing: MetricsListenAddress.defaultText, allowAllAddresses: false)
        #expect(address.address == IPAddress("127.0.0.1"))
        #expect(address.port == MetricsListenAddress.defaultPort)
    }
}
