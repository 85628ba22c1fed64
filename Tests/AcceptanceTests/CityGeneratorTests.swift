import Foundation
import GRDB
import Kernel
import Testing
import WebApp

@Suite("The city-scale generator builds, through the services, the same city from the same seed")
struct CityGeneratorTests {
    static func city(seed: UInt64) async throws -> (report: CityGenerator.Report, database: AppDatabase) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("city-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = AppConfiguration(
            databasePath: folder.appendingPathComponent("city.sqlite").path, catalogDirectory: TestApp.root.appendingPathComponent("Modules"),
            openAPIFile: TestApp.root.appendingPathComponent("openapi.yaml"), templatesDirectory: TestApp.root.appendingPathComponent("Templates"))
        let timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let plan = CityGenerator.Plan(applications: 60, scansPerApplication: 3, firms: 4, seed: seed,
                                      start: CivilDate("2026-09-01")!.start(in: timeZone), end: CivilDate("2026-11-30")!.start(in: timeZone))
        let report = try await CityGenerator.generate(plan, configuration: configuration) { _, _ in }
        return (report, try AppDatabase(path: configuration.databasePath, migrations: []))
    }

    static func fingerprint(_ database: AppDatabase) async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT id || ' ' || status || ' ' || submitted_at FROM applications ORDER BY id")
                + String.fetchAll(db, sql: "SELECT number || ' ' || status || ' ' || application_id FROM certificates ORDER BY number")
                + String.fetchAll(db, sql: "SELECT id || ' ' || status || ' ' || due_on FROM supervision_tasks ORDER BY id")
        }
    }

    @Test("sixty applications become a city in every stage: issued ones with certificates, tasks, inspections and scans; recent ones under way; a few refused or withdrawn; the audit chain intact")
    func generatesACityThroughTheServices() async throws {
        let (report, database) = try await Self.city(seed: 7)
        let rows = Dictionary(uniqueKeysWithValues: report.counts.map { ($0.table, $0.rows) })
        #expect(rows["applications"] == 60 && rows["projects"] == 30)
        let statuses = try await database.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM applications GROUP BY status").map {
                ($0["status"] as String, $0["n"] as Int)
            })
        }
        #expect(statuses["issued"] ?? 0 > 30 && statuses["refused"] ?? 0 > 0 && statuses["withdrawn"] ?? 0 > 0, "\(statuses)")
        #expect(statuses["submitted"] ?? 0 > 0 && statuses["under-review"] ?? 0 > 0, "the last weeks are under way: \(statuses)")
        #expect(rows["certificates"] == statuses["issued"])
        #expect(rows["supervision_tasks"] ?? 0 >= rows["certificates"] ?? 0)
        #expect(rows["inspections"] ?? 0 > 0 && rows["scans"] == (rows["inspections"] ?? 0) / ((rows["supervision_tasks"] ?? 1) / (rows["certificates"] ?? 1)) * 3,
                "three scans for each inspected permit: \(rows)")
        #expect(try await database.read { db in try AuditLog.verify(in: db) }.records == rows["audit_log"])
    }

    @Test("the same seed builds the same applications, certificates and tasks; another seed another city")
    func seedDecidesTheCity() async throws {
        let first = try await Self.fingerprint(try await Self.city(seed: 11).database)
        let again = try await Self.fingerprint(try await Self.city(seed: 11).database)
        let other = try await Self.fingerprint(try await Self.city(seed: 12).database)
        #expect(first == again)
        #expect(first != other)
    }
}
