/// What `mcexpert-monitor --version` and `mcexpert_build_info` say. The release is the same as
/// the `mcexpert` binary's (Sources/mcexpert/BuildInfo.swift): the two are built and released together.
enum MonitorBuildInfo {
    static let version = "0.3.0"

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
