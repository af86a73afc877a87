import Foundation

/// The built `mcexpert` executable, for end-to-end tests: `$MCEXPERT_BINARY`, else the one
/// next to the test bundle in the build folder.
public enum MCExpertBinary {
    public static let path: String = {
        if let given = ProcessInfo.processInfo.environment["MCEXPERT_BINARY"] { return given }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("mcexpert").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/mcexpert").path
    }()
}
