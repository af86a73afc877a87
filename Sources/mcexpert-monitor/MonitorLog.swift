#if canImport(Glibc)
import Glibc
#endif
import MulticastText

/// One line on stderr per event worth a person's attention (start, reloads, refused joins,
/// the IGMP listener's state), with anything that came from outside sanitised for the terminal.
enum MonitorLog {
    static func line(_ text: String) {
        let bytes = Array(("mcexpert-monitor: " + TerminalText.sanitize(text) + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
