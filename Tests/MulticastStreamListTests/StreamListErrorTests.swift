import MulticastStreamList
import Testing

/// Every way a stream-list file is refused says where (line, column), which field, and what is
/// wrong, in one line; none traps.
@Suite("Stream list errors")
struct StreamListErrorTests {
    /// One bad file, the place and field its error must name, and words the message must have.
    struct Case: CustomTestStringConvertible, Sendable {
        var what: String
        var yaml: String
        var line: Int?
        var column: Int?
        var field: String?
        var words: String
        var testDescription: String { what }
    }

    static let good = "streams:\n  - name: a\n    group: 239.1.1.1:5000\n"

    static let cases: [Case] = [
        Case(what: "empty file", yaml: "", line: nil, column: nil, field: nil, words: "the file is empty"),
        Case(what: "only comments", yaml: "# nothing\n\n", line: nil, column: nil, field: nil, words: "the file is empty"),
        Case(what: "a list at the top", yaml: "- a\n- b\n", line: 1, column: 1, field: nil, words: "not a mapping"),
        Case(what: "text at the top", yaml: "hello\n", line: 1, column: 1, field: nil, words: "not a mapping"),
        Case(what: "no streams key", yaml: "defaults: {payload: ts}\n", line: 1, column: 1, field: nil, words: "no streams: list"),
        Case(what: "streams not a list", yaml: "streams: {name: a}\n", line: 1, column: 10, field: "streams", words: "expected a list of streams"),
        Case(what: "empty list", yaml: "streams: []\n", line: 1, column: 10, field: "streams", words: "the list is empty"),
        Case(what: "a stream that is text", yaml: "streams:\n  - just text\n", line: 2, column: 5, field: "streams[0]", words: "expected a stream"),
        Case(what: "unknown top key with a suggestion", yaml: "stream:\n  - {name: a, group: 239.1.1.1:5000}\n", line: 1, column: 1, field: "stream", words: "did you mean streams?"),
        Case(what: "unknown stream key with a suggestion", yaml: good + "    grop: 1\n", line: 4, column: 5, field: "streams[0].grop", words: "unknown key \"grop\"; did you mean group?"),
        Case(what: "rtp-clock for rtp_clock", yaml: good + "    rtp-clock: 48000\n", line: 4, column: 5, field: "streams[0].rtp-clock", words: "did you mean rtp_clock?"),
        Case(what: "unknown key far from any", yaml: good + "    colour: red\n", line: 4, column: 5, field: "streams[0].colour", words: "known keys: name, group"),
        Case(what: "name in defaults", yaml: "defaults: {name: x}\n" + good, line: 1, column: 12, field: "defaults.name", words: "unknown key"),
        Case(what: "missing name", yaml: "streams:\n  - group: 239.1.1.1:5000\n", line: 2, column: 5, field: "streams[0]", words: "no name:"),
        Case(what: "missing group", yaml: "streams:\n  - name: a\n", line: 2, column: 5, field: "streams[0]", words: "no group:"),
        Case(what: "name is a list", yaml: "streams:\n  - name: [a, b]\n    group: 239.1.1.1:5000\n", line: 2, column: 11, field: "streams[0].name", words: "expected text, found a list"),
        Case(what: "empty name", yaml: "streams:\n  - name: \"\"\n    group: 239.1.1.1:5000\n", line: 2, column: 11, field: "streams[0].name", words: "the name is empty"),
        Case(what: "null name", yaml: "streams:\n  - name:\n    group: 239.1.1.1:5000\n", line: 2, column: 10, field: "streams[0].name", words: "has no value"),
        Case(what: "long name", yaml: "streams:\n  - name: \(String(repeating: "n", count: 65))\n    group: 239.1.1.1:5000\n", line: 2, column: 11, field: "streams[0].name", words: "at most 64"),
        Case(what: "escape sequence in a name", yaml: "streams:\n  - name: \"a\\e[2Jb\"\n    group: 239.1.1.1:5000\n", line: 2, column: 11, field: "streams[0].name", words: "\"a\\u{1b}[2Jb\" has control characters"),
        Case(what: "group not multicast", yaml: "streams:\n  - name: a\n    group: 10.1.2.3:5000\n", line: 3, column: 12, field: "streams[0].group", words: "not a multicast address"),
        Case(what: "group malformed", yaml: "streams:\n  - name: a\n    group: 239.1.2:5000\n", line: 3, column: 12, field: "streams[0].group", words: "239.1.2"),
        Case(what: "group without a port", yaml: "streams:\n  - name: a\n    group: 239.1.1.1\n", line: 3, column: 12, field: "streams[0].group", words: "has no port; write 239.1.1.1:5000"),
        Case(what: "port out of range", yaml: "streams:\n  - name: a\n    group: 239.1.1.1:70000\n", line: 3, column: 12, field: "streams[0].group", words: "valid ports are 1-65535"),
        Case(what: "IPv6 group without brackets and port", yaml: "streams:\n  - name: a\n    group: ff15::1\n", line: 3, column: 12, field: "streams[0].group", words: "has no port; write [ff15::1]:5000"),
        Case(what: "source not an address", yaml: good + "    source: sender.example\n", line: 4, column: 13, field: "streams[0].source", words: "is not an IP address"),
        Case(what: "source multicast", yaml: good + "    source: 239.9.9.9\n", line: 4, column: 13, field: "streams[0].source", words: "is a multicast address"),
        Case(what: "source of the other family", yaml: good + "    source: 2001:db8::1\n", line: 4, column: 13, field: "streams[0].source", words: "must be of the group's family"),
        Case(what: "interface name too long", yaml: good + "    interface: abcdefghijklmnop\n", line: 4, column: 16, field: "streams[0].interface", words: "is not an interface name"),
        Case(what: "interface name with a slash", yaml: good + "    interface: eth/0\n", line: 4, column: 16, field: "streams[0].interface", words: "without '/'"),
        Case(what: "interface index 0", yaml: good + "    interface: 0\n", line: 4, column: 16, field: "streams[0].interface", words: "index 0 does not exist"),
        Case(what: "payload unknown", yaml: good + "    payload: mpeg\n", line: 4, column: 14, field: "streams[0].payload", words: "use one of auto, probe, rtp, ts, rtp-ts, iperf, raw"),
        Case(what: "rtp clock not whole", yaml: good + "    rtp_clock: 48000.5\n", line: 4, column: 16, field: "streams[0].rtp_clock", words: "not a whole number"),
        Case(what: "rtp clock out of range", yaml: good + "    rtp_clock: 10\n", line: 4, column: 16, field: "streams[0].rtp_clock", words: "out of range"),
        Case(what: "rate not a number", yaml: good + "    rate: fast\n", line: 4, column: 11, field: "streams[0].rate", words: "is not a number"),
        Case(what: "rate infinite", yaml: good + "    rate: .inf\n", line: 4, column: 11, field: "streams[0].rate", words: "is not a number"),
        Case(what: "rate nan spelt for Double", yaml: good + "    rate: nan\n", line: 4, column: 11, field: "streams[0].rate", words: "is not a number"),
        Case(what: "rate negative", yaml: good + "    rate: -5\n", line: 4, column: 11, field: "streams[0].rate", words: "out of range"),
        Case(what: "bitrate with a unit word", yaml: good + "    bitrate: 8 Mbit\n", line: 4, column: 14, field: "streams[0].bitrate", words: "is not a bit rate"),
        Case(what: "bitrate too high", yaml: good + "    bitrate: 5000G\n", line: 4, column: 14, field: "streams[0].bitrate", words: "out of range"),
        Case(what: "timeout zero", yaml: good + "    timeout: 0\n", line: 4, column: 14, field: "streams[0].timeout", words: "out of range"),
        Case(what: "timeout huge", yaml: good + "    timeout: 1e300\n", line: 4, column: 14, field: "streams[0].timeout", words: "out of range"),
        Case(what: "labels a list", yaml: good + "    labels: [a, b]\n", line: 4, column: 13, field: "streams[0].labels", words: "expected a mapping of labels"),
        Case(what: "label key with a dash", yaml: good + "    labels: {my-key: x}\n", line: 4, column: 14, field: "streams[0].labels.my-key", words: "must be 1-64 of a-z"),
        Case(what: "label key starting with a digit", yaml: good + "    labels: {1st: x}\n", line: 4, column: 14, field: "streams[0].labels.1st", words: "not starting with a digit"),
        Case(what: "label key reserved", yaml: good + "    labels: {__name__: x}\n", line: 4, column: 14, field: "streams[0].labels.__name__", words: "starts with __"),
        Case(what: "label key built in", yaml: good + "    labels: {group: x}\n", line: 4, column: 14, field: "streams[0].labels.group", words: "set from the stream itself"),
        Case(what: "label value a mapping", yaml: good + "    labels: {a: {b: c}}\n", line: 4, column: 17, field: "streams[0].labels.a", words: "expected text, found a mapping"),
        Case(what: "label value too long", yaml: good + "    labels: {a: \(String(repeating: "v", count: 129))}\n", line: 4, column: 17, field: "streams[0].labels.a", words: "at most 128"),
        Case(what: "label value with a newline", yaml: good + "    labels: {a: \"x\\ny\"}\n", line: 4, column: 17, field: "streams[0].labels.a", words: "has control characters"),
        Case(what: "seventeen labels", yaml: good + "    labels: {" + (0..<17).map { "k\($0): v" }.joined(separator: ", ") + "}\n", line: 4, column: 132, field: "streams[0].labels.k16", words: "more than 16 labels"),
        Case(what: "labels over 16 with the defaults'", yaml: "defaults:\n  labels: {" + (0..<10).map { "d\($0): v" }.joined(separator: ", ") + "}\n" + good + "    labels: {" + (0..<7).map { "k\($0): v" }.joined(separator: ", ") + "}\n", line: 6, column: 56, field: "streams[0].labels.k6", words: "counting the defaults'"),
        Case(what: "duplicate key", yaml: good + "    group: 239.1.1.2:5000\n", line: 4, column: 5, field: "streams[0].group", words: "duplicate key \"group\" (first at line 3)"),
        Case(what: "duplicate label key", yaml: good + "    labels: {a: x, a: y}\n", line: 4, column: 20, field: "streams[0].labels.a", words: "duplicate key"),
        Case(what: "a key that is a list", yaml: "streams:\n  - ? [a]\n    : b\n", line: 2, column: 7, field: "streams[0]", words: "keys are plain words"),
        Case(what: "duplicate name", yaml: good + "  - name: a\n    group: 239.1.1.2:5000\n", line: 4, column: 5, field: "streams[1].name", words: "already the name of streams[0] (line 2)"),
        Case(what: "duplicate address", yaml: good + "  - name: b\n    group: 239.1.1.1:5000\n", line: 4, column: 5, field: "streams[1].group", words: "already streams[0] (line 2)"),
        Case(what: "alias", yaml: "defaults: &d {payload: ts}\n" + good, line: 1, column: 11, field: nil, words: "anchors (&name) are not allowed"),
        Case(what: "alias without an anchor", yaml: "streams:\n  - *x\n", line: 2, column: 5, field: nil, words: "aliases (*name) are not allowed"),
        Case(what: "syntax error", yaml: "streams:\n  - name: a\n   group: [\n", line: 3, column: 4, field: nil, words: "YAML syntax"),
        Case(what: "tab indentation", yaml: "streams:\n\t- name: a\n", line: 2, column: 1, field: nil, words: "YAML syntax"),
        Case(what: "two documents", yaml: good + "---\n" + good, line: 4, column: 1, field: nil, words: "a second YAML document"),
        Case(what: "deep nesting", yaml: "streams: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n", line: 1, column: 25, field: nil, words: "nested more than 16 levels"),
    ]

    @Test("a bad file is refused with its line, column and field", arguments: cases)
    func refused(_ c: Case) {
        #expect(throws: StreamListError.self) { try StreamListFile.parse(c.yaml, path: "bad.yaml") }
        do {
            _ = try StreamListFile.parse(c.yaml, path: "bad.yaml")
        } catch {
            #expect(error.line == c.line, "\(error)")
            #expect(error.column == c.column, "\(error)")
            #expect(error.field == c.field, "\(error)")
            #expect(error.message.contains(c.words), "\(error)")
            #expect(error.path == "bad.yaml")
            #expect(!error.description.contains("\n"), "one line: \(error)")
            #expect(!error.description.unicodeScalars.contains { $0.value == 0x1b }, "no escape byte reaches a terminal")
        }
    }

    @Test("the description reads path:line:column: field: message")
    func descriptionForm() {
        let error = StreamListError(path: "streams.yaml", line: 12, column: 5, field: "streams[3].group", message: "\"239.1.2\" is not a multicast address")
        #expect(error.description == "streams.yaml:12:5: streams[3].group: \"239.1.2\" is not a multicast address")
        #expect(StreamListError(path: "s.yaml", message: "the file is empty").description == "s.yaml: the file is empty")
    }

    @Test("bytes that are not UTF-8 are a YAML error, not a trap")
    func invalidUTF8() {
        let bytes = Array("streams:\n  - name: ".utf8) + [0xff, 0xfe, 0x80] + Array("\n".utf8)
        #expect(throws: StreamListError.self) { try StreamListFile.parse(bytes: bytes, path: "b.yaml") }
        let nul = Array("streams:\n  - name: a".utf8) + [0] + Array("b\n".utf8)
        #expect(throws: StreamListError.self) { try StreamListFile.parse(bytes: nul, path: "b.yaml") }
    }
}

/// Keys and values from the file reach messages escaped, whatever they hold.
@Suite("Stream list errors quote the file safely")
struct StreamListErrorQuotingTests {
    @Test("a key with newlines (found by fuzzing) gets an escaped field path; a group with one is refused as such", arguments: [
        ("streams:\n  - {name: a, \"gro\\nup\": 1}\n", "streams[0][\"gro\\u{a}up\"]"),
        ("streams:\n  - {name: a, group: \"239.1.1.1\\n:5000\"}\n", "streams[0].group"),
        ("streams:\n  - {name: a, group: 239.1.1.1:5000, source: \"10.0.0.1\\r\"}\n", "streams[0].source"),
    ])
    func escaped(yaml: String, field: String) {
        do {
            _ = try StreamListFile.parse(yaml, path: "q.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 }, "\(error.description.debugDescription)")
        }
    }
}

/// Text from the file reaches an error cut short: a megabyte-long group, source or key makes a
/// line of a few hundred characters, not a megabyte on the terminal.
@Suite("Stream list errors stay short")
struct StreamListErrorLengthTests {
    static let long = String(repeating: "1", count: 1_000_000)

    @Test("a long group, source, interface, payload or key is quoted cut, in one short line", arguments: [
        ("streams:\n  - {name: a, group: \"239.\(long):5000\"}\n", "streams[0].group"),
        ("streams:\n  - {name: a, group: \"[ff15::\(long)]:5000\"}\n", "streams[0].group"),
        ("streams:\n  - {name: a, group: 239.1.1.1:5000, source: \"10.\(long)\"}\n", "streams[0].source"),
        ("streams:\n  - {name: a, group: 239.1.1.1:5000, interface: \"eth\(long)\"}\n", "streams[0].interface"),
        ("streams:\n  - {name: a, group: 239.1.1.1:5000, payload: \"ts\(long)\"}\n", "streams[0].payload"),
        // (libyaml takes keys of at most 1024 characters.)
        ("streams:\n  - {name: a, group: 239.1.1.1:5000, \"k\(long.prefix(1000))\": 1}\n", "streams[0][\"k" + String(repeating: "1", count: 79) + "…\"]"),
    ])
    func cut(yaml: String, field: String) {
        do {
            _ = try StreamListFile.parse(yaml, path: "long.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.field == field)
            #expect(error.description.count < 400, "\(error.description.prefix(500))")
        }
    }

    @Test("an error made with control characters in its field or message still prints as one line")
    func descriptionSanitised() {
        let error = StreamListError(path: "s.yaml", line: 1, column: 2, field: "a\u{1b}[2Jb", message: "x\ny\u{85}z")
        #expect(error.description == "s.yaml:1:2: a\\u{1b}[2Jb: x\\u{a}y\\u{85}z")
    }
}

/// Bytes libyaml's reader refuses (invalid UTF-8, NUL) are reported at a line and column, as
/// every other error is, not only at a byte offset.
@Suite("Stream list reader errors have a place")
struct StreamListReaderErrorTests {
    @Test("invalid UTF-8 and NUL bytes are reported at their line and column", arguments: [
        (Array("streams:\n  - name: ".utf8) + [0xff, 0xfe] + Array("\n".utf8), 2, 11),
        (Array("streams:\n  - name: é".utf8) + [0x80] + Array("\n".utf8), 2, 12),
        (Array("streams:\n  - name: a\n    group: 239.1.1.1:5000".utf8) + [0] + Array("\n".utf8), 3, 26),
        ([0xc3] + Array("x: 1\n".utf8), 1, 2),  // libyaml points at the byte that cannot follow 0xC3
    ])
    func placed(bytes: [UInt8], line: Int, column: Int) {
        do {
            _ = try StreamListFile.parse(bytes: bytes, path: "b.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
            #expect(!error.description.contains("at byte"), "\(error)")
        }
    }
}
