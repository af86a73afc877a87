/// The release of mcexpert: one number for the library and for both binaries (`mcexpert` and
/// `mcexpert-monitor`, built and released together), kept here once so a bump cannot miss one
/// of them. Bumped when a version is tagged.
public enum MulticastExpertRelease {
    /// The release, e.g. `0.3.0`.
    public static let version = "0.3.0"
}
