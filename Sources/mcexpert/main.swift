#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MulticastExpert
import MulticastMonitor
import MulticastText

// One socket per group: a receiver of thousands of groups needs more than the default soft
// limit of 1024 descriptors, and the hard limit usually allows it.
DescriptorLimit.raiseSoftToHard()

// The parser's own messages quote what was typed (`Unexpected argument '...'`), and a typed
// argument can hold escape sequences: print them through the sanitiser, line by line so the
// usage text keeps its shape, instead of letting the parser write them raw.
do {
    var command = try MCExpert.parseAsRoot()
    try command.run()
} catch {
    // Bad input exits 2 whether the parser or a command found it (the parser says 64, EX_USAGE).
    let parserCode = MCExpert.exitCode(for: error)
    let code = parserCode == .validationFailure ? ExitCode(2) : parserCode
    let message = MCExpert.fullMessage(for: error)
    if !message.isEmpty {
        let text = message.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.sanitize(String($0)) }.joined(separator: "\n")
        writeAll(code == .success ? 1 : 2, Array((text + "\n").utf8))
    }
    exit(code.rawValue)
}
