import Approval
import Benchmark
import Certificates
import Foundation
import GRDB
import Kernel
import Synchronization

// One iteration of "ApprovalLifecycle" is one application taken from upload to issuance on the
// SQLite store: 5 material uploads through FileStore, submit, accept (nothing deferred: the
// deferrable tree-protection plan is supplied at submission), two parallel reviews, issue (with
// the certificate subscriber numbering the 综合许可证 in the issuing transaction).
//
// That is 10 write transactions (5 uploads + submit + accept + 2 reviews + issue) plus the reads
// the service does on the way (project, 5 file checks, 2 application loads before review).
// "SQLiteBaseline" does the same 10 write transactions on the same kind of database (AppDatabase:
// WAL DatabasePool, same configuration), each inserting one JSON row as large as the issued
// application's document, and nothing else. Quote the lifecycle as a ratio to it, preferably the
// per-iteration ratio of "LifecycleVsBaseline", which alternates the two (see README.md).

/// Write transactions in one lifecycle, and so in one baseline iteration.
let writesPerLifecycle = 10

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        // cpuTotal is left out: on Linux it ticks in 10 ms steps, coarser than one iteration.
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 10,
        maxDuration: .seconds(10),
        maxIterations: 3_000
    )
    // Each fixture's temporary folder (database and blobs) is removed after its benchmark.
    Benchmark.teardown = { removeScratchFolders() }

    Benchmark("ApprovalLifecycle") { benchmark, fixture in
        do {
            try await fixture.lifecycle(number: fixture.nextNumber())
        } catch {
            benchmark.error("lifecycle failed: \(error)")
        }
    } setup: {
        try await LifecycleFixture()
    }

    Benchmark("SQLiteBaseline") { benchmark, fixture in
        do {
            try await fixture.writes()
        } catch {
            benchmark.error("baseline failed: \(error)")
        }
    } setup: {
        try await BaselineFixture(rowBytes: LifecycleFixture.issuedDocumentBytes())
    }

    // Both, alternated within each iteration on their own fresh databases, so that both halves of
    // every sample see the same machine: the per-iteration ratio is steadier than the ratio of the
    // two benchmarks above when the machine's load changes during the run.
    Benchmark("LifecycleVsBaseline", configuration: .init(
        metrics: [.wallClock, Interleaved.lifecycle, Interleaved.baseline, Interleaved.ratio],
        maxDuration: .seconds(10)
    )) { (benchmark: Benchmark, fixtures: InterleavedFixtures) async in
        do {
            let clock = ContinuousClock()
            let start = clock.now
            try await fixtures.baseline.writes()
            let middle = clock.now
            try await fixtures.lifecycle.lifecycle(number: fixtures.lifecycle.nextNumber())
            let end = clock.now
            let baseline = Interleaved.microseconds(middle - start), lifecycle = Interleaved.microseconds(end - middle)
            benchmark.measurement(Interleaved.baseline, baseline)
            benchmark.measurement(Interleaved.lifecycle, lifecycle)
            benchmark.measurement(Interleaved.ratio, lifecycle * 100 / max(baseline, 1))
        } catch {
            benchmark.error("interleaved run failed: \(error)")
        }
    } setup: {
        InterleavedFixtures(lifecycle: try await LifecycleFixture(),
                            baseline: try await BaselineFixture(rowBytes: LifecycleFixture.issuedDocumentBytes()))
    }
}

struct InterleavedFixtures: Sendable {
    let lifecycle: LifecycleFixture
    let baseline: BaselineFixture
}

/// The custom metrics of "LifecycleVsBaseline".
enum Interleaved {
    static let lifecycle = BenchmarkMetric.custom("Lifecycle (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    static let baseline = BenchmarkMetric.custom("Baseline writes (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Lifecycle time over baseline time, ×100: 800 means one lifecycle costs as much as 8 baselines.
    static let ratio = BenchmarkMetric.custom("Lifecycle / baseline (x100)", polarity: .prefersSmaller, useScalingFactor: false)

    static func microseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1_000_000 + Int(duration.components.attoseconds / 1_000_000_000_000)
    }
}

/// A fixed instant: Monday 2026-11-23 10:00 in Asia/Shanghai, inside the shipped working-day calendar.
let fixedNow = Date(timeIntervalSince1970: Double(CivilDate("2026-11-23")!.dayNumber) * 86_400 + 2 * 3600)

/// `Modules/` of the main package, the shipped catalog.
let catalogDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Modules")

let scratchFolders = Mutex<[URL]>([])

func scratchFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shenguan-bench-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    scratchFolders.withLock { $0.append(folder) }
    return folder
}

func removeScratchFolders() {
    for folder in scratchFolders.withLock({ folders in defer { folders = [] }; return folders }) {
        try? FileManager.default.removeItem(at: folder)
    }
}

func uscc(_ prefix: String) -> String {
    prefix + String(UnifiedSocialCreditCode.checkCharacter(for: prefix)!)
}

/// The services wired as Sources/WebApp/AppServices.swift wires them, on a fresh database, with
/// one project registered; built once, outside the measurement.
final class LifecycleFixture: Sendable {
    let database: AppDatabase
    let service: ApprovalService
    let files: FileStore
    let project: Project
    private let counter = Mutex(0)

    static let firm = uscc("91420104MA4KX1234")
    static let contractor = uscc("91420100MA4L00001")
    let applicant = Actor(id: "u-a", username: "chongren", name: "张伟", role: .applicant, firm: firm)
    let clerk = Actor(id: "u-c", username: "clerk", name: "王敏", role: .clerk)
    let housingReviewer = Actor(id: "u-h", username: "reviewer-housing", name: "陈刚", role: .reviewer, department: "housing")
    let landscapingReviewer = Actor(id: "u-l", username: "reviewer-landscaping", name: "赵丽", role: .reviewer, department: "landscaping")
    let issuer = Actor(id: "u-i", username: "issuer", name: "周平", role: .issuer)

    static let form: [String: FormValue] = [
        "contactName": .string("张伟"), "contactPhone": .string("13871234567"), "contractorUscc": .string(contractor),
        "contractPriceYuan": .number(368_000_000), "totalAreaM2": .number(86_500.5), "structureType": .string("框架-剪力墙"),
        "startDate": .string("2026-12-01"), "endDate": .string("2028-06-30"), "greenspaceAreaM2": .number(420),
    ]
    /// Every material the two items need that is not fetched electronically, the deferrable
    /// tree-protection plan included, so acceptance defers nothing.
    static let materials = ["construction-contract", "funding-commitment", "greenspace-location-map", "greenspace-restoration-plan",
                            "tree-protection-plan"]

    init() async throws {
        let folder = try scratchFolder("lifecycle")
        let catalog = try CatalogLoader.load(from: catalogDirectory)
        database = try AppDatabase(path: folder.appendingPathComponent("bench.sqlite").path,
                                   migrations: [ApprovalMigrations.self, CertificateMigrations.self])
        let ids = Mutex(0)
        let dependencies = Dependencies(
            now: { fixedNow },
            makeID: { ids.withLock { $0 += 1; return "id-\($0)" } },
            randomBytes: { Array(repeating: 7, count: $0) })
        let events = EventBus()
        let keys = try SigningKeys.load(from: folder.appendingPathComponent("keys"), now: fixedNow)
        CertificateRegistry.subscribe(to: events, bundles: catalog.bundles.compactMapValues(\.certificate), keys: keys)
        service = ApprovalService(store: SQLiteApprovalStore(database: database, events: events), catalog: catalog,
                                  dependencies: dependencies, warnWithinWorkingDays: catalog.warnWithinWorkingDays)
        files = FileStore(directory: folder.appendingPathComponent("files"), sizeLimit: 1_000_000, database: database,
                          dependencies: dependencies)
        project = try await service.createProject(NewProject(
            code: "2401-420104-04-01-318562", name: "崇仁路023地块项目", district: "420104",
            address: "武汉市硚口区崇仁路与解放大道交汇处西北侧", category: "房屋建筑工程",
            builder: Party(name: "武汉崇仁置业有限公司", uscc: Self.firm),
            contractor: Party(name: "中建三局第一建设工程有限责任公司", uscc: Self.contractor)), by: applicant)
    }

    func nextNumber() -> Int {
        counter.withLock { $0 += 1; return $0 }
    }

    /// One application from upload to issuance; `number` makes each upload's bytes distinct, so
    /// every iteration writes its own blobs as real applications would.
    @discardableResult
    func lifecycle(number: Int) async throws -> Application {
        var uploads: [MaterialUpload] = []
        for material in Self.materials {
            let body = Data("\(material) 扫描件 #\(number) ".utf8) + Data(repeating: UInt8(number & 0xFF), count: 2_048)
            let file = try await files.store(body, contentType: "application/pdf", by: applicant)
            uploads.append(MaterialUpload(material: material, file: file.id))
        }
        let submitted = try await service.submit(NewApplication(
            projectId: project.id, bundle: "comprehensive-permit", items: ["ZJ-SGXK", "YL-LDZY"], form: Self.form,
            materials: uploads), by: applicant)
        _ = try await service.accept(submitted.id, AcceptanceDecision(decision: .accept), by: clerk)
        _ = try await service.review(submitted.id, ReviewDecision(item: "YL-LDZY", decision: .approve, opinion: nil), by: landscapingReviewer)
        _ = try await service.review(submitted.id, ReviewDecision(item: "ZJ-SGXK", decision: .approve, opinion: "符合条件"),
                                     by: housingReviewer)
        let issued = try await service.issue(submitted.id, by: issuer)
        guard issued.status == .issued else { throw BenchmarkFailure("application \(issued.id) ended \(issued.status)") }
        return issued
    }

    /// Runs one lifecycle on a throwaway fixture and returns the size of the issued application's
    /// stored document (and checks that a certificate was numbered), to size the baseline's rows.
    static func issuedDocumentBytes() async throws -> Int {
        let fixture = try await LifecycleFixture()
        let issued = try await fixture.lifecycle(number: 0)
        return try await fixture.database.read { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM certificates WHERE application_id = ?", arguments: [issued.id]) == 1 else {
                throw BenchmarkFailure("issuance numbered no certificate: is the subscriber wired?")
            }
            return try Int.fetchOne(db, sql: "SELECT length(CAST(document AS BLOB)) FROM applications WHERE id = ?", arguments: [issued.id]) ?? 0
        }
    }
}

/// A scratch table on the same kind of database as the application (AppDatabase, so the same
/// DatabasePool configuration and the kernel's migrations).
enum ScratchMigrations: MigrationSet {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("bench-1-scratch") { db in
            try db.create(table: "scratch") { t in
                t.primaryKey("id", .text)
                t.column("status", .text).notNull()
                t.column("document", .jsonText).notNull()
            }
        }
    }
}

final class BaselineFixture: Sendable {
    let database: AppDatabase
    let document: String
    private let counter = Mutex(0)

    init(rowBytes: Int) async throws {
        let folder = try scratchFolder("baseline")
        database = try AppDatabase(path: folder.appendingPathComponent("bench.sqlite").path, migrations: [ScratchMigrations.self])
        // A JSON object exactly as large as the issued application's document (about 2 KB today).
        let filler = String(repeating: "x", count: max(rowBytes - 31, 16))
        document = #"{"kind":"baseline","filler":"\#(filler)"}"#
    }

    /// `writesPerLifecycle` write transactions, each inserting one JSON row.
    func writes() async throws {
        for _ in 0..<writesPerLifecycle {
            let id = counter.withLock { $0 += 1; return "row-\($0)" }
            try await database.write { [document] db in
                try db.execute(sql: "INSERT INTO scratch (id, status, document) VALUES (?, ?, ?)", arguments: [id, "written", document])
            }
        }
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
