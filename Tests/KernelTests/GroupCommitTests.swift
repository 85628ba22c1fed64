import Foundation
import GRDB
@testable import Kernel
import Synchronization
import Testing

@Suite("Writes that arrive while another commits share one commit, and each keeps its own outcome")
struct GroupCommitTests {
    struct Refused: Error {}

    /// Counts the writing connection's commits that touched `firms`.
    final class CommitCounter: TransactionObserver, Sendable {
        let commits = Mutex(0)
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { eventKind.tableName == "firms" }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    static func register(_ uscc: String, in database: AppDatabase, refuse: Bool = false) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT INTO firms (uscc, name, registered_at) VALUES (?, ?, 0)", arguments: [uscc, "单位\(uscc)"])
            if refuse { throw Refused() }
        }
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<1_000 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        #expect(condition())
    }

    @Test("ten writes queued behind a running one commit together once; the one that throws leaves nothing and only its caller sees the error")
    func queuedWritesShareOneCommit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("group-\(UUID().uuidString).sqlite").path
        let database = try AppDatabase(path: path, migrations: [])
        let counter = CommitCounter()
        try await database.writer.writeWithoutTransaction { db in db.add(transactionObserver: counter, extent: .databaseLifetime) }

        let gate = DispatchSemaphore(value: 0)
        let running = Mutex(false)
        let first = Task {
            try await database.write { db in
                try db.execute(sql: "INSERT INTO firms (uscc, name, registered_at) VALUES ('FIRST', '单位FIRST', 0)")
                running.withLock { $0 = true }
                gate.wait()
            }
        }
        try await Self.waitUntil { running.withLock { $0 } }
        let queued = (0..<10).map { index in
            Task { try await Self.register("Q\(index)", in: database, refuse: index == 4) }
        }
        try await Self.waitUntil { database.groupCommit.waiting == 10 }
        gate.signal()
        try await first.value

        var refused: [Int] = []
        for (index, task) in queued.enumerated() {
            do { try await task.value } catch is Refused { refused.append(index) }
        }
        #expect(refused == [4])
        #expect(counter.commits.withLock { $0 } == 2, "the running write's commit, then one for the ten queued behind it")
        let other = try AppDatabase(path: path, migrations: [])
        let firms = try await other.read { db in try String.fetchAll(db, sql: "SELECT uscc FROM firms ORDER BY uscc") }
        #expect(firms == ["FIRST"] + (0..<10).filter { $0 != 4 }.map { "Q\($0)" })
    }

    @Test("a write is answered only after its commit: another connection reads it at once, and a failed commit fails every write of its batch")
    func answersFollowTheCommit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("group-\(UUID().uuidString).sqlite").path
        let database = try AppDatabase(path: path, migrations: [])
        let other = try AppDatabase(path: path, migrations: [])
        for index in 0..<20 {
            try await Self.register("F\(index)", in: database)
            let seen = try await other.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM firms WHERE uscc = ?)", arguments: ["F\(index)"]) }
            #expect(seen == true)
        }

        // A deferred foreign key is checked at COMMIT: the batch's commit fails, and with it
        // every write the batch holds, the innocent one included, and nothing of them stays.
        try await database.write { db in
            try db.execute(sql: "CREATE TABLE seals (firm TEXT REFERENCES firms(uscc) DEFERRABLE INITIALLY DEFERRED)")
        }
        let gate = DispatchSemaphore(value: 0)
        let running = Mutex(false)
        let first = Task {
            try await database.write { _ in
                running.withLock { $0 = true }
                gate.wait()
            }
        }
        try await Self.waitUntil { running.withLock { $0 } }
        let innocent = Task { try await Self.register("INNOCENT", in: database) }
        let dangling = Task { try await database.write { db in try db.execute(sql: "INSERT INTO seals (firm) VALUES ('NOBODY')") } }
        try await Self.waitUntil { database.groupCommit.waiting == 2 }
        gate.signal()
        try await first.value
        await #expect(throws: DatabaseError.self) { try await innocent.value }
        await #expect(throws: DatabaseError.self) { try await dangling.value }
        let left = try await other.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM seals) + (SELECT count(*) FROM firms WHERE uscc = 'INNOCENT')")
        }
        #expect(left == 0)
    }
}
