import Foundation
import GRDB
import Kernel
import Testing

@Suite("The audit log is a hash chain: any edited, deleted or forged record is found")
struct AuditLogTests {
    let database: AppDatabase
    let clerk = Actor(id: "a1", username: "clerk", name: "王敏", role: .clerk)

    init() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).sqlite").path
        database = try AppDatabase(path: path, migrations: [])
    }

    func appendThree() async throws {
        try await database.write { [clerk] db in
            for (index, action) in ["application.submitted", "application.accepted", "item.reviewed"].enumerated() {
                try AuditLog.append(AuditEntry(actor: clerk, action: action, subject: "application/1", after: ["step": "\(index)"]),
                                    in: db, at: Date(timeIntervalSince1970: 1_795_000_000 + Double(index)))
            }
        }
    }

    func verify() async throws -> AuditLog.Verification {
        try await database.read { db in try AuditLog.verify(in: db) }
    }

    @Test("an untouched log verifies")
    func intact() async throws {
        try await appendThree()
        #expect(try await verify() == .intact(records: 3))
    }

    @Test("an edited record is named")
    func edited() async throws {
        try await appendThree()
        try await database.write { db in try db.execute(sql: "UPDATE audit_log SET actor_name = '李四' WHERE id = 2") }
        guard case .broken(let id, _) = try await verify() else { Issue.record("edit not detected"); return }
        #expect(id == 2)
    }

    @Test("a record deleted from the middle or the end is found")
    func deleted() async throws {
        try await appendThree()
        try await database.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE id = 3") }
        guard case .broken(let id, _) = try await verify() else { Issue.record("deletion not detected"); return }
        #expect(id == 3)
    }

    @Test("a record rewritten together with its own hash still breaks the link to the next")
    func rehashed() async throws {
        try await appendThree()
        try await database.write { db in
            try db.execute(sql: "UPDATE audit_log SET action = 'application.refused', hash = 'f00' WHERE id = 1")
        }
        guard case .broken(let id, _) = try await verify() else { Issue.record("forgery not detected"); return }
        #expect(id == 1)
    }
}
