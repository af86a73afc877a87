#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import MulticastExpert
import MulticastMonitor

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

/// Writes `mcexpert: message` to stderr.
func printError(_ message: String) {
    writeAll(2, Array("mcexpert: \(message)\n".utf8))
}

/// Writes text to stderr without a prefix.
func printToStderr(_ text: String) {
    writeAll(2, Array((text + "\n").utf8))
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
func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
