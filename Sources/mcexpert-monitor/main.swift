#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MulticastText

// The parser's messages quote what was typed; print them through the sanitiser, as mcexpert does.
do {
    var command = try MonitorCommand.parseAsRoot()
    try command.run()
} catch {
    let parserCode = MonitorCommand.exitCode(for: error)
    let code = parserCode == .validationFailure ? ExitCode(2) : parserCode
    let message = MonitorCommand.fullMessage(for: error)
    if !message.isEmpty {
        let text = message.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.sanitize(String($0)) }.joined(separator: "\n")
        let bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(code == .success ? 1 : 2, $0.baseAddress, $0.count) }
    }
    exit(code.rawValue)
}
