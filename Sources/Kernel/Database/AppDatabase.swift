import Foundation
import GRDB
import Synchronization

/// A module's contribution to the schema: its migrations, registered in order, append-only.
public protocol MigrationSet: Sendable {
    static func register(in migrator: inout DatabaseMigrator)
}

/// The one database of the process: a WAL `DatabasePool` on SQLite, migrated at open.
public struct AppDatabase: Sendable {
    public let writer: any DatabaseWriter
    /// Set only for a bulk load: see `init(path:migrations:bulkCommitEvery:)`.
    let bulk: BulkTransaction?
    let groupCommit: GroupCommit
    /// Read-only connections for `lookup`, one per core, apart from the pool's readers.
    let lookups: LookupConnections

    /// Opens (creating if needed) the database at `path` and runs every module's migrations.
    ///
    /// With `bulkCommitEvery`, for a bulk load such as the city-scale generator: each `write` is a
    /// savepoint inside one long transaction, committed every `bulkCommitEvery` writes and by
    /// `commitBulk()`, so the services' own code persists at the pace of large transactions; a
    /// write that throws still leaves nothing behind. Reads then go to the writing connection, the
    /// only one that sees the open transaction.
    public init(path: String, migrations: [any MigrationSet.Type], bulkCommitEvery: Int? = nil) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // A bulk load keeps its transaction open from one write to the next, which GRDB refuses
        // unless told.
        configuration.allowsUnsafeTransactions = bulkCommitEvery != nil
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // A certificate answered to a firm must survive a power loss: every commit reaches the
        // disk. GRDB sets its one writing connection to NORMAL in WAL mode, which may lose the
        // last commits, after `prepareDatabase` has run; so it is set here.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        var migrator = DatabaseMigrator()
        for set in [KernelMigrations.self] + migrations {
            set.register(in: &migrator)
        }
        try migrator.migrate(pool)
        writer = pool
        // A bulk load's reads must see its open transaction: they all go to the writer.
        lookups = try LookupConnections(path: path, count: bulkCommitEvery == nil ? ProcessInfo.processInfo.activeProcessorCount : 0)
        bulk = bulkCommitEvery.map(BulkTransaction.init)
        groupCommit = GroupCommit(writer: pool)
    }

    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        guard bulk != nil else { return try await writer.read(body) }
        return try await writer.writeWithoutTransaction(body)
    }

    /// `read` for the one-row lookups of the busiest routes (a QR check's register row, a
    /// request's session): on the calling thread, on a connection of its own when one is free,
    /// since handing a read to a reader's queue and back costs more than the read (measured: a
    /// fifth of a QR check's CPU in futex wake-ups). It never waits for a connection: with none
    /// free it is an ordinary `read`. (Waiting would hang the server: a thread blocked for one of
    /// the pool's readers, held by reads that resume only on such threads.) Never for a read that
    /// may take long: it runs on one of the few threads that serve every request.
    public func lookup<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        if let result = try lookups.read(body) { return result }
        return try await read(body)
    }

    /// Runs `body` in a write transaction and returns once it is durably committed. Writes that
    /// arrive while another commits share the next transaction, each in its own savepoint (see
    /// `GroupCommit`): a write that throws leaves nothing behind, as alone.
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        guard let bulk else { return try await groupCommit.write(body) }
        return try await writer.writeWithoutTransaction { db in try bulk.write(body, in: db) }
    }

    /// Commits what a bulk load has written so far; a no-op otherwise.
    public func commitBulk() async throws {
        guard bulk != nil else { return }
        try await writer.writeWithoutTransaction { db in
            if db.isInsideTransaction { try db.commit() }
        }
    }

    /// Copies the database, as of one moment, to a new file at `path` with SQLite's online backup
    /// API: writers go on meanwhile. Refuses to overwrite a file.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw KernelError.invalidField(field: "to", message: "\(path) 已存在") }
        try Self.copy(writer, to: path)
    }

    /// Restores a backup to a new database file at `path`, after checking the backup's audit
    /// chain whole; returns how many audit records it holds. Refuses to overwrite a file.
    public static func restore(from backup: String, to path: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: backup) else { throw KernelError.notFound("备份文件 \(backup)") }
        guard !FileManager.default.fileExists(atPath: path) else { throw KernelError.invalidField(field: "db", message: "\(path) 已存在，请先移走") }
        var readOnly = Configuration()
        readOnly.readonly = true
        let source = try DatabaseQueue(path: backup, configuration: readOnly)
        switch try source.read({ db in try AuditLog.verify(in: db) }) {
        case .broken(let recordID, let reason):
            throw BrokenAuditChain(recordID: recordID, reason: reason)
        case .intact(let records):
            try copy(source, to: path)
            return records
        }
    }

    /// One self-contained file (rollback journal, no WAL beside it), synced when closed.
    static func copy(_ source: any DatabaseReader, to path: String) throws {
        let destination = try DatabaseQueue(path: path)
        try source.backup(to: destination)
        try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        try destination.close()
    }

    /// True when the database answers a query.
    public func isHealthy() async -> Bool {
        (try? await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}

/// A backup whose audit chain does not verify is not restored.
public struct BrokenAuditChain: Error, CustomStringConvertible {
    public let recordID: Int64
    public let reason: String
    public var description: String { "备份中的审计日志已被篡改：记录 \(recordID)：\(reason)" }
}

/// The open transaction of a bulk load and how many writes it holds.
final class BulkTransaction: Sendable {
    let commitEvery: Int
    let pending = Mutex(0)

    init(commitEvery: Int) {
        self.commitEvery = max(1, commitEvery)
    }

    func write<T>(_ body: (Database) throws -> T, in db: Database) throws -> T {
        if !db.isInsideTransaction { try db.beginTransaction(.immediate) }
        try db.execute(sql: "SAVEPOINT bulk_write")
        let result: T
        do {
            result = try body(db)
            try db.execute(sql: "RELEASE SAVEPOINT bulk_write")
        } catch {
            try db.execute(sql: "ROLLBACK TO SAVEPOINT bulk_write; RELEASE SAVEPOINT bulk_write")
            throw error
        }
        let due = pending.withLock { count in
            count += 1
            guard count >= commitEvery else { return false }
            count = 0
            return true
        }
        if due { try db.commit() }
        return result
    }
}

/// A few read-only connections taken without waiting: a taken one runs its read at once on the
/// taker's thread, since no one else holds it.
final class LookupConnections: Sendable {
    private let free: Mutex<[DatabaseQueue]>

    init(path: String, count: Int) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        free = Mutex(try (0..<count).map { _ in try DatabaseQueue(path: path, configuration: configuration) })
    }

    /// `body`'s result on a free connection; nil, without running it, when none is free.
    func read<T>(_ body: (Database) throws -> T) throws -> T? {
        guard let connection = free.withLock({ $0.popLast() }) else { return nil }
        defer { free.withLock { $0.append(connection) } }
        return try connection.read(body)
    }
}
