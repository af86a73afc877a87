#if canImport(Glibc)
import Glibc
#endif
import MulticastExpert
import MulticastMonitor

/// Stream-list files: YAML naming the streams a tool should join, read with line, column and
/// field in every error, and written back so that what is written reads back identically.
///
/// The format (README, "Stream lists"; `examples/streams.yaml`):
/// ```yaml
/// defaults:                 # optional; every stream inherits these unless it sets its own
///   interface: eth1
///   labels: {site: ams1}
/// streams:
///   - name: BBC One HD
///     group: 239.1.1.1:5000   # or "[ff15::1]:5000"; the port is required
///     source: 10.0.0.5        # optional: SSM
///     payload: ts             # auto|probe|rtp|ts|rtp-ts|iperf|raw
///     rtp_clock: 90000        # optional
///     rate: 1000              # optional packets/s
///     bitrate: 8M             # optional bits/s
///     timeout: 2              # optional seconds of silence before it counts as down
///     labels: {channel: "101"}
/// ```
/// Files are bounded (``maximumFileBytes``, ``maximumStreams``, label counts and lengths) and
/// YAML aliases are refused, so a hostile file is refused quickly in bounded memory.
public enum StreamListFile {
    /// Most streams one file (and so one process) may name.
    public static let maximumStreams = 4096
    /// Largest file read, in bytes.
    public static let maximumFileBytes = 4 << 20
    /// Longest stream name, in characters.
    public static let maximumNameLength = 64
    /// Longest stream name, in UTF-8 bytes: a character may carry any number of combining
    /// marks, so ``maximumNameLength`` alone bounds nothing. 64 characters of four bytes fit.
    public static let maximumNameBytes = 256
    /// Most labels per stream, the defaults' included.
    public static let maximumLabels = 16
    /// Longest label value, in characters.
    public static let maximumLabelValueLength = 128
    /// Longest label value, in UTF-8 bytes (see ``maximumNameBytes``); the same as the
    /// exporter's `StreamLabels.maximumValueBytes`, so it never cuts a value a file gave it.
    public static let maximumLabelValueBytes = 256
    /// Label keys the tools set themselves from the stream's fields; a file may not set them.
    public static let builtInLabelKeys = ["name", "group", "port", "interface", "source", "kind"]

    /// Reads and checks a file.
    /// - Throws: ``StreamListError`` for a missing, unreadable, oversized or directory path, and
    ///   for every problem ``parse(_:path:)`` finds.
    public static func load(path: String) throws(StreamListError) -> StreamList {
        let bytes = try readBytes(path)
        return try parse(bytes: bytes, path: path)
    }

    /// Checks stream-list text; `path` only names the file in errors.
    public static func parse(_ text: String, path: String) throws(StreamListError) -> StreamList {
        try parse(bytes: Array(text.utf8), path: path)
    }

    /// Checks stream-list bytes (UTF-8); what ``load(path:)`` and the fuzz target call.
    public static func parse(bytes: [UInt8], path: String) throws(StreamListError) -> StreamList {
        guard bytes.count <= maximumFileBytes else {
            throw StreamListError(path: path, message: "the file is \(bytes.count) bytes; stream lists are at most \(maximumFileBytes) bytes")
        }
        let root: YAMLNode?
        do {
            root = try YAMLTree.read(bytes)
        } catch {
            throw StreamListError(path: path, line: error.line, column: error.column, field: nil, message: error.message)
        }
        return try StreamListDecoder(path: path).decode(root)
    }

    /// The list as YAML that ``parse(_:path:)`` reads back as the same list: every stream with
    /// all its fields (no defaults section), strings double-quoted with escapes.
    public static func render(_ list: StreamList) -> String {
        StreamListRenderer.render(list)
    }

    /// Writes ``render(_:)``'s text to a file (mode 0644). Without `overwrite`, an existing file
    /// is left alone and false is returned (the check and the creation are one `open(2)` with
    /// `O_EXCL`, so nothing can appear in between); true once written.
    /// - Throws: ``StreamListError`` when the file cannot be created or written.
    public static func save(_ list: StreamList, path: String, overwrite: Bool) throws(StreamListError) -> Bool {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST, !overwrite { return false }
            throw StreamListError(path: path, message: "cannot write: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        let bytes = Array(render(list).utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw StreamListError(path: path, message: "cannot write: \(String(cString: strerror(code)))")
            }
            offset += written
        }
        return true
    }

    // MARK: Reading

    private static func readBytes(_ path: String) throws(StreamListError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw StreamListError(path: path, message: "cannot open: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var status = stat()
        if fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            throw StreamListError(path: path, message: "is a directory; give a stream-list file such as streams.yaml")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw StreamListError(path: path, message: "cannot read: \(String(cString: strerror(code)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<min(count, chunk.count)])
            if bytes.count > maximumFileBytes {
                throw StreamListError(path: path, message: "the file is over \(maximumFileBytes) bytes; stream lists are at most \(maximumFileBytes) bytes")
            }
        }
        return bytes
    }

    // MARK: Checks shared with the tools (the TUI's save names streams with them)

    /// Whether text has C0/C1 control characters or line/paragraph separators.
    public static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
        }
    }

    /// Why text cannot be an interface (a Linux name, an index or an address), or nil when it can.
    public static func interfaceProblem(_ text: String) -> String? {
        switch InterfaceSpecifier(text) {
        case .index(let index):
            return index == 0 ? "interface index 0 does not exist; indexes start at 1 (see mcexpert interfaces)" : nil
        case .address(let address):
            return address.isMulticast ? "interface \(address) is a multicast address; name an interface by name, index or one of its own addresses" : nil
        case .name(let name):
            let valid = !name.isEmpty && name.utf8.count <= 15 && name != "." && name != ".."
                && !name.unicodeScalars.contains { $0 == "/" || $0 == ":" || $0.value <= 0x20 || $0.value == 0x7f }
            return valid ? nil : "\(quotedForMessage(name)) is not an interface name: Linux names are 1-15 bytes without '/', ':' or spaces; or give an index or address (see mcexpert interfaces)"
        }
    }

    /// Why text cannot be a label key, or nil when it can.
    public static func labelKeyProblem(_ key: String) -> String? {
        let bytes = Array(key.utf8)
        let isStart: (UInt8) -> Bool = { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x41 && $0 <= 0x5a) || $0 == 0x5f }
        let isRest: (UInt8) -> Bool = { isStart($0) || ($0 >= 0x30 && $0 <= 0x39) }
        guard let first = bytes.first, isStart(first), bytes.allSatisfy(isRest), bytes.count <= 64 else {
            return "label key \(quotedForMessage(key)) must be 1-64 of a-z, A-Z, 0-9 and _, not starting with a digit"
        }
        if key.hasPrefix("__") { return "label key \(quotedForMessage(key)) starts with __, which Prometheus reserves" }
        if builtInLabelKeys.contains(key) {
            return "label key \(quotedForMessage(key)) is set from the stream itself; built-in labels are \(builtInLabelKeys.joined(separator: ", "))"
        }
        return nil
    }

    /// A plain decimal number (`1000`, `2.5`, `1e3`); nil for anything else, including `inf`,
    /// `nan` and hexadecimal, which `Double(_:)` would take.
    static func decimal(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.count <= 40,
              text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2e || $0 == 0x65 || $0 == 0x45 || $0 == 0x2b || $0 == 0x2d }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Bits per second written as `8000000`, `8M`, `8.5M`, `500k` or `1G` (powers of 1000).
    static func bitRate(_ text: String) -> Double? {
        var number = Substring(text)
        var scale = 1.0
        switch text.last {
        case "k", "K": scale = 1e3
        case "M": scale = 1e6
        case "G": scale = 1e9
        default: break
        }
        if scale != 1 { number = number.dropLast() }
        guard let value = decimal(String(number)) else { return nil }
        let result = value * scale
        return result.isFinite ? result : nil
    }

    /// A number as people write it: `1000`, `2.5`.
    static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Text from the file quoted for an error message: control characters escaped, long text cut.
    static func quotedForMessage(_ text: String) -> String {
        var result = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            if count > 80 {
                result += "…"
                break
            }
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default: appendEscaped(scalar, to: &result)
            }
        }
        return result + "\""
    }

    /// Text with its control characters written as `\u{1b}`; the rest as it is.
    static func escapingControlCharacters(_ text: String) -> String {
        guard hasControlCharacters(text) else { return text }
        var result = ""
        for scalar in text.unicodeScalars { appendEscaped(scalar, to: &result) }
        return result
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, to result: inout String) {
        if scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
            result += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
            result.unicodeScalars.append(scalar)
        }
    }

    /// The known key closest to a misspelt one (edit distance at most 2, or the same letters in
    /// another case or with - for _), for "did you mean".
    static func closest(to key: String, among known: [String]) -> String? {
        let normalised = key.lowercased().replacingHyphens()
        if let same = known.first(where: { $0 == normalised }) { return same }
        guard key.count <= 40 else { return nil }
        let scored = known.map { ($0, editDistance(Array(normalised), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

extension String {
    fileprivate func replacingHyphens() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
