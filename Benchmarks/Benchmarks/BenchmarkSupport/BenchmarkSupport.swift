import Foundation
import Kernel
import WebApp
import Synchronization

/// The main package's folder (Modules/, Templates/, openapi.yaml).
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `Modules/` of the main package, the shipped catalog.
public let catalogDirectory = repositoryRoot.appendingPathComponent("Modules")

/// A fixed instant: Monday 2026-11-23 10:00 in Asia/Shanghai, inside the shipped working-day calendar.
public let benchmarkDay = CivilDate("2026-11-23")!
public let fixedNow = Date(timeIntervalSince1970: Double(benchmarkDay.dayNumber) * 86_400 + 2 * 3600)

let scratchFolders = Mutex<[URL]>([])

/// A temporary folder, removed by `removeScratchFolders()` (each benchmark's teardown).
public func scratchFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shenguan-bench-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    scratchFolders.withLock { $0.append(folder) }
    return folder
}

public func removeScratchFolders() {
    for folder in scratchFolders.withLock({ folders in defer { folders = [] }; return folders }) {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A valid 统一社会信用代码 from its first 17 characters.
public func uscc(_ prefix: String) -> String {
    prefix + String(UnifiedSocialCreditCode.checkCharacter(for: prefix)!)
}

public func microseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds) * 1_000_000 + Int(duration.components.attoseconds / 1_000_000_000_000)
}

public struct BenchmarkFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The whole service's wiring (Sources/WebApp/AppServices.swift) on a fresh database in `folder`,
/// with a fixed clock and counted ids.
public func appServices(in folder: URL) async throws -> AppServices {
    let ids = Mutex(0)
    return try await AppServices(configuration: AppConfiguration(
        databasePath: folder.appendingPathComponent("bench.sqlite").path, catalogDirectory: catalogDirectory,
        openAPIFile: repositoryRoot.appendingPathComponent("openapi.yaml"), templatesDirectory: repositoryRoot.appendingPathComponent("Templates"),
        bcryptCost: 4,
        dependencies: Dependencies(now: { fixedNow }, makeID: { ids.withLock { $0 += 1; return "id-\($0)" } },
                                   randomBytes: { Array(repeating: 7, count: $0) })))
}
