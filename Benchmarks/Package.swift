// swift-tools-version:6.2
// Benchmarks for shenguan, kept in their own package so that the main package's build and
// Package.resolved never see ordo-one/benchmark or its malloc interposer. See README.md.
import PackageDescription

let package = Package(
    name: "shenguan-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "shenguan", path: ".."),
        // Traits listed explicitly: MallocInterposer (malloc counts, no system library needed on
        // Swift 6.3+) but not the default RuntimeInterposer, whose package is not mirrored here.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // Same range as the main package; CertificateIssuance times bare Ed25519 signing and checking.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // SupervisionLoop's in-process webhook receiver.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "WebApp", package: "shenguan"),
                .product(name: "Approval", package: "shenguan"),
                .product(name: "Kernel", package: "shenguan"),
                .product(name: "WasteDisposal", package: "shenguan"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/BenchmarkSupport"
        ),
        .executableTarget(
            name: "SupervisionLoop",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WebApp", package: "shenguan"),
                .product(name: "Approval", package: "shenguan"),
                .product(name: "Kernel", package: "shenguan"),
                .product(name: "Supervision", package: "shenguan"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Benchmarks/SupervisionLoop",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "BundleNotice",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Approval", package: "shenguan"),
                .product(name: "Kernel", package: "shenguan"),
            ],
            path: "Benchmarks/BundleNotice",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "ApprovalLifecycle",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Approval", package: "shenguan"),
                .product(name: "Kernel", package: "shenguan"),
                .product(name: "Certificates", package: "shenguan"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/ApprovalLifecycle",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        // Named NightWorkBenchmarks, not NightWork: the main package already has a NightWork target,
        // and target names must be unique across the package graph (module aliases do not help
        // here). The folder is Benchmarks/NightWork, as package-benchmark only needs the parent
        // folder to be Benchmarks/.
        .executableTarget(
            name: "NightWorkBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WebApp", package: "shenguan"),
                .product(name: "Approval", package: "shenguan"),
                .product(name: "Kernel", package: "shenguan"),
                .product(name: "Certificates", package: "shenguan"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/NightWork",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "CertificateIssuance",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Kernel", package: "shenguan"),
                .product(name: "Certificates", package: "shenguan"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/CertificateIssuance",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        // Not a benchmark (its folder is not under Benchmarks/, so the plugin leaves it alone): builds
        // the databases Scripts/load-scans.sh and Scripts/load-verify.sh (its cold walk) serve. See README.md,
        // "HTTP: Scripts/load-scans.sh" and "HTTP: Scripts/load-verify.sh".
        .executableTarget(
            name: "ScanLoadSeed",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "WebApp", package: "shenguan"),
                .product(name: "Approval", package: "shenguan"),
                .product(name: "Kernel", package: "shenguan"),
                .product(name: "Certificates", package: "shenguan"),
                .product(name: "Supervision", package: "shenguan"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tools/ScanLoadSeed"
        ),
        // Named WasteDisposalBenchmarks for the same reason as NightWorkBenchmarks (the main package
        // has a WasteDisposal target); the folder is Benchmarks/WasteDisposal.
        .executableTarget(
            name: "WasteDisposalBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WebApp", package: "shenguan"),
                .product(name: "Approval", package: "shenguan"),
                .product(name: "Kernel", package: "shenguan"),
                .product(name: "Certificates", package: "shenguan"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/WasteDisposal",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
