#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

/// `mcexpert monitor`: hands over to the Prometheus exporter, `mcexpert-monitor`, with the same
/// arguments. The exporter is a binary of its own so that its HTTP server (SwiftNIO) never
/// weighs down this one, which people copy to broken hosts; this command only finds and runs it.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Serve a stream list's figures to Prometheus: runs mcexpert-monitor (a binary of its own) with these arguments.",
        discussion: """
            mcexpert-monitor is looked for beside this binary, then on PATH. Its own help: mcexpert monitor --help.

            Examples:
              mcexpert monitor --streams /etc/mcexpert/streams.yaml
              mcexpert monitor --streams streams.yaml --metrics-listen 10.0.0.7:9277
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "Arguments for mcexpert-monitor (e.g. --streams FILE --metrics-listen ADDR:PORT).")
    var arguments: [String] = []

    func run() throws {
        guard let path = Self.exporterPath() else {
            printError("""
                the Prometheus exporter is its own binary, mcexpert-monitor (so its HTTP server stays out of mcexpert), and it is not \
                beside \(Self.ownDirectory() ?? "this binary") nor on PATH; scripts/install.sh installs both, or build it with \
                swift build -c release --product mcexpert-monitor
                """)
            throw ExitCode(127)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        let reason = String(cString: strerror(errno))
        printError("cannot run \(path): \(reason)")
        throw ExitCode(126)
    }

    /// `mcexpert-monitor` beside the running binary (`/proc/self/exe`), else the first on PATH.
    static func exporterPath() -> String? {
        if let directory = ownDirectory(), isExecutable(directory + "/mcexpert-monitor") { return directory + "/mcexpert-monitor" }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = String(directory) + "/mcexpert-monitor"
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }

    /// The directory of the running executable, from `/proc/self/exe`.
    static func ownDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    private static func isExecutable(_ path: String) -> Bool {
        var info = stat()
        return access(path, X_OK) == 0 && stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
