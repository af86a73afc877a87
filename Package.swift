// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "mcexpert",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MulticastExpert", targets: ["MulticastExpert"]),
        .executable(name: "mcexpert", targets: ["mcexpert"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
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
        .executableTarget(
            name: "mcexpert",
            dependencies: [
                "MulticastExpert",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared test fixture: network namespaces, veth pairs and helpers to run code inside them.
        .target(name: "CNetnsLabShims", path: "Tests/CNetnsLabShims"),
        .target(
            name: "NetnsLab",
            dependencies: ["MulticastExpert", "CMulticastShims", "CNetnsLabShims"],
            path: "Tests/NetnsLab"
        ),
        .testTarget(
            name: "MulticastExpertTests",
            dependencies: ["MulticastExpert", "NetnsLab"]
        ),
    ]
)
