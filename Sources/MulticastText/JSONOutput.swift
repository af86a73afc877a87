import FoundationEssentials

/// The one way the tool writes JSON: `Encodable` values through JSONEncoder (from
/// FoundationEssentials, which the argument parser links anyway, so no ICU), keys sorted so the
/// output is stable, and then every scalar ``TerminalText`` calls unsafe written as `\uXXXX`.
/// JSONEncoder escapes C0 controls but leaves DEL, C1 and bidirectional controls raw, and JSON
/// is often read on a terminal (`cat`, `jq -c`).
package enum JSONOutput {
    /// One JSON document on one line (`pretty` spreads it over several, as `interfaces --json` does).
    package static func encode<Value: Encodable>(_ value: Value, pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return escapingUnsafe(String(decoding: data, as: UTF8.self))
    }

    /// JSONEncoder writes every control inside a string as an escape, so a raw newline in its
    /// output is layout (pretty printing) and any other unsafe scalar is inside a string, where
    /// it can be replaced by its escape without looking at the structure.
    package static func escapingUnsafe(_ json: String) -> String {
        func needsEscape(_ scalar: Unicode.Scalar) -> Bool { scalar != "\n" && TerminalText.isUnsafe(scalar) }
        guard json.unicodeScalars.contains(where: needsEscape) else { return json }
        var out = ""
        out.reserveCapacity(json.utf8.count + 16)
        for scalar in json.unicodeScalars {
            if needsEscape(scalar) {
                out += jsonEscape(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `\uXXXX` for a scalar, as a UTF-16 surrogate pair above the basic plane.
    static func jsonEscape(_ scalar: Unicode.Scalar) -> String {
        func unit(_ value: UInt32) -> String {
            let hex = String(value, radix: 16)
            return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        guard scalar.value > 0xffff else { return unit(scalar.value) }
        let v = scalar.value - 0x10000
        return unit(0xd800 + (v >> 10)) + unit(0xdc00 + (v & 0x3ff))
    }
}
