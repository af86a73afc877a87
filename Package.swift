// swift-tools-version: 6.1
import Foundation
import PackageDescription

let package = Package(
    name: "mcexpert",
        products: [
        .library(name: "MulticastExpert", targets: ["MulticastExpert"]),
        .executable(name: "mcexpert", targets: ["mcexpert"]),
        .executable(name: "mcexpert-bench", targets: ["mcexpert-bench"]),
        .executable(name: "mcexpert-monitor", targets: ["mcexpert-monitor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // Latency and delay-variation percentiles of a stream (the TUI's detail pane, JSON).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // Property-based tests of the statistics (test targets only; not in the binary).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The Prometheus exporter (mcexpert-monitor only, never the mcexpert binary): HTTP/1 and the exposition.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Stream-list files (listen/tui --streams): YAML with a line and column on every node.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Thin C layer: what Swift cannot see through Glibc (recvmmsg, CMSG_*, pktinfo, ...).
        .target(name: "CMulticastShims"),
        .target(
            name: "MulticastExpert",
            dependencies: [
                "CMulticastShims",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Text for people and terminals, shared by the CLI, the TUI and the doctor without the
        // engine: the sanitiser, numbers, times, hexdumps.
        .target(name: "MulticastText", dependencies: ["MulticastExpert"]),
        // Traffic engine shared by the CLI and the TUI: receive loop, statistics, probes, paced sender.
        .target(
            name: "MulticastMonitor",
            dependencies: [
                "MulticastExpert",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // Host checks: why multicast does not arrive. Reads only; fixes are suggested as commands.
        .target(
            name: "MulticastDoctor",
            dependencies: ["MulticastText", "MulticastExpert", "MulticastMonitor"]
        ),
        // libncursesw (Debian: libncurses-dev), with a shim for its macros and globals.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", providers: [.apt(["libncurses-dev"])]),
        // The troubleshooting TUI: plain-value state and views, one Screen type owning ncurses.
        .target(
            name: "MulticastTUI",
            dependencies: ["MulticastText", "MulticastExpert", "MulticastMonitor", "MulticastDoctor", "MulticastStreamList", "CNcurses"]
        ),
        // Stream-list files (YAML): the only module that imports Yams and Foundation.
        .target(
            name: "MulticastStreamList",
            dependencies: ["MulticastExpert", "MulticastMonitor", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "mcexpert",
            dependencies: [
                "MulticastExpert",
                "MulticastText",
                "MulticastMonitor",
                "MulticastDoctor",
                "MulticastTUI",
                "MulticastStreamList",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Streams to Prometheus series: counters mirrored from the engine, reloads, labels. No HTTP.
        .target(
            name: "MulticastMetrics",
            dependencies: [
                "MulticastExpert", "MulticastMonitor", "MulticastDoctor",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The Prometheus exporter, its own binary so the HTTP stack stays out of `mcexpert`.
        .executableTarget(
            name: "mcexpert-monitor",
            dependencies: [
                "MulticastExpert", "MulticastMonitor", "MulticastDoctor", "MulticastMetrics", "MulticastStreamList", "MulticastText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Receive-side driver for Benchmarks/run.sh (not used by the tests).
        .executableTarget(
            name: "mcexpert-bench",
            dependencies: ["MulticastExpert", "MulticastMonitor"]
        ),
        // Shared test fixture: network namespaces, veth pairs and helpers to run code inside them.
        .target(name: "CNetnsLabShims", path: "Tests/CNetnsLabShims"),
        .target(
            name: "NetnsLab",
            dependencies: ["MulticastExpert", "MulticastMonitor", "CMulticastShims", "CNetnsLabShims"],
            path: "Tests/NetnsLab"
        ),
        .testTarget(
            name: "MulticastExpertTests",
            dependencies: ["MulticastExpert", "NetnsLab"]
        ),
        .testTarget(
            name: "MulticastTextTests",
            dependencies: ["MulticastText", "MulticastExpert"]
        ),
        .testTarget(
            name: "MulticastMonitorTests",
            dependencies: [
                "MulticastMonitor", "MulticastText", "MulticastExpert", "NetnsLab",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "MulticastDoctorTests",
            dependencies: ["MulticastDoctor", "MulticastExpert", "MulticastMonitor", "NetnsLab"]
        ),
        .testTarget(
            name: "MulticastTUITests",
            dependencies: ["MulticastTUI", "MulticastMonitor", "MulticastDoctor", "MulticastExpert", "NetnsLab"]
        ),
        .testTarget(
            name: "MulticastStreamListTests",
            dependencies: ["MulticastStreamList", "MulticastMonitor", "MulticastExpert"]
        ),
        .testTarget(
            name: "MulticastMetricsTests",
            dependencies: ["MulticastMetrics", "MulticastMonitor", "MulticastExpert", "NetnsLab", "mcexpert-monitor"]
        ),
        // End-to-end tests that run the built `mcexpert` binary (the dependency makes sure it is built).
        .testTarget(
            name: "MCExpertCLITests",
            dependencies: ["MulticastText", "mcexpert", "MulticastMonitor", "MulticastExpert", "NetnsLab"]
        ),
    ]
)

// Micro benchmarks of the per-packet path (ordo-one/benchmark), only when asked for, so the
// normal build and the tests never pull the benchmark tooling in:
//   MCEXPERT_BENCHMARKS=1 swift package benchmark
if ProcessInfo.processInfo.environment["MCEXPERT_BENCHMARKS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]))
    package.targets.append(
        .executableTarget(
            name: "PerPacket",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "MulticastExpert", "MulticastMonitor", "MulticastText", "MulticastTUI",
            ],
            path: "Benchmarks/PerPacket",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}

// libFuzzer targets (Tests/Fuzz, run by scripts/fuzz.sh), only when asked for, so the normal
// build and the tests never see them. Build one product at a time in its own scratch path:
//   MCEXPERT_FUZZ=1 swift build -c debug --sanitize=fuzzer --sanitize=address \
//       -Xswiftc -parse-as-library -Xswiftc -sanitize=fuzzer,address --product FuzzDatagramPath --scratch-path .build-fuzz
// (the -Xswiftc -sanitize=fuzzer,address matters: swiftc keeps only the last -sanitize= option, so
// without it a module gets either coverage or the address sanitizer; scripts/fuzz.sh does this)
if ProcessInfo.processInfo.environment["MCEXPERT_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzDatagramPath", ["MulticastExpert", "MulticastMonitor", "MulticastText"]),
        ("FuzzIGMPFrames", ["MulticastExpert", "MulticastDoctor"]),
        ("FuzzProcParsers", ["MulticastExpert", "MulticastDoctor"]),
        ("FuzzArguments", ["MulticastExpert", "MulticastMonitor", "MulticastText", "MulticastTUI"]),
        ("FuzzTerminalText", ["MulticastText", "MulticastTUI"]),
        ("FuzzPayloadDecoders", ["MulticastExpert", "MulticastMonitor"]),
        ("FuzzStreamList", ["MulticastExpert", "MulticastStreamList"]),
        ("FuzzMeshBeacons", ["MulticastExpert", "MulticastMonitor"]),
        ("FuzzMetrics", ["MulticastExpert", "MulticastMonitor", "MulticastMetrics", .product(name: "Prometheus", package: "swift-prometheus")]),
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "Tests/Fuzz/FuzzSupport"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(name: target.name, dependencies: target.dependencies + ["FuzzSupport"], path: "Tests/Fuzz/\(target.name)"))
    }
}
