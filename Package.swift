// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "shenguan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "shenguan", targets: ["shenguan"]),
        .library(name: "WebApp", targets: ["WebApp"]),
        .library(name: "Approval", targets: ["Approval"]),
        .library(name: "Certificates", targets: ["Certificates"]),
        .library(name: "Supervision", targets: ["Supervision"]),
        .library(name: "CapabilityKit", targets: ["CapabilityKit"]),
        .library(name: "StagedPermit", targets: ["StagedPermit"]),
        .library(name: "NightWork", targets: ["NightWork"]),
        .library(name: "WasteDisposal", targets: ["WasteDisposal"]),
        .library(name: "ComprehensivePermit", targets: ["ComprehensivePermit"]),
        .library(name: "Kernel", targets: ["Kernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "Kernel",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Approval",
            dependencies: ["Kernel"],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CQRencode", path: "Sources/CQRencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CGD", path: "Sources/CGD", providers: [.apt(["libgd-dev"])]),
        .target(
            name: "Certificates",
            dependencies: [
                "Kernel",
                "CQRencode",
                "CGD",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Supervision",
            dependencies: [
                "Kernel",
                "Certificates",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // What every capability is built on: the seam's protocol and the HTTP context its routes share.
        .target(
            name: "CapabilityKit",
            dependencies: [
                "Kernel",
                "Approval",
                "Certificates",
                "Supervision",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StagedPermit",
            dependencies: ["Kernel", "Approval", "CapabilityKit"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ComprehensivePermit",
            dependencies: ["Kernel", "Approval", "CapabilityKit"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NightWork",
            dependencies: [
                "Kernel",
                "Approval",
                "Certificates",
                "Supervision",
                "CapabilityKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WasteDisposal",
            dependencies: [
                "Kernel",
                "Approval",
                "Certificates",
                "Supervision",
                "CapabilityKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WebApp",
            dependencies: [
                "Kernel",
                "Approval",
                "Certificates",
                "Supervision",
                "CapabilityKit",
                "StagedPermit",
                "ComprehensivePermit",
                "NightWork",
                "WasteDisposal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "shenguan",
            dependencies: [
                "WebApp",
                "Certificates",
                "Kernel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KernelTests",
            dependencies: ["Kernel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ApprovalTests",
            dependencies: ["Approval", "Kernel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertificatesTests",
            dependencies: [
                "Certificates",
                "CGD",
                "Kernel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StagedPermitTests",
            dependencies: ["StagedPermit", "CapabilityKit", "Approval", "Kernel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ComprehensivePermitTests",
            dependencies: ["ComprehensivePermit", "CapabilityKit", "Approval", "Kernel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NightWorkTests",
            dependencies: ["NightWork", "CapabilityKit", "Approval", "Kernel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SupervisionTests",
            dependencies: ["Supervision", "Kernel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AcceptanceTests",
            dependencies: [
                "WebApp",
                "WasteDisposal",
                "CGD",
                "Approval",
                "Kernel",
                "NightWork",
                "Supervision",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
