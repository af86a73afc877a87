#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Synchronization
import MulticastExpert
import MulticastMonitor
import MulticastText

/// Runs a command body and turns every failure into one line on stderr and an exit status,
/// never a stack trace.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CLIError {
        printError(error.description)
        throw ExitCode(error.exitCode)
    } catch let error as MulticastError {
        printError(error.description)
        throw ExitCode(2)
    } catch {
        printError("\(error)")
        throw ExitCode(2)
    }
}

/// Writes `mcexpert: message` to stderr as one line: a message quotes what the user typed or
/// what the host named (interfaces, files), so it goes through ``TerminalText`` whole.
func printError(_ message: String) {
    writeAll(2, Array("mcexpert: \(TerminalText.sanitize(message))\n".utf8))
}

/// Writes one line to stderr without a prefix, sanitised.
func printToStderr(_ text: String) {
    writeAll(2, Array((TerminalText.sanitize(text) + "\n").utf8))
}

/// Writes one line to stdout, sanitised: for lines that carry names from the host.
func printLine(_ text: String) {
    writeAll(1, Array((TerminalText.sanitize(text) + "\n").utf8))
}

/// Parses interface options into specifiers (always succeeds: resolution happens against the table).
func interfaceSpecifiers(_ texts: [String]) -> [InterfaceSpecifier] {
    texts.map { InterfaceSpecifier($0) }
}

/// Parses `--source` values: unicast addresses.
func sourceAddresses(_ texts: [String]) throws(CLIError) -> [IPAddress] {
    do {
        return try GroupSpec.sources(texts)
    } catch {
        throw CLIError(error.description)
    }
}

/// Formats a count of nanoseconds as milliseconds with three decimals.
func milliseconds(_ nanoseconds: Double) -> String {
    let value = (nanoseconds / 1_000).rounded() / 1_000
    return fixed(value, 3) + " ms"
}

/// A number with a fixed count of decimals.
func fixed(_ value: Double, _ decimals: Int) -> String { NumberFormat.fixed(value, decimals) }

/// Left-aligns text in a column.
func column(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

/// Writes every byte to a file descriptor (1: stdout, 2: stderr), retrying short writes.
///
/// A reader that stops reading (`mcexpert listen | less` left paused) must not stop Ctrl-C from
/// ending the command: once a stop is requested, a chunk waits at most a second for the
/// descriptor to take it; if it does not, that descriptor is given up on for the rest of the
/// run, so the summary and the exit still happen promptly however much was queued.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    guard !StalledOutput.isAbandoned(fd) else { return }
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let chunk = min(buffer.count - offset, 4096)  // PIPE_BUF: fits once poll says writable
            if StopSignal.isRequested, !StreamIO.waitWritable(fd, timeoutMilliseconds: 1000) {
                StalledOutput.abandon(fd)
                return
            }
            switch StreamIO.write(fd, UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + chunk)])) {
            case .transferred(let written): offset += written
            case .interrupted: continue
            case .failed: return
            }
        }
    }
}

/// stdout and stderr once a write to them has timed out after Ctrl-C: nothing more is tried.
enum StalledOutput {
    private static let abandoned = Atomic<UInt8>(0)  // bit 0: stdout, bit 1: stderr

    static func abandon(_ fd: Int32) {
        guard fd == 1 || fd == 2 else { return }
        abandoned.bitwiseOr(UInt8(fd), ordering: .relaxed)
    }

    static func isAbandoned(_ fd: Int32) -> Bool {
        (fd == 1 || fd == 2) && abandoned.load(ordering: .relaxed) & UInt8(fd) != 0
    }
}

/// Bounds every number the command line takes, so none reaches a conversion that traps
/// (`Int64(1e300 * 1e9)`) or a loop that never ends (`--rate 1e-10`): one line, exit 2.
enum NumberBounds {
    /// The longest run a `--duration` may ask for: one year.
    static let seconds: ClosedRange<Double> = 0.001...31_536_000
    /// Datagrams per second a sender or the doctor's buffer check accepts.
    static let rate: ClosedRange<Double> = 0.001...100_000_000
    /// Socket receive buffer, bytes (the kernel keeps it in an int, and doubles it).
    static let receiveBuffer: ClosedRange<Int> = 1...1_073_741_824

    /// Throws the parser's error when `value` is not finite or outside `range`.
    static func check(_ value: Double, _ option: String, in range: ClosedRange<Double>, unit: String) throws {
        guard value.isFinite else { throw ValidationError("\(option) \(value) is not a number; give \(unit) from \(text(range.lowerBound)) to \(text(range.upperBound))") }
        guard range.contains(value) else { throw ValidationError("\(option) \(text(value)) is out of range; give \(unit) from \(text(range.lowerBound)) to \(text(range.upperBound))") }
    }

    /// Throws the parser's error when `value` is outside `range`.
    static func check(_ value: Int, _ option: String, in range: ClosedRange<Int>, unit: String) throws {
        guard range.contains(value) else { throw ValidationError("\(option) \(value) is out of range; give \(unit) from \(range.lowerBound) to \(range.upperBound)") }
    }

    /// A number as people write it: `0.001`, `5`, `1e+300`.
    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return abs(value) >= 1e15 || abs(value) < 1e-3 ? "\(value)" : NumberFormat.fixed(value, 3)
    }
}

/// Seconds from the command line as nanoseconds, saturating rather than trapping.
func nanoseconds(seconds: Double) -> Int64 { Int64(saturating: seconds * 1e9) }
