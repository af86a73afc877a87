/// The one sanitiser for text from outside (interface names, /proc content, firewall rules,
/// anything quoted in an error) on its way to a terminal.
///
/// The kernel lets an interface name hold ESC, `;`, `$()` and bytes that are not UTF-8, and a
/// firewall rule's comment can hold anything. Printed raw, such text can move the cursor, retitle
/// the window, hide a warning behind a carriage return or reverse the order of what follows (the
/// "Trojan Source" bidirectional controls). Every character that can do any of that is shown as
/// a visible escape instead: `\x1B` for C0, DEL and C1 controls, `\u{202E}` for format
/// characters, so the reader sees that something odd is in the name rather than a clean lie.
public enum TerminalText {
    /// Whether `scalar` can steer a terminal or change how the text around it reads:
    /// C0 controls, DEL, C1 controls, bidirectional and zero-width format characters, line and
    /// paragraph separators, and the byte-order mark.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0x00...0x1f, 0x7f...0x9f: return true  // C0, DEL, C1
        case 0x061c: return true  // Arabic letter mark
        case 0x115f, 0x1160, 0x3164, 0xffa0: return true  // Hangul fillers: invisible, yet not format characters
        case 0x180e: return true  // Mongolian vowel separator
        case 0x200b...0x200f: return true  // zero-width space/non-joiner/joiner, LRM, RLM
        case 0x2028, 0x2029: return true  // line and paragraph separators
        case 0x202a...0x202e: return true  // bidirectional embeddings and overrides
        case 0x2060...0x206f: return true  // word joiner, invisible operators, bidi isolates, deprecated formats
        case 0xfeff: return true  // byte-order mark / zero-width no-break space
        case 0xfff9...0xfffb: return true  // interlinear annotation controls
        case 0xe0000...0xe007f: return true  // tag characters
        default: return false
        }
    }

    /// `text` with every unsafe scalar replaced by a visible escape (`\x1B`, `\u{202E}`); a
    /// backslash itself stays as it is. Safe text comes back unchanged, without copying much.
    public static func sanitize(_ text: String) -> String {
        // Printable ASCII throughout is the common case (every line `listen` prints): one pass
        // over the UTF-8 bytes decides it without decoding scalars.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return text }
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Sanitises text and cuts it to at most `limit` characters (an ellipsis marks the cut), for
    /// one-line fields such as names that could otherwise be arbitrarily long.
    public static func sanitize(_ text: String, limit: Int) -> String {
        let clean = sanitize(text)
        guard limit > 0 else { return "" }
        guard clean.count > limit else { return clean }
        return String(clean.prefix(limit - 1)) + "…"
    }

    /// The visible stand-in for one unsafe scalar.
    static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        if scalar.value <= 0xff { return "\\x" + (hex.count < 2 ? "0" + hex : hex) }
        return "\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}"
    }
}
