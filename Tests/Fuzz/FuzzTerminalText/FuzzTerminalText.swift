import FuzzSupport
import MulticastMonitor
import MulticastTUI
import MulticastText

// The one sanitiser for outside text, JSON strings, numbers for people, and the TUI's canvas.
//
// Input layout: byte 0 picks the part. Text parts read length-prefixed strings (invalid UTF-8
// becomes U+FFFD, as for interface names and /proc text). The canvas part reads its size, then
// drawing commands until the input ends:
//   0 put(x, y, text, style, maxWidth) · 1 box(x, y, w, h, title, glyphs) · 2 fillRow(y, style)
// Invariants, checked with preconditions so a violation is a crash libFuzzer reports:
//   sanitised text and JSON strings hold no scalar TerminalText.isUnsafe calls unsafe; a JSON
//   string has no raw quote inside and decodes back to the text; sanitize(_:limit:) keeps to
//   its limit; the canvas holds no unsafe scalar and every row is exactly its width.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    switch input.byte() % 3 {
    case 0: text(&input)
    case 1: number(&input)
    default: canvas(&input)
    }
    return 0
}

private func text(_ input: inout FuzzInput) {
    let limit = Int(Int8(bitPattern: input.byte()))
    let text = String(decoding: input.rest(), as: UTF8.self)

    let clean = TerminalText.sanitize(text)
    precondition(!clean.unicodeScalars.contains(where: TerminalText.isUnsafe), "sanitize left an unsafe scalar")
    if !text.unicodeScalars.contains(where: TerminalText.isUnsafe) { precondition(clean == text, "safe text comes back unchanged") }

    let cut = TerminalText.sanitize(text, limit: limit)
    precondition(!cut.unicodeScalars.contains(where: TerminalText.isUnsafe), "sanitize(limit:) left an unsafe scalar")
    precondition(cut.count <= max(limit, 0), "sanitize(limit:) is at most \(limit) characters, got \(cut.count)")

    let json = JSONOutput.encode(text)
    precondition(!json.unicodeScalars.contains(where: TerminalText.isUnsafe), "JSONOutput left an unsafe scalar")
    precondition(decodeJSONString(json) == text, "JSONOutput's string decodes back to the text")
}

private func number(_ input: inout FuzzInput) {
    let decimals = Int(input.byte() % 7)
    let value = Double(bitPattern: input.uint64())
    let text = NumberFormat.fixed(value, decimals)
    if value.isFinite {
        // Digits with a point; beyond Int64 the shortest exact form (`1e+300`).
        precondition(text.allSatisfy { $0.isASCII && ($0.isNumber || ".-e+".contains($0)) }, "a number: \(text)")
        precondition(Double(text).map { abs($0 - value) <= abs(value) * 1e-9 + 1 } == true, "the text reads back as the number: \(text) for \(value)")
    } else {
        precondition(text == "-", "non-finite values print as -")
    }
}

private func canvas(_ input: inout FuzzInput) {
    let width = Int(input.byte() % 41), height = Int(input.byte() % 13)
    var canvas = Canvas(width: width, height: height)
    while !input.isEmpty {
        let command = input.byte()
        let style = Style.allCases[Int(command >> 2) % Style.allCases.count]
        switch command & 0x03 {
        case 0:
            let x = coordinate(&input), y = coordinate(&input)
            let limit = input.byte()
            let maxWidth = limit == 0xff ? nil : Int(Int8(bitPattern: limit))
            canvas.put(x, y, input.text(), style, maxWidth: maxWidth)
        case 1:
            let x = coordinate(&input), y = coordinate(&input), w = coordinate(&input), h = coordinate(&input)
            canvas.box(x: x, y: y, width: w, height: h, title: input.text(), glyphs: command & 0x80 == 0 ? .unicode : .ascii)
        default:
            canvas.fillRow(coordinate(&input), style)
        }
    }
    for y in 0..<height {
        let row = canvas.row(y)
        let scalars = row.unicodeScalars.map { String($0.value, radix: 16) }
        precondition(!row.unicodeScalars.contains(where: TerminalText.isUnsafe), "row \(y) holds an unsafe scalar: \(scalars)")
        precondition(row.count == width, "row \(y) is \(row.count) characters on a canvas \(width) wide: \(scalars)")
    }
    consume(canvas.text)
}

/// Small signed coordinates around the canvas, off its edges included.
private func coordinate(_ input: inout FuzzInput) -> Int { Int(Int8(bitPattern: input.byte())) / 2 }

/// Decodes a JSON string literal (RFC 8259 §7); nil when it is not one, such as when a raw
/// quote or control character appears inside.
private func decodeJSONString(_ literal: String) -> String? {
    var scalars = Array(literal.unicodeScalars)[...]
    guard scalars.first == "\"", scalars.last == "\"", scalars.count >= 2 else { return nil }
    scalars = scalars.dropFirst().dropLast()
    var out = String.UnicodeScalarView()
    var pendingHigh: UInt32?
    while let scalar = scalars.popFirst() {
        if scalar == "\"" || scalar.value < 0x20 { return nil }
        guard scalar == "\\" else {
            guard pendingHigh == nil else { return nil }
            out.append(scalar)
            continue
        }
        guard let escape = scalars.popFirst() else { return nil }
        let simple: [Unicode.Scalar: Unicode.Scalar] = ["\"": "\"", "\\": "\\", "/": "/", "b": "\u{8}", "f": "\u{c}", "n": "\n", "r": "\r", "t": "\t"]
        if let plain = simple[escape] {
            guard pendingHigh == nil else { return nil }
            out.append(plain)
            continue
        }
        guard escape == "u", scalars.count >= 4, let unit = UInt32(String(String.UnicodeScalarView(scalars.prefix(4))), radix: 16) else { return nil }
        scalars = scalars.dropFirst(4)
        if let high = pendingHigh {
            guard (0xdc00...0xdfff).contains(unit), let combined = Unicode.Scalar(0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00)) else { return nil }
            out.append(combined)
            pendingHigh = nil
        } else if (0xd800...0xdbff).contains(unit) {
            pendingHigh = unit
        } else {
            guard let plain = Unicode.Scalar(unit) else { return nil }
            out.append(plain)
        }
    }
    return pendingHigh == nil ? String(out) : nil
}

@inline(never)
private func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
