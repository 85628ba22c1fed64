import Approval
import Benchmark
import BenchmarkSupport
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
            let baseline = microseconds(middle - start), lifecycle = microseconds(end - middle)
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

