#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// Runs a short-lived external program (the doctor's `nft list ruleset`, `iptables-save`) and
/// collects what it prints, bounded in time and in memory.
///
/// Foundation's `Process` with a piped but unread stderr deadlocks as soon as the child fills
/// the pipe (64 KiB), and has no timeout. Here both pipes are drained together with `poll(2)`,
/// output beyond a cap is read and thrown away (so the child never blocks on a full pipe), and
/// when the timeout passes the child's whole process group is killed with SIGKILL and reaped,
/// so a hung tool (or a grandchild holding the pipe open) cannot hold the caller.
package enum ChildProcess {
    /// How the child ended.
    package enum Termination: Sendable, Hashable {
        /// It exited by itself with this status.
        case exited(Int32)
        /// A signal it did not handle ended it (not ours).
        case signalled(Int32)
        /// It was still running at the timeout and was killed with SIGKILL.
        case timedOut
    }

    /// What the child printed and how it ended.
    package struct Output: Sendable, Hashable {
        /// How the child ended: its exit status, the signal that killed it, or the timeout.
        package var termination: Termination
        /// Standard output, at most `outputLimit` bytes.
        package var standardOutput: [UInt8]
        /// Standard error, at most `outputLimit` bytes.
        package var standardError: [UInt8]
        /// The child wrote more than the limit to stdout; the rest was read and discarded.
        package var standardOutputTruncated: Bool
        /// The child wrote more than the limit to stderr; the rest was read and discarded.
        package var standardErrorTruncated: Bool

        /// Exited by itself with status 0.
        package var succeeded: Bool { termination == .exited(0) }

        /// Standard output as text (invalid UTF-8 becomes U+FFFD), with ``ChildProcess/truncationMarker``
        /// appended on a line of its own when it was cut.
        package var standardOutputText: String {
            String(decoding: standardOutput, as: UTF8.self) + (standardOutputTruncated ? "\n" + ChildProcess.truncationMarker + "\n" : "")
        }
    }

    /// The line appended to text output that was cut at the limit.
    package static let truncationMarker = "[mcexpert: output cut at the size limit]"

    /// The directories ``executable(named:in:)`` looks in by default: the system's, not `PATH`, so
    /// a tool planted in a user-writable directory is never run.
    package static let systemDirectories = ["/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"]

    /// The full path of the first executable file called `name` in `directories` (each ending in
    /// `/`), or nil when none has one. The corresponding C call is `access(2)` with `X_OK`.
    package static func executable(named name: String, in directories: [String] = systemDirectories) -> String? {
        directories.map { $0 + name }.first { access($0, X_OK) == 0 }
    }

    /// Runs the program at `path` (no shell, no PATH search) with `arguments`, stdin on /dev/null,
    /// and waits for it to end or for `timeout` to pass.
    ///
    /// Blocks the calling thread for at most about `timeout` (plus reaping a killed child).
    /// - Parameters:
    ///   - timeout: after this the child's process group is killed with SIGKILL; the result is `.timedOut`
    ///     with what it had printed so far.
    ///   - outputLimit: bytes kept per stream (default 4 MiB); more is drained and discarded.
    /// - Throws: `Errno` when the pipes cannot be made or the program cannot be started (`ENOENT`,
    ///   `EACCES`). The corresponding C calls are `pipe(2)`, `posix_spawn(3)`, `poll(2)`, `read(2)`,
    ///   `kill(2)` and `waitpid(2)`.
    package static func run(_ path: String, arguments: [String] = [], timeout: Duration, outputLimit: Int = 4 << 20) throws(Errno) -> Output {
        let deadline = monotonicNanoseconds().addingSaturating(max(timeout.saturatingNanoseconds, 0))
        let limit = max(outputLimit, 0)
        let stdoutPipe = try makePipe()
        let stderrPipe: (read: Int32, write: Int32)
        do { stderrPipe = try makePipe() } catch {
            closeDescriptors([stdoutPipe.read, stdoutPipe.write])
            throw error
        }
        let pid: pid_t
        do {
            pid = try spawn(path, arguments: arguments, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        } catch {
            closeDescriptors([stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write])
            throw error
        }
        closeDescriptors([stdoutPipe.write, stderrPipe.write])
        defer { closeDescriptors([stdoutPipe.read, stderrPipe.read]) }

        var streams = [Stream(fd: stdoutPipe.read), Stream(fd: stderrPipe.read)]
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var exitStatus: Int32?
        while true {
            let left = deadline.subtractingSaturating(monotonicNanoseconds())
            if left <= 0 { break }
            let open = streams.indices.filter { streams[$0].isOpen }
            if open.isEmpty {
                // Both pipes are closed; the child may still run (it closed them itself).
                if let status = try? reap(pid, blocking: false) {
                    exitStatus = status
                    break
                }
                _ = poll(nil, 0, Int32(clamping: min(left / 1_000_000 + 1, 20)))
                continue
            }
            var set = open.map { pollfd(fd: streams[$0].fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&set, nfds_t(set.count), Int32(clamping: min(left / 1_000_000 + 1, 200)))
            if ready < 0 && errno != EINTR { break }
            for (slot, index) in open.enumerated() where set[slot].revents != 0 {
                streams[index].drain(into: &chunk, limit: limit)
            }
        }
        let termination: Termination
        if let exitStatus {
            termination = decode(exitStatus)
        } else {
            // Timed out (or poll failed): kill the child's whole group, then reap it.
            _ = kill(-pid, SIGKILL)
            _ = kill(pid, SIGKILL)
            let status = (try? reap(pid, blocking: true)) ?? 0
            termination = exitedBeforeKill(status) ?? .timedOut
        }
        return Output(termination: termination, standardOutput: streams[0].bytes, standardError: streams[1].bytes,
                      standardOutputTruncated: streams[0].truncated, standardErrorTruncated: streams[1].truncated)
    }

    /// One pipe being read: what was kept, and whether more arrived than the limit.
    private struct Stream {
        let fd: Int32
        var bytes: [UInt8] = []
        var truncated = false
        var isOpen = true

        init(fd: Int32) { self.fd = fd }

        /// Reads what is waiting (the pipe is non-blocking) until it would block or ends, at most
        /// 64 reads per call, so a child that writes as fast as it is read still meets the deadline.
        mutating func drain(into chunk: inout [UInt8], limit: Int) {
            var reads = 0
            while isOpen && reads < 64 {
                reads += 1
                let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let room = max(limit - bytes.count, 0)
                    if count > room { truncated = true }
                    bytes.append(contentsOf: chunk[0..<min(count, room)])
                } else if count == 0 {
                    isOpen = false
                } else if errno == EINTR {
                    continue
                } else {
                    if errno != EAGAIN && errno != EWOULDBLOCK { isOpen = false }
                    return
                }
            }
        }
    }

    /// A close-on-exec pipe whose read end does not block. The corresponding C calls are `pipe(2)`
    /// and `fcntl(2)` (Glibc's `pipe2` does not import; a child another thread spawns in between
    /// may inherit the write end, which only delays EOF: the deadline still holds).
    private static func makePipe() throws(Errno) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw lastErrno() }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        return (fds[0], fds[1])
    }

    /// Starts the child in its own process group with stdout and stderr on the pipes and stdin on
    /// /dev/null, default signal dispositions and an empty signal mask. The corresponding C call is `posix_spawn(3)`.
    private static func spawn(_ path: String, arguments: [String], stdout: Int32, stderr: Int32) throws(Errno) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGCHLD, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw Errno(rawValue: result) }
        return pid
    }

    /// Collects the child's exit status; nil (thrown `.wouldBlock`) when not blocking and it still
    /// runs. EINTR is retried. The corresponding C call is `waitpid(2)`.
    private static func reap(_ pid: pid_t, blocking: Bool) throws(Errno) -> Int32 {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid { return status }
            if result == 0 { throw Errno.wouldBlock }
            let code = lastErrno()
            if code != .interrupted { throw code }
        }
    }

    private static func decode(_ status: Int32) -> Termination {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    /// The child's own ending when it exited between the last look and the kill; nil when our SIGKILL ended it.
    private static func exitedBeforeKill(_ status: Int32) -> Termination? {
        if case .signalled(SIGKILL) = decode(status) { return nil }
        return decode(status)
    }

    private static func closeDescriptors(_ fds: [Int32]) {
        for fd in fds where fd >= 0 { _ = Glibc.close(fd) }
    }
}
