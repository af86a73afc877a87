import MulticastExpert
import Testing

/// ChildProcess with real children: hung, chatty on stderr, and over the output cap.
@Suite("Child processes for external tools")
struct ChildProcessTests {
    @Test("a child that hangs is killed at the timeout and reported as timed out")
    func hungChild() throws {
        let start = monotonicNanoseconds()
        let output = try ChildProcess.run("/bin/sh", arguments: ["-c", "sleep 30"], timeout: .milliseconds(500))
        #expect(output.termination == .timedOut)
        #expect(monotonicNanoseconds() - start < 10_000_000_000, "hang check: returned long before the child's 30 s")
    }

    @Test("a grandchild holding the pipes open does not hold the caller past the timeout")
    func grandchildHoldsPipe() throws {
        let start = monotonicNanoseconds()
        let output = try ChildProcess.run("/bin/sh", arguments: ["-c", "sleep 30 & echo started; wait"], timeout: .milliseconds(500))
        #expect(output.termination == .timedOut)
        #expect(output.standardOutputText.hasPrefix("started"))
        #expect(monotonicNanoseconds() - start < 10_000_000_000)
    }

    @Test("a child writing 1 MB to stderr and a little to stdout finishes, and stdout is returned")
    func chattyStderr() throws {
        let output = try ChildProcess.run("/bin/sh", arguments: ["-c", "head -c 1048576 /dev/zero >&2; echo table-listing"], timeout: .seconds(20))
        #expect(output.termination == .exited(0))
        #expect(output.standardOutputText == "table-listing\n")
        #expect(output.standardError.count == 1_048_576)
    }

    @Test("output beyond the cap is cut and marked, and the child still finishes")
    func cappedOutput() throws {
        let output = try ChildProcess.run("/bin/sh", arguments: ["-c", "head -c 300000 /dev/zero | tr '\\\\0' a"], timeout: .seconds(20), outputLimit: 1000)
        #expect(output.termination == .exited(0))
        #expect(output.standardOutput.count == 1000)
        #expect(output.standardOutputTruncated)
        #expect(output.standardOutputText.hasSuffix(ChildProcess.truncationMarker + "\n"))
    }

    @Test("exit status and a missing program are reported as they are")
    func statusAndMissing() throws {
        #expect(try ChildProcess.run("/bin/sh", arguments: ["-c", "exit 3"], timeout: .seconds(10)).termination == .exited(3))
        #expect(throws: (any Error).self) { try ChildProcess.run("/nonexistent/tool", timeout: .seconds(1)) }
    }
}
