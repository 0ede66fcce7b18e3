// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "transcript-fsck",
    products: [
        .executable(name: "transcript-fsck", targets: ["transcript-fsck"]),
        .library(name: "TranscriptFsck", targets: ["TranscriptFsck"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // 1.11.0: LogHandler.log(event:), the one entry point OneLineLogHandler implements.
        .package(url: "https://github.com/apple/swift-log", from: "1.11.0"),
    ],
    targets: [
        // The C boundary: one module map per system library.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", providers: [.apt(["libzstd-dev"])]),
        // The string scan's hot loop, 16 or 32 bytes at a time (SSE2, AVX2 where the CPU has it, portable elsewhere).
        .target(name: "CScan", path: "Sources/CScan", cSettings: [.unsafeFlags(["-O3"])]),

        // All the logic: reading -> comparing -> findings -> reporting | repairing.
        .target(name: "TranscriptFsck", dependencies: ["CSQLite", "CZlib", "CZstd", "CScan"]),

        // The thin command-line front.
        .executableTarget(
            name: "transcript-fsck",
            dependencies: [
                "TranscriptFsck",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Deterministic stores for the demo, the tests and the benchmark.
        .target(name: "StoreFixtures", dependencies: ["TranscriptFsck"]),
        .executableTarget(
            name: "fsck-fixtures",
            dependencies: [
                "StoreFixtures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "TranscriptFsckTests", dependencies: ["TranscriptFsck", "StoreFixtures", "CZstd"]),
    ]
)
