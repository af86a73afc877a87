/// Hexdump lines in the classic layout: offset, 16 bytes of hex in two groups of 8, and the
/// printable ASCII (anything else as `.`), so network bytes never reach a terminal raw.
public enum Hexdump {
    /// One line per 16 bytes: `00000010  4d 43 58 50 01 00 00 20  ab cd ...  |MCXP... ...|`.
    public static func lines(_ bytes: [UInt8], bytesPerLine: Int = 16) -> [String] {
        var lines: [String] = []
        lines.reserveCapacity((bytes.count + bytesPerLine - 1) / bytesPerLine)
        var offset = 0
        while offset < bytes.count {
            let chunk = bytes[offset..<min(offset + bytesPerLine, bytes.count)]
            var line = hex(offset, width: 8) + "  "
            for (i, byte) in chunk.enumerated() {
                line += hex(Int(byte), width: 2) + " "
                if i == bytesPerLine / 2 - 1 { line += " " }
            }
            if chunk.count < bytesPerLine {
                let missing = bytesPerLine - chunk.count
                line += String(repeating: " ", count: missing * 3 + (chunk.count <= bytesPerLine / 2 - 1 ? 1 : 0))
            }
            line += " |" + PrintableText.ascii(chunk) + "|"
            lines.append(line)
            offset += bytesPerLine
        }
        return lines
    }

    /// Lower-case hex of all bytes, no separators (`payload_hex` in JSON output).
    public static func compactHex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ value: Int, width: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Turns untrusted bytes into text that is safe to print on a terminal.
public enum PrintableText {
    /// Printable ASCII (0x20–0x7e) kept, every other byte as `.`: no escape sequences, no control characters.
    public static func ascii<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: bytes.map { (0x20...0x7e).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
    }
}
