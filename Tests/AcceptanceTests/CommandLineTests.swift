import Foundation
import GRDB
import Hummingbird
@testable import Kernel
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

    @Test("a chain rewritten and re-hashed whole, or cut short, is caught by the signed anchors; a record deleted from the middle breaks the chain")
    func anchorsCatchRewrittenChains() async throws {
        for attack in ["rewrite", "truncate", "delete"] {
            let app = try await TestApp()
            let path = app.configuration.databasePath
            #expect(try CommandLine.run(["audit", "anchor", "--db", path]).status == 0)
            let intact = try CommandLine.run(["audit", "verify", "--db", path])
            #expect(intact.status == 0 && intact.output.contains("1 个签名锚点相符"), "\(intact.output)")
            try await app.services.database.write { db in
                switch attack {
                case "rewrite":
                    try db.execute(sql: #"UPDATE audit_log SET after = '{"role":"admin","username":"chongren"}' WHERE id = 2"#)
                    try Self.rehash(db)
                case "truncate":
                    let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM audit_log")!
                    try db.execute(sql: "DELETE FROM audit_log WHERE id >= ?", arguments: [last - 1])
                    try Self.rehash(db)
                default:
                    try db.execute(sql: "DELETE FROM audit_log WHERE id = 3")
                }
            }
            if attack != "delete" {
                let chainAlone = try await app.services.database.read { db in try AuditLog.verify(in: db) }
                #expect(chainAlone.records != nil, "\(attack): the hash chain alone is fooled")
            }
            let caught = try CommandLine.run(["audit", "verify", "--db", path])
            #expect(caught.status == 1, "\(attack): \(caught.output)")
            #expect(caught.output.contains(attack == "delete" ? "缺失" : "签名锚点"), "\(attack): \(caught.output)")
        }
    }

    @Test("the signed anchors are published for anyone to keep, and a kept copy still catches a rewrite after the local file is replaced")
    func anchorsArePublished() async throws {
        let app = try await TestApp()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("anchors-\(UUID().uuidString).jsonl")
        try await app.run { client in
            #expect(try await app.services.auditAnchors.anchorHead(of: app.services.database, at: app.clock.now) != nil)
            #expect(try await app.services.auditAnchors.anchorHead(of: app.services.database, at: app.clock.now) == nil, "nothing new to sign")
            let published = try await client.request(.get, "/api/v1/audit/anchors")
            #expect(published.status == .ok)
            #expect(published.body?["keyId"]?.string == app.services.auditAnchors.keyID)
            let anchors = published.body?["anchors"]?.array ?? []
            #expect(anchors.count == 1, "\(published.text)")
            try Data(published.text.utf8).write(to: copy)
        }
        try await app.services.database.write { db in
            try db.execute(sql: #"UPDATE audit_log SET actor_name = '无名' WHERE id = 1"#)
            try Self.rehash(db)
        }
        try FileManager.default.removeItem(at: app.configuration.auditAnchorsFile)
        let fooled = try CommandLine.run(["audit", "verify", "--db", app.configuration.databasePath])
        #expect(fooled.status == 0, "without any anchor the rewrite passes: \(fooled.output)")
        let caught = try CommandLine.run(["audit", "verify", "--db", app.configuration.databasePath, "--anchors", copy.path])
        #expect(caught.status == 1, "\(caught.output)")
    }

    /// What someone with the database but not the key can do: recompute every hash and the head.
    static func rehash(_ db: Database) throws {
        var previous = AuditLog.genesis
        var lastID: Int64 = 0
        for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id") {
            let id: Int64 = row["id"], date: Date = row["at"]
            let hash = AuditLog.chainHash(previous: previous, id: id, millis: Int64((date.timeIntervalSince1970 * 1000).rounded()),
                                          actorID: row["actor_id"], actorName: row["actor_name"], actorRole: row["actor_role"], action: row["action"],
                                          subject: row["subject"], before: row["before"], after: row["after"], detail: row["detail"])
            try db.execute(sql: "UPDATE audit_log SET previous_hash = ?, hash = ? WHERE id = ?", arguments: [previous, hash, id])
            previous = hash
            lastID = id
        }
        try db.execute(sql: "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE singleton = 1", arguments: [lastID, previous])
    }

    @Test("backup copies the database while the service runs; restore rebuilds it, audit verify accepts it, and a tampered backup is refused")
    func backupAndRestore() async throws {
        let app = try await TestApp()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let backup = folder.appendingPathComponent("shenguan-backup.sqlite").path
        try await app.run { client in
            _ = try await client.issuedCertificate()
            let made = try CommandLine.run(["backup", "--db", app.configuration.databasePath, "--to", backup])
            #expect(made.status == 0, "\(made.output)")
            #expect(made.output.contains("shenguan-keys"), "reminds of the keys: \(made.output)")
            #expect(try CommandLine.run(["backup", "--db", app.configuration.databasePath, "--to", backup]).status == 2, "never overwrites")
        }
        let restored = folder.appendingPathComponent("restored.sqlite").path
        let restore = try CommandLine.run(["restore", "--from", backup, "--db", restored])
        #expect(restore.status == 0, "\(restore.output)")
        let verified = try CommandLine.run(["audit", "verify", "--db", restored])
        #expect(verified.status == 0, "\(verified.output)")
        let counts = { (path: String) in
            try await AppDatabase(path: path, migrations: []).read { db in
                try ["certificates", "applications", "audit_log"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)")! }
            }
        }
        #expect(try await counts(restored) == counts(backup))
        #expect(try await counts(restored)[0] == 1)

        let tamperedCopy = folder.appendingPathComponent("tampered.sqlite").path
        try FileManager.default.copyItem(atPath: backup, toPath: tamperedCopy)
        try await AppDatabase(path: tamperedCopy, migrations: []).write { db in
            try db.execute(sql: "DELETE FROM audit_log WHERE id = 3")
        }
        let refused = try CommandLine.run(["restore", "--from", tamperedCopy, "--db", folder.appendingPathComponent("again.sqlite").path])
        #expect(refused.status == 1, "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("again.sqlite").path), "nothing half-written stays")
    }

    @Test("every commit reaches the disk: the database runs in WAL mode and commits with synchronous FULL")
    func commitsAreDurable() async throws {
        let app = try await TestApp()
        let (journal, synchronous) = try await app.services.database.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode")!, try Int.fetchOne(db, sql: "PRAGMA synchronous")!)
        }
        #expect(journal == "wal")
        #expect(synchronous == 2, "FULL")
    }
}

@Suite("The demo data loads through the real lifecycle, and loading it again changes nothing")
struct SampleDataTests {
    @Test("serve --demo adds its inspections to a database whose inspectors' queues are already longer than a page")
    func demoLoadsBehindLongQueues() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = AppConfiguration(
            databasePath: folder.appendingPathComponent("demo.sqlite").path, port: 0,
            catalogDirectory: TestApp.root.appendingPathComponent("Modules"), openAPIFile: TestApp.root.appendingPathComponent("openapi.yaml"),
            templatesDirectory: TestApp.root.appendingPathComponent("Templates"),
            sampleDataDirectory: TestApp.root.appendingPathComponent("SampleProjects"), bcryptCost: 4)
        _ = try await buildApplication(configuration)
        // Every open task the demo left is copied 250 times, due long ago, so each queue's first
        // pages are other work; the applications are forgotten, so the demo loads them again.
        let database = try AppDatabase(path: configuration.databasePath, migrations: [])
        let inspections = { try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inspections") ?? 0 } }
        let before = try await inspections()
        try await database.write { db in
            for copy in 0..<250 {
                try db.execute(sql: """
                    INSERT INTO supervision_tasks (id, certificate_number, application_id, department, region, status, first_inspection, follow_up_of,
                                                   opened_on, due_on, closed_on, document)
                    SELECT id || '-copy-' || ?1, certificate_number, 'elsewhere', department, region, status, first_inspection, follow_up_of,
                           '2020-01-01', '2020-01-02', closed_on,
                           json_set(document, '$.id', id || '-copy-' || ?1, '$.applicationID', 'elsewhere', '$.openedOn', '2020-01-01', '$.dueOn', '2020-01-02')
                    FROM supervision_tasks WHERE status = 'open' AND id NOT LIKE '%-copy-%'
                    """, arguments: [copy])
            }
            try db.execute(sql: "DELETE FROM sample_data_loaded WHERE key LIKE 'application/%'")
        }
        _ = try await buildApplication(configuration)
        #expect(try await inspections() == 2 * before, "each inspection of the demo recorded again, on the application loaded again")
    }

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
