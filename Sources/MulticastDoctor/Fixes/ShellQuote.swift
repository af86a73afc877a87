/// Quotes values for the `fix:` commands the doctor prints, so that pasting one into a shell
/// runs exactly that command and nothing else.
///
/// The values come from outside: the kernel lets an interface name hold `;`, `$()`, quotes and
/// control bytes, and a firewall rule's text is whatever its author wrote. A value made only of
/// characters no POSIX shell treats specially stays as it is (so ordinary fixes read as before);
/// anything else is put in single quotes, inside which `sh` expands nothing, with each embedded
/// `'` written as `'\''`.
public enum ShellQuote {
    /// `value` as one shell word: unchanged when plainly safe (`[A-Za-z0-9_.:/@%+,=-]`, not empty),
    /// otherwise single-quoted.
    public static func word(_ value: String) -> String {
        if !value.isEmpty && value.unicodeScalars.allSatisfy(isPlain) { return value }
        var quoted = "'"
        for scalar in value.unicodeScalars {
            if scalar == "'" { quoted += "'\\''" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "'"
    }

    /// Whether `scalar` means nothing special to a POSIX shell anywhere in a word.
    static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9": true
        case "_", ".", ":", "/", "@", "%", "+", ",", "=", "-": true
        default: false
        }
    }
}
