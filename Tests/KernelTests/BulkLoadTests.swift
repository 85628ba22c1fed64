import Foundation
import GRDB
import Kernel
import Testing

@Suite("A bulk load writes in large transactions and keeps each write all or nothing")
struct BulkLoadTests {
    struct Refused: Error {}

    static func firms(in database: AppDatabase) async throws -> [String] {
        try await database.read { db in try String.fetchAll(db, sql: "SELECT uscc FROM firms ORDER BY uscc") }
    }

    static func register(_ uscc: String, in database: AppDatabase) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT INTO firms (uscc, name, registered_at) VALUES (?, ?, ?)", arguments: [uscc, "单位\(uscc)", Date()])
        }
    }

    @Test("writes are seen by the load at once, by others only when a batch of them commits; a write that throws leaves nothing, the others stay")
    func batchesCommitAndFailuresRollBack() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString).sqlite").path
        let bulk = try AppDatabase(path: path, migrations: [], bulkCommitEvery: 3)
        let other = try AppDatabase(path: path, migrations: [])
        try await Self.register("A", in: bulk)
        await #expect(throws: Refused.self) {
            try await bulk.write { db in
                try db.execute(sql: "INSERT INTO firms (uscc, name, registered_at) VALUES ('B', '单位B', 0)")
                throw Refused()
            }
        }
        try await Self.register("C", in: bulk)
        #expect(try await Self.firms(in: bulk) == ["A", "C"], "the load reads its own open transaction")
        #expect(try await Self.firms(in: other).isEmpty, "nothing is committed before the third write")
        try await Self.register("D", in: bulk)
        #expect(try await Self.firms(in: other) == ["A", "C", "D"])
        try await Self.register("E", in: bulk)
        #expect(try await Self.firms(in: other) == ["A", "C", "D"])
        try await bulk.commitBulk()
        #expect(try await Self.firms(in: other) == ["A", "C", "D", "E"])
    }
}
