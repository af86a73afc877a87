import MulticastExpert

/// What `mcexpert-monitor --version` and `mcexpert_build_info` say. The release is the `mcexpert`
/// binary's, from the one constant both read (``MulticastExpertRelease``): the two are built and
/// released together.
enum MonitorBuildInfo {
    static let version = MulticastExpertRelease.version

    /// `debug` or `release`: SwiftPM defines DEBUG in debug builds.
    static var configuration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    static var line: String { "mcexpert-monitor \(version) (\(configuration) build, Linux)" }
}
