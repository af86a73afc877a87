import Foundation

/// The programs some tests drive as real peers or witnesses (tcpdump, socat, nft, tmux). A test
/// that needs one skips with the reason when it is missing, unless MCEXPERT_REQUIRE_NETNS=1
/// makes every test mandatory (CI installs them all).
public enum ExternalTool {
    /// Whether `name` is installed where Debian puts it.
    public static func isInstalled(_ name: String) -> Bool {
        ["/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + name) }
    }

    /// Whether a test that needs `name` should run: it is there, or it must run anyway.
    public static func shouldRun(_ name: String) -> Bool { isInstalled(name) || Lab.isRequired }
}
