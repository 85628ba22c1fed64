import Approval
import Benchmark
import BenchmarkSupport
import Certificates
import Foundation
import GRDB
import Kernel
import Synchronization
import WebApp

// 夜间施工 智能审批 at 64 concurrent applicants, on the whole service's wiring (AppServices: the
// night-work capability's hooks and subscribers, certificates, supervision tasks, notices, audit,
// outbox) and SQLite.
//
// "NightWorkDecideAndIssue64": setup (unmeasured) builds 64 sites, each its own firm and project
// with an issued construction permit (comprehensive-permit bundle, ZJ-SGXK + YL-LDZY, through
// submit / accept / review / issue) and a first night-work permit (CG-YJSG with the full form and
// its three materials, sent to review by the rules, approved by a city-management reviewer and
// issued by the issuer). Each iteration then runs, at once in a TaskGroup, one repeat night-work
// application per site through `ApprovalService.submit` — the call `POST /api/v1/night-work/applications`
// makes after its input checks — with only the reason and the nights in the form: the rules link
// the site's earlier permit, approve, and the certificate is numbered, signed, published and its
// supervision tasks opened in the submitting transaction. Every application must come back
// `issued` with a certificate. Each application's latency is one measurement of a custom metric,
// so its percentiles are over all applications of all iterations.
//
// In the same iteration, just before, the baseline: 64 concurrent write transactions, each
// inserting one JSON row as large as a repeat application's stored document into a scratch table
// of a database of the same kind (AppDatabase, same pool configuration). Quote the ratio ×100 of
// the iteration's median application latency over its median baseline latency (see README.md).

let siteCount = 64

let benchmarks: @Sendable () -> Void = {
    Benchmark.teardown = { removeScratchFolders() }

    Benchmark("NightWorkDecideAndIssue64", configuration: .init(
        metrics: [.wallClock, NightWorkMetric.application, NightWorkMetric.baseline, NightWorkMetric.ratio, NightWorkMetric.applicationsPerSecond],
        timeUnits: .milliseconds,
        // Always 1 + 30 iterations (the time limit is only a guard), so every run measures the
        // same histories: each iteration adds one issued night-work permit to every site, and
        // the measured iterations find 3 to 32 earlier permits per site.
        warmupIterations: 1,
        maxDuration: .seconds(120),
        maxIterations: 30
    )) { (benchmark: Benchmark, fixture: NightWorkFixture) async in
        do {
            try await fixture.iteration(benchmark)
        } catch {
            benchmark.error("night-work iteration failed: \(error)")
        }
    } setup: {
        try await NightWorkFixture()
    }
}

enum NightWorkMetric {
    /// One repeat application, submit → issued (one measurement per application).
    static let application = BenchmarkMetric.custom("Night-work application (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    /// One baseline write transaction (one measurement per write).
    static let baseline = BenchmarkMetric.custom("Baseline write (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Per iteration: median application latency over median baseline latency, ×100.
    static let ratio = BenchmarkMetric.custom("Application / baseline p50 (x100)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Per iteration: 64 over the time from the first submission to the last answer.
    static let applicationsPerSecond = BenchmarkMetric.custom("Applications/s (64 at once)", polarity: .prefersLarger, useScalingFactor: false)
}

/// 64 sites on one service, each ready for a repeat night-work application, and the baseline's
/// scratch database; built once, outside the measurement.
final class NightWorkFixture: Sendable {
    let services: AppServices
    let sites: [LifecycleFixture]
    let baseline: AppDatabase
    let baselineDocument: String
    static let reviewer = Actor(id: "u-cm", username: "reviewer-city-management", name: "郑伟", role: .reviewer, department: "city-management")
    private let counter = Mutex(0)
    private let rows = Mutex(0)

    static let reason = "混凝土连续浇筑"

    init() async throws {
        services = try await appServices(in: try scratchFolder("night-work"))
        var sites: [LifecycleFixture] = []
        for index in 0..<siteCount {
            let firm = try Self.firm(index)
            let applicant = Actor(id: "u-a\(index)", username: "firm\(index)", name: "申请人\(index)", role: .applicant, firm: firm)
            let site = try await LifecycleFixture(services: services, project: NewProject(
                code: String(format: "2409-420104-04-01-%06d", 510_000 + index), name: "硚口夜间施工基准工地\(index)号",
                district: "420104", address: "武汉市硚口区解放大道\(100 + index)号", category: "房屋建筑工程",
                builder: NewParty(name: "武汉基准置业\(index)号有限公司", uscc: firm),
                contractor: NewParty(name: "中建三局第一建设工程有限责任公司", uscc: LifecycleFixture.contractor)), applicant: applicant)
            try await site.lifecycle(number: index)
            try await Self.firstNightPermit(site, number: index, files: services.files)
            sites.append(site)
        }
        self.sites = sites

        // One repeat per site, sequentially: checks the path works before anything is timed, and
        // gives the stored size of a repeat application for the baseline's rows.
        var sizes: [Int] = [], alone: [Int] = []
        let clock = ContinuousClock()
        for site in sites {
            let start = clock.now
            let application = try await Self.repeatApplication(site, nights: Self.nights(for: -1))
            alone.append(microseconds(clock.now - start))
            sizes.append(try await services.database.read { db in
                try Int.fetchOne(db, sql: "SELECT length(CAST(document AS BLOB)) FROM applications WHERE id = ?", arguments: [application.id]) ?? 0
            })
            try await Self.verify([application], in: services.database)
        }
        let rowBytes = sizes.sorted()[sizes.count / 2]
        Self.trace("setup: one repeat application at a time (1 earlier permit per site): p50 \(alone.sorted()[alone.count / 2]) μs, " +
                   "max \(alone.max() ?? 0) μs; stored document \(rowBytes) bytes (p50)")
        baseline = try AppDatabase(path: try scratchFolder("night-work-baseline").appendingPathComponent("bench.sqlite").path,
                                   migrations: [ScratchMigrations.self])
        baselineDocument = #"{"kind":"baseline","filler":"\#(String(repeating: "x", count: max(rowBytes - 31, 16)))"}"#
    }

    /// A valid 统一社会信用代码 per site, so each site is its own applicant firm.
    static func firm(_ index: Int) throws -> String {
        let prefix = String(format: "91420104MA4N%05d", 20_000 + index)
        guard let check = UnifiedSocialCreditCode.checkCharacter(for: prefix) else { throw BenchmarkFailure("no check character for \(prefix)") }
        return prefix + String(check)
    }

    /// A site's first night-work application: the full form and the evidence, decided by a
    /// reviewer (the rules send a site's first application to a person), then issued.
    static func firstNightPermit(_ site: LifecycleFixture, number: Int, files: FileStore) async throws {
        var uploads: [MaterialUpload] = []
        for material in ["night-work-justification", "noise-control-plan", "resident-notice"] {
            // A real PDF (FileStore judges uploads by their bytes), distinct each time, padded to ~2 KB.
            let body = DemoPDF.document(label: "night \(number)", title: "\(material) 夜间施工 #\(number)") + Data(repeating: UInt8(number & 0xFF), count: 1_536)
            let file = try await files.store(body, by: site.applicant)
            uploads.append(MaterialUpload(material: material, file: file.id))
        }
        let form: [String: FormValue] = [
            "nightWorkReason": .string(Self.reason), "firstNight": .string(benchmarkDay.adding(days: 2).description),
            "lastNight": .string(benchmarkDay.adding(days: 4).description), "nightStart": .string("22:00"), "nightEnd": .string("04:00"),
            "nightWorkMeasures": .string("泵车加装隔声罩，场界设隔声屏障"), "responsibleName": .string("王建国"),
            "responsiblePhone": .string("13707156628"),
        ]
        let submitted = try await site.service.submit(NewApplication(projectId: site.project.id, items: ["CG-YJSG"], form: form,
                                                                     materials: uploads), by: site.applicant)
        guard submitted.status != .issued, submitted.status != .denied else {
            throw BenchmarkFailure("a site's first night-work application should go to a reviewer, it ended \(submitted.status)")
        }
        _ = try await site.service.review(submitted.id, ReviewDecision(item: "CG-YJSG", decision: .approve, opinion: nil), by: Self.reviewer)
        let issued = try await site.service.issue(submitted.id, by: site.issuer)
        guard issued.status == .issued else { throw BenchmarkFailure("first night-work permit \(issued.id) ended \(issued.status)") }
    }

    /// The nights of an iteration: the first night 1–30 days after the fixed today, 1–15 nights,
    /// so consecutive iterations ask for different nights.
    static func nights(for iteration: Int) -> (first: CivilDate, last: CivilDate) {
        let step = iteration + 1
        let first = benchmarkDay.adding(days: 1 + step % 30)
        return (first, first.adding(days: (step / 30 + step) % 15))
    }

    /// A repeat application as the route submits it, with only the reason and the nights.
    static func repeatApplication(_ site: LifecycleFixture, nights: (first: CivilDate, last: CivilDate)) async throws -> Application {
        try await site.service.submit(NewApplication(projectId: site.project.id, items: ["CG-YJSG"], form: [
            "nightWorkReason": .string(Self.reason), "firstNight": .string(nights.first.description), "lastNight": .string(nights.last.description),
        ], materials: []), by: site.applicant)
    }

    /// Every application issued, with its certificate in the register.
    static func verify(_ applications: [Application], in database: AppDatabase) async throws {
        for application in applications {
            guard application.status == .issued else {
                throw BenchmarkFailure("repeat application \(application.id) ended \(application.status): \(application.rules?.reasons.map(\.message) ?? [])")
            }
        }
        let ids = applications.map(\.id)
        let missing = try await database.read { db in
            try ids.filter { try CertificateRegistry.certificates(applicationID: $0, in: db).isEmpty }
        }
        guard missing.isEmpty else { throw BenchmarkFailure("issued without a certificate: \(missing)") }
    }

    func iteration(_ benchmark: Benchmark) async throws {
        let iteration = counter.withLock { $0 += 1; return $0 }
        let clock = ContinuousClock()

        // The baseline: 64 bare write transactions at once.
        let writes = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<siteCount {
                let id = rows.withLock { $0 += 1; return "row-\($0)" }
                group.addTask { [baseline, baselineDocument] in
                    let start = clock.now
                    try await baseline.write { db in
                        try db.execute(sql: "INSERT INTO scratch (id, document) VALUES (?, ?)", arguments: [id, baselineDocument])
                    }
                    return microseconds(clock.now - start)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        // 64 repeat applications at once, one per site.
        let nights = Self.nights(for: iteration)
        let cpuBefore = processCPUMicroseconds()
        let started = clock.now
        let results = try await withThrowingTaskGroup(of: (Application, Int).self) { group in
            for site in sites {
                group.addTask {
                    let start = clock.now
                    let application = try await Self.repeatApplication(site, nights: nights)
                    return (application, microseconds(clock.now - start))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = microseconds(clock.now - started)
        let cpu = processCPUMicroseconds() - cpuBefore
        try await Self.verify(results.map(\.0), in: services.database)

        for latency in results.map(\.1) { benchmark.measurement(NightWorkMetric.application, latency) }
        for latency in writes { benchmark.measurement(NightWorkMetric.baseline, latency) }
        let applicationMedian = median(results.map(\.1)), baselineMedian = max(median(writes), 1)
        benchmark.measurement(NightWorkMetric.ratio, applicationMedian * 100 / baselineMedian)
        benchmark.measurement(NightWorkMetric.applicationsPerSecond, siteCount * 1_000_000 / max(elapsed, 1))
        Self.trace("""
            iteration \(iteration): \(iteration + 1) earlier night-work permits per site, nights \(nights.first)–\(nights.last): \
            applications p50 \(applicationMedian) μs, max \(results.map(\.1).max() ?? 0) μs, all 64 in \(elapsed) μs \
            using \(cpu) μs of CPU (\(cpu * 100 / max(elapsed, 1)) % of one core); \
            baseline p50 \(baselineMedian) μs, max \(writes.max() ?? 0) μs
            """)
    }

    /// NIGHT_WORK_TRACE=FILE (an existing file) gets one line per iteration appended, the warm-up
    /// included (the tool does not pass a benchmark's output through): how the figures move as
    /// the sites' histories grow.
    static func trace(_ line: String) {
        guard let path = ProcessInfo.processInfo.environment["NIGHT_WORK_TRACE"], let file = FileHandle(forWritingAtPath: path) else { return }
        file.seekToEndOfFile()
        file.write(Data((line + "\n").utf8))
        file.closeFile()
    }

    /// User and system CPU time of the whole process so far: set against the wall clock, it tells
    /// whether the 64 applications wait on the two cores or on each other.
    func processCPUMicroseconds() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + Int(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    }

    func median(_ values: [Int]) -> Int {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

/// The baseline's scratch table, on a database of the application's kind (AppDatabase: the same
/// WAL pool configuration and the kernel's migrations).
enum ScratchMigrations: MigrationSet {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("bench-1-scratch") { db in
            try db.create(table: "scratch") { t in
                t.primaryKey("id", .text)
                t.column("document", .jsonText).notNull()
            }
        }
    }
}
