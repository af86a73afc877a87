import MulticastExpert

/// What `mcexpert --version` says: the release and how this binary was built, so a bug report
/// from a broken host names exactly what ran there.
enum BuildInfo {
    /// The release (``MulticastExpertRelease``, shared with mcexpert-monitor).
    static let version = MulticastExpertRelease.version

    /// `debug` or `release`: SwiftPM defines DEBUG in debug builds.
    static var configuration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// The line `--version` prints.
    static var line: String { "mcexpert \(version) (\(configuration) build, Linux)" }
}
