import MulticastExpert
@testable import MulticastText
import Testing

/// The sanitiser and the number and time printers, on the inputs fuzzing found or the issue names.
@Suite("Text that reaches a terminal")
struct TextSafetyTests {
    @Test("every control, bidirectional and zero-width character becomes a visible escape", arguments: [
        ("e\u{1b}]0;x\u{07}$(id)", "e\\x1B]0;x\\x07$(id)"),
        ("a\u{9b}31mb", "a\\x9B31mb"),
        ("abc\u{202e}fed", "abc\\u{202E}fed"),
        ("x\u{200b}y\u{2028}z\u{feff}", "x\\u{200B}y\\u{2028}z\\u{FEFF}"),
        ("tab\there\r\n", "tab\\x09here\\x0D\\x0A"),
        ("del\u{7f}", "del\\x7F"),
        ("plain eth0.100 ünïcødé", "plain eth0.100 ünïcødé"),
    ])
    func sanitise(raw: String, shown: String) {
        #expect(TerminalText.sanitize(raw) == shown)
        #expect(!TerminalText.sanitize(raw).unicodeScalars.contains(where: TerminalText.isUnsafe))
    }

    @Test("a cut name ends with an ellipsis and stays within its limit")
    func limit() {
        #expect(TerminalText.sanitize(String(repeating: "x", count: 40), limit: 10) == "xxxxxxxxx…")
        #expect(TerminalText.sanitize("short", limit: 10) == "short")
    }

    @Test("JSON strings escape the same characters, and above the basic plane as surrogate pairs")
    func json() {
        #expect(JSONOutput.encode("a\u{1b}b\u{85}c\u{202e}\"\\") == "\"a\\u001bb\\u0085c\\u202e\\\"\\\\\"")
        #expect(JSONOutput.encode("tag\u{e0041}") == "\"tag\\udb40\\udc41\"")
        #expect(JSONOutput.encode(["a": ["x\u{7f}"]], pretty: true) == "{\n  \"a\" : [\n    \"x\\u007f\"\n  ]\n}", "layout newlines stay")
    }

    @Test("fixed-point numbers never trap and read back as the number", arguments: [
        (1e300, 2, "1e+300"), (6.403072608715252e16, 0, "64030726087152520"), (-0.0004, 3, "0.000"), (2.5, 3, "2.500"),
        (123_456.789, 1, "123456.8"), (Double.greatestFiniteMagnitude, 6, "1.7976931348623157e+308"),
    ])
    func fixed(value: Double, decimals: Int, text: String) {
        #expect(NumberFormat.fixed(value, decimals) == text)
    }

    @Test("sizes read as people write them", arguments: [(212_992, "208 KiB"), (8 << 20, "8 MiB"), (3 << 19, "1.5 MiB")])
    func byteSize(bytes: Int, text: String) {
        #expect(NumberFormat.byteSize(bytes) == text)
    }

    @Test("timestamps before the epoch print with their sign instead of trapping")
    func negativeTimestamp() {
        #expect(Timestamp(nanosecondsSinceEpoch: -999_999_999).description == "-0.999999999")
        #expect(Timestamp(nanosecondsSinceEpoch: -1_500_000_000).description == "-1.500000000")
        #expect(Timestamp(nanosecondsSinceEpoch: .min).description == "-9223372036.854775808")
        #expect(TimeFormat.iso8601(Timestamp(nanosecondsSinceEpoch: .min)).hasSuffix("Z"))
    }
}
