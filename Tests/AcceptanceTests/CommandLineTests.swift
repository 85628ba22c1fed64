import Foundation
import GRDB
import Kernel
import Testing
import WebApp

/// Runs the built `shenguan` executable as an operator would.
struct CommandLine {
    static let executable = TestApp.root.appendingPathComponent(".build/debug/shenguan")

    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = TestApp.root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

@Suite("The command line checks the catalog and the audit log")
struct CommandLineTests {
    @Test("catalog validate passes the shipped catalog and exits 1 naming each problem with file and line")
    func catalogValidate() throws {
        #expect(try CommandLine.run(["catalog", "validate"]).status == 0)

        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestApp.root.appendingPathComponent("Modules"), to: broken)
        let item = broken.appendingPathComponent("items/ZJ-ZLAQ.yaml")
        let text = try String(contentsOf: item, encoding: .utf8)
        try text.replacingOccurrences(of: "department: quality-station", with: "department: nowhere").write(to: item, atomically: true, encoding: .utf8)
        let line = text.components(separatedBy: "\n").firstIndex { $0.hasPrefix("department:") }! + 1

        let result = try CommandLine.run(["catalog", "validate", broken.path])
        #expect(result.status == 1)
        #expect(result.output.contains("\(broken.path)/items/ZJ-ZLAQ.yaml:\(line): 未知部门 nowhere"))
    }

    @Test("audit verify exits 0 on an intact log and 1 naming the record someone edited")
    func auditVerify() async throws {
        let app = try await TestApp()  // creating the accounts writes audit records
        let path = app.configuration.databasePath
        let intact = try CommandLine.run(["audit", "verify", "--db", path])
        #expect(intact.status == 0, "\(intact.output)")

        try await app.services.database.write { db in
            try db.execute(sql: "UPDATE audit_log SET after = '{\"role\":\"admin\",\"username\":\"chongren\"}' WHERE id = 1")
        }
        let tampered = try CommandLine.run(["audit", "verify", "--db", path])
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("记录 1"))
    }
}

@Suite("The demo data loads through the real lifecycle, and loading it again changes nothing")
struct SampleDataTests {
    @Test("serve --demo loads firms' projects and applications in several states, idempotently")
    func demoIsIdempotent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = AppConfiguration(
            databasePath: folder.appendingPathComponent("demo.sqlite").path, port: 0,
            catalogDirectory: TestApp.root.appendingPathComponent("Modules"), openAPIFile: TestApp.root.appendingPathComponent("openapi.yaml"),
            templatesDirectory: TestApp.root.appendingPathComponent("Templates"),
            sampleDataDirectory: TestApp.root.appendingPathComponent("SampleProjects"), bcryptCost: 4)
        func counts() async throws -> [String: Int] {
            let database = try AppDatabase(path: configuration.databasePath, migrations: [])
            return try await database.read { db in
                var counts: [String: Int] = [:]
                for table in ["accounts", "projects", "applications", "certificates"] {
                    counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
                }
                counts["states"] = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT status) FROM applications")
                return counts
            }
        }
        _ = try await buildApplication(configuration)
        let first = try await counts()
        _ = try await buildApplication(configuration)
        #expect(try await counts() == first)
        #expect(first["projects"]! >= 5)
        #expect(first["states"]! >= 4)
        #expect(first["certificates"]! >= 1)
        let intact = try await AppDatabase(path: configuration.databasePath, migrations: []).read { db in try AuditLog.verify(in: db) }
        guard case .intact = intact else { Issue.record("audit chain broken after demo load"); return }
    }
}
