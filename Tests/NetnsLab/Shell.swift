import CNetnsLabShims
import Foundation

/// Runs commands for the lab: `ip`, `sysctl`, tcpdump, Python peers, tmux.
///
/// Processes are started with `posix_spawn` and reaped with `waitpid` directly (Foundation's
/// `Process` was seen to miss a child's exit when tests run in parallel and spawn daemons).
public enum Shell {
    /// Runs `/bin/sh -c command` and returns its standard output; throws with stderr when it fails.
    @discardableResult
    public static func run(_ command: String) throws -> String {
        let result = try capture(["/bin/sh", "-c", command], timeout: 120)
        guard result.status == 0 else {
            throw LabError.commandFailed(command, status: result.status, output: result.stdout + result.stderr)
        }
        return result.stdout
    }

    /// Runs a program with arguments (no shell), feeding `input` to stdin, and collects its output.
    /// Kills it after `timeout` seconds.
    public static func capture(_ arguments: [String], input: String? = nil, timeout: Double = 30) throws -> CommandResult {
        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        guard netnslab_pipe_cloexec(&stdinPipe) == 0, netnslab_pipe_cloexec(&stdoutPipe) == 0, netnslab_pipe_cloexec(&stderrPipe) == 0 else {
            throw LabError.commandFailed(arguments.joined(separator: " "), status: -1, output: "pipe failed")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        let pid: pid_t
        do {
            pid = try spawn(arguments, actions: &actions)
        } catch {
            for fd in stdinPipe + stdoutPipe + stderrPipe { close(fd) }
            throw error
        }
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        if let input {
            var bytes = Array(input.utf8)
            _ = bytes.withUnsafeMutableBytes { write(stdinPipe[1], $0.baseAddress, $0.count) }
        }
        close(stdinPipe[1])
        var out: [UInt8] = [], err: [UInt8] = []
        var open = [stdoutPipe[0], stderrPipe[0]]
        let deadline = Date().addingTimeInterval(timeout)
        var killed = false
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !open.isEmpty {
            if Date() > deadline && !killed {
                kill(pid, SIGKILL)
                killed = true
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 200)
            for entry in fds where entry.revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if entry.fd == stdoutPipe[0] { out += buffer[0..<n] } else { err += buffer[0..<n] }
                } else if n == 0 || errno != EINTR {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
            if killed && Date() > deadline.addingTimeInterval(2) { for fd in open { close(fd) }; open = [] }
        }
        let status = reap(pid)
        return CommandResult(status: status.code, stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: err, as: UTF8.self), wasSignalled: status.signalled)
    }

    /// Runs a program with stdin, stdout and stderr on /dev/null and waits for it. For programs
    /// that leave daemons behind (a tmux server), which must not inherit any pipe of ours.
    public static func runDetached(_ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in 0...2 { posix_spawn_file_actions_addopen(&actions, Int32(fd), "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        guard let pid = try? spawn(arguments, actions: &actions) else { return -1 }
        return reap(pid).code
    }

    static func spawn(_ arguments: [String], actions: inout posix_spawn_file_actions_t) throws -> pid_t {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Children start with no blocked signals and default dispositions, whatever this thread has.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGCHLD, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else { throw LabError.commandFailed(arguments.joined(separator: " "), status: result, output: "cannot start: errno \(result)") }
        return pid
    }

    static func reap(_ pid: pid_t) -> (code: Int32, signalled: Bool) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? ((status >> 8) & 0xff, false) : (128 + signal, true)
    }
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

/// A command running in the background whose output (stdout and stderr) goes to a file until it is stopped.
public final class BackgroundProcess: @unchecked Sendable {
    private let pid: pid_t
    private let outputPath: String
    private var exitStatus: Int32?
    private let lock = NSLock()

    public init(_ arguments: [String]) throws {
        outputPath = NSTemporaryDirectory() + "mcx-\(UUID().uuidString).out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        pid = try Shell.spawn(arguments, actions: &actions)
    }

    /// Everything printed so far.
    public var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
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
        repeat {
            if let status = poll() { return status }
            usleep(20_000)
        } while Date() < deadline
        return poll()
    }

    private func poll() -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        let signal = status & 0x7f
        exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return exitStatus
    }

    /// Stops the process (SIGTERM, then SIGKILL) and returns all it printed.
    @discardableResult
    public func stop() -> String {
        if poll() == nil {
            kill(pid, SIGTERM)
            if waitForExit(seconds: 2) == nil {
                kill(pid, SIGKILL)
                _ = waitForExit(seconds: 5)
            }
        }
        let text = output
        unlink(outputPath)
        return text
    }

    deinit { stop() }
}
