import Foundation

/// Runs commands for the lab: `ip`, `sysctl`, tcpdump, Python peers.
public enum Shell {
    /// Runs `/bin/sh -c command` and returns its standard output; throws with stderr when it fails.
    @discardableResult
    public static func run(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw LabError.commandFailed(command, status: process.terminationStatus, output: text + String(decoding: errors, as: UTF8.self))
        }
        return text
    }
}

/// A command running in the background whose output is collected until it is stopped.
public final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()
    private let outputFile: URL

    init(_ arguments: [String]) throws {
        outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("mcx-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputFile)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Everything printed so far (stdout and stderr together).
    public var output: String {
        (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    /// Waits up to `seconds` for `text` to appear in the output; true when it did.
    public func waitForOutput(containing text: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if output.contains(text) { return true }
            usleep(20_000)
        }
        return output.contains(text)
    }

    /// Waits up to `seconds` for the process to exit by itself; returns its status, or nil if it is still running.
    public func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Stops the process (SIGTERM, then SIGKILL) and returns all it printed.
    @discardableResult
    public func stop() -> String {
        if process.isRunning {
            process.terminate()
            if waitForExit(seconds: 2) == nil { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let text = output
        try? FileManager.default.removeItem(at: outputFile)
        return text
    }

    deinit { stop() }
}

/// What a finished command printed and how it exited.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// True when the process was killed by a signal (a crash, or the timeout).
    public var wasSignalled: Bool

    public init(status: Int32, stdout: String, stderr: String, wasSignalled: Bool) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.wasSignalled = wasSignalled
    }
}

extension Shell {
    /// Runs a program with arguments (no shell), feeding `input` to stdin, and collects its output.
    /// Kills it after `timeout` seconds.
    public static func capture(_ arguments: [String], input: String? = nil, timeout: Double = 30) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try? inPipe.fileHandleForWriting.close()
        let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                             stderr: String(decoding: stderrData, as: UTF8.self), wasSignalled: process.terminationReason == .uncaughtSignal)
    }
}
