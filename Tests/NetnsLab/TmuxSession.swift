import Foundation

/// A real terminal for TUI tests: a detached tmux session on a private server, driven with
/// send-keys and read with capture-pane.
public final class TmuxSession: @unchecked Sendable {
    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLock()

    public let server: String
    public let target = "main"

    /// Whether tmux is installed (CI installs it).
    public static let isAvailable = ExternalTool.isInstalled("tmux")

    /// Starts `command` in a new `width`x`height` session. The pane stays after the command exits,
    /// so its exit status can be read.
    public init(_ command: [String], width: Int, height: Int) throws {
        Self.lock.lock()
        Self.counter += 1
        server = "mcx-\(getpid())-\(Self.counter)"
        Self.lock.unlock()
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // The first client starts the tmux server, which inherits the client's descriptors: give
        // it no pipes to hold open, and read nothing back.
        let status = Shell.runDetached(["tmux", "-L", server, "new-session", "-d", "-s", target, "-x", String(width), "-y", String(height), "sleep 0.3; exec " + quoted])
        guard status == 0 else { throw LabError.commandFailed("tmux new-session", status: status, output: "") }
        try tmux(["set-option", "-t", target, "remain-on-exit", "on"])
        try tmux(["set-option", "-t", target, "window-size", "manual"])
    }

    deinit { _ = Shell.runDetached(["tmux", "-L", server, "kill-server"]) }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let result = try Shell.capture(["tmux", "-L", server] + arguments, timeout: 10)
        guard result.status == 0 else { throw LabError.commandFailed("tmux \(arguments.joined(separator: " "))", status: result.status, output: result.stderr) }
        return result.stdout
    }

    /// Sends named keys (`Enter`, `Tab`, `Escape`, `Down`, `q`).
    public func press(_ keys: String...) throws { try tmux(["send-keys", "-t", target] + keys) }

    /// Types text literally.
    public func type(_ text: String) throws { try tmux(["send-keys", "-t", target, "-l", text]) }

    /// The visible screen as text.
    public func screen() -> String {
        return (try? tmux(["capture-pane", "-p", "-t", target])) ?? ""
    }

    /// Waits up to `seconds` for the screen to satisfy `condition`; returns the last screen seen.
    @discardableResult
    public func waitFor(seconds: Double, _ condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var text = screen()
        while !condition(text) && Date() < deadline {
            usleep(100_000)
            text = screen()
        }
        return text
    }

    /// Resizes the window, as a user dragging the terminal would (the program gets SIGWINCH).
    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
    }

    /// A pane format variable, e.g. `pane_dead`, `pane_dead_status`, `pane_title`.
    public func value(_ name: String) -> String {
        ((try? tmux(["display-message", "-p", "-t", target, "#{\(name)}"])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
