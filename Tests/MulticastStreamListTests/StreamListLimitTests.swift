import Foundation
import MulticastStreamList
import Testing

/// The bounds that keep a hostile or mistaken file cheap: aliases, stream and node counts, file
/// size, and paths that are not files.
@Suite("Stream list limits")
struct StreamListLimitTests {
    @Test("a billion-laughs file is refused at its first anchor, before anything expands")
    func billionLaughs() {
        var yaml = "lol0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            yaml += "lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        yaml += "streams: *l9\n"
        #expect {
            try StreamListFile.parse(yaml, path: "lol.yaml")
        } throws: { error in
            let error = error as? StreamListError
            return error?.line == 1 && error?.column == 7 && error?.message.contains("anchors (&name) are not allowed") == true
        }
    }

    @Test("maximumStreams streams are read; one more is refused at that stream")
    func streamCap() throws {
        let limit = StreamListFile.maximumStreams
        func list(_ count: Int) -> String {
            "streams:\n" + (0..<count).map { "  - {name: s\($0), group: 239.1.\($0 / 256).\($0 % 256):5000}\n" }.joined()
        }
        #expect(try StreamListFile.parse(list(limit), path: "max.yaml").streams.count == limit)
        #expect {
            try StreamListFile.parse(list(limit + 1), path: "over.yaml")
        } throws: { error in
            let error = error as? StreamListError
            return error?.field == "streams[\(limit)]" && error?.line == limit + 2 && error?.message.contains("more than \(limit) streams") == true
        }
    }

    @Test("a file of a million tiny nodes (2 MB) is refused at the node cap")
    func nodeCap() {
        let yaml = "streams: [" + String(repeating: "1,", count: 1_000_000) + "1]\n"
        #expect(yaml.utf8.count < StreamListFile.maximumFileBytes)
        #expect {
            try StreamListFile.parse(yaml, path: "nodes.yaml")
        } throws: { error in
            (error as? StreamListError)?.message.contains("YAML nodes; split the list") == true
        }
    }

    @Test("a file over the size cap is refused by load and by parse")
    func sizeCap() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let big = "# " + String(repeating: "x", count: StreamListFile.maximumFileBytes) + "\n"
        let path = try directory.write("big.yaml", big)
        #expect {
            try StreamListFile.load(path: path)
        } throws: { error in
            let error = error as? StreamListError
            return error?.path == path && error?.line == nil && error?.message.contains("at most \(StreamListFile.maximumFileBytes) bytes") == true
        }
        #expect(throws: StreamListError.self) { try StreamListFile.parse(big, path: "big.yaml") }
    }

    @Test("a directory, a missing file and an unreadable file each get a clear error")
    func badPaths() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect {
            try StreamListFile.load(path: directory.path)
        } throws: { error in
            (error as? StreamListError)?.description == "\(directory.path): is a directory; give a stream-list file such as streams.yaml"
        }
        #expect {
            try StreamListFile.load(path: directory.path + "/missing.yaml")
        } throws: { error in
            (error as? StreamListError)?.description == "\(directory.path)/missing.yaml: cannot open: No such file or directory"
        }
        let good = try directory.write("good.yaml", "streams:\n  - {name: a, group: 239.1.1.1:5000}\n")
        #expect(try StreamListFile.load(path: good).streams.count == 1)
        // Root reads a file without permissions anyway; a dangling symlink is unreadable for everyone.
        let dangling = directory.path + "/dangling.yaml"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: directory.path + "/nowhere")
        #expect(throws: StreamListError.self) { try StreamListFile.load(path: dangling) }
    }
}

/// A fresh directory under /tmp, removed by the test.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "mcexpert-streams-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes a file in the directory and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Names and label values are bounded in bytes as well as characters: a character may carry any
/// number of combining marks, so a count of characters alone bounds nothing.
@Suite("Stream list text bounds")
struct StreamListTextBoundTests {
    /// One character: `a` with `marks` combining acute accents (two bytes each).
    static func heavy(_ marks: Int) -> String { "a" + String(repeating: "\u{301}", count: marks) }

    @Test("a name of one character with 100,000 combining marks (200 kB) is refused by its bytes")
    func heavyName() {
        let name = Self.heavy(100_000)
        #expect(name.count == 1)
        let yaml = "streams:\n  - name: \"\(name)\"\n    group: 239.1.1.1:5000\n"
        #expect {
            try StreamListFile.parse(yaml, path: "heavy.yaml")
        } throws: { error in
            let error = error as? StreamListError
            return error?.field == "streams[0].name" && error?.line == 2
                && error?.message == "the name is 200001 bytes; at most \(StreamListFile.maximumNameBytes)"
                && (error?.description.utf8.count ?? .max) < 200
        }
    }

    @Test("a label value of one heavy character is refused by its bytes")
    func heavyLabelValue() {
        let value = Self.heavy(5_000)
        let yaml = "streams:\n  - name: a\n    group: 239.1.1.1:5000\n    labels: {site: \"\(value)\"}\n"
        #expect {
            try StreamListFile.parse(yaml, path: "heavy.yaml")
        } throws: { error in
            let error = error as? StreamListError
            return error?.field == "streams[0].labels.site" && error?.line == 4
                && error?.message == "the value is 10001 bytes; at most \(StreamListFile.maximumLabelValueBytes)"
        }
    }

    @Test("names and values at both bounds read: 64 four-byte characters, 128 two-byte ones; one byte more is refused")
    func atTheBounds() throws {
        #expect(StreamListFile.maximumNameBytes == 256 && StreamListFile.maximumLabelValueBytes == 256)
        let name = String(repeating: "📺", count: 64)
        let value = String(repeating: "é", count: 128)
        let yaml = "streams:\n  - name: \"\(name)\"\n    group: 239.1.1.1:5000\n    labels: {site: \"\(value)\"}\n"
        let list = try StreamListFile.parse(yaml, path: "bounds.yaml")
        #expect(list.streams.first?.name == name && list.streams.first?.labels.first?.value == value)
        // 63 characters of 4 bytes and one of 5 (a and two marks): 64 characters, 257 bytes.
        let over = String(repeating: "📺", count: 63) + Self.heavy(2)
        #expect(over.utf8.count == 257 && over.count == 64)
        #expect(throws: StreamListError.self) {
            try StreamListFile.parse("streams:\n  - name: \"\(over)\"\n    group: 239.1.1.1:5000\n", path: "over.yaml")
        }
    }
}

/// The YAML tree's node cap sits above the largest valid file and far below what 4 MiB of
/// `1,` would make.
@Suite("Stream list node cap")
struct StreamListNodeCapTests {
    /// A valid file as large as the format allows in nodes: defaults with every field and 16
    /// labels, and 4096 streams each with every field and 16 labels (217,141 nodes).
    static func largestValidFile() -> String {
        let labels = "{" + (0..<16).map { "k\($0): v" }.joined(separator: ", ") + "}"
        var yaml = "defaults: {interface: lo, source: 10.0.0.1, payload: ts, rtp_clock: 90000, rate: 1, bitrate: 1M, timeout: 2, labels: \(labels)}\n"
        yaml += "streams:\n"
        for i in 0..<StreamListFile.maximumStreams {
            yaml += "  - {name: s\(i), group: 232.1.\(i / 256).\(i % 256):5000, interface: lo, source: 10.0.0.2, payload: rtp, rtp_clock: 48000, rate: 2, bitrate: 2M, timeout: 3, labels: \(labels)}\n"
        }
        return yaml
    }

    @Test("the largest valid file reads")
    func largestValid() throws {
        let yaml = Self.largestValidFile()
        #expect(yaml.utf8.count < StreamListFile.maximumFileBytes)
        let list = try StreamListFile.parse(yaml, path: "largest.yaml")
        #expect(list.streams.count == StreamListFile.maximumStreams && list.streams.allSatisfy { $0.labels.count == 16 })
    }

    @Test("250,003 nodes are refused at the node cap, before the decoder sees them")
    func overTheCap() {
        // The top mapping, the key "streams", the list and 250,000 scalars: 250,003 nodes.
        let yaml = "streams: [" + String(repeating: "1,", count: 249_999) + "1]\n"
        #expect {
            try StreamListFile.parse(yaml, path: "nodes.yaml")
        } throws: { error in
            let error = error as? StreamListError
            return error?.message == "more than 250000 YAML nodes; split the list into several files" && error?.line == 1
        }
        // 249,996 scalars and three more: 249,999 nodes are read, then refused as not streams.
        let under = "streams: [" + String(repeating: "1,", count: 249_995) + "1]\n"
        #expect {
            try StreamListFile.parse(under, path: "nodes.yaml")
        } throws: { error in
            (error as? StreamListError)?.message.contains("expected a stream") == true
        }
    }
}
