import MulticastExpert

/// Reads lines from a file descriptor with a cap on their length, for `send --stdin`: a stream
/// with no newline (`send --stdin < /dev/zero`) must not grow memory without bound. A longer
/// line is cut at the cap and the rest of it, up to the next newline, is skipped.
struct InputLines {
    let descriptor: Int32
    /// The longest line kept, bytes (one datagram's worth).
    let maximumLength: Int
    /// Lines that were longer than ``maximumLength`` and were cut.
    private(set) var cutLines = 0
    private var buffer: [UInt8] = []
    private var start = 0
    private var end = 0
    private var atEnd = false

    init(descriptor: Int32 = 0, maximumLength: Int) {
        self.descriptor = descriptor
        self.maximumLength = maximumLength
        buffer = [UInt8](repeating: 0, count: 1 << 16)
    }

    /// The next line without its newline (and without a trailing carriage return), nil at the
    /// end of input or when `shouldStop` says so while waiting.
    mutating func next(shouldStop: () -> Bool) -> [UInt8]? {
        var line: [UInt8] = []
        var skipping = false
        while true {
            if start < end {
                let chunk = buffer[start..<end]
                if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                    append(buffer[start..<newline], to: &line, skipping: &skipping)
                    start = newline + 1
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    return line
                }
                append(chunk, to: &line, skipping: &skipping)
                start = end
            }
            if atEnd { return line.isEmpty && !skipping ? nil : line }
            switch buffer.withUnsafeMutableBytes({ StreamIO.read(descriptor, into: $0) }) {
            case .transferred(0), .failed:
                atEnd = true
            case .transferred(let n):
                start = 0
                end = n
            case .interrupted:
                if shouldStop() { atEnd = true }
            }
        }
    }

    private mutating func append(_ bytes: ArraySlice<UInt8>, to line: inout [UInt8], skipping: inout Bool) {
        guard !skipping else { return }
        let room = maximumLength - line.count
        if bytes.count > room {
            line.append(contentsOf: bytes.prefix(room))
            skipping = true
            cutLines += 1
        } else {
            line.append(contentsOf: bytes)
        }
    }
}
