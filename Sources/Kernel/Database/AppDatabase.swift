import Foundation
import GRDB

/// A module's contribution to the schema: its migrations, registered in order, append-only.
public protocol MigrationSet: Sendable {
    static func register(in migrator: inout DatabaseMigrator)
}

/// The one database of the process: a WAL `DatabasePool` on SQLite, migrated at open.
public struct AppDatabase: Sendable {
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` and runs every module's migrations.
    public init(path: String, migrations: [any MigrationSet.Type]) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        for set in [KernelMigrations.self] + migrations {
            set.register(in: &migrator)
        }
        try migrator.migrate(pool)
        writer = pool
    }

    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(body)
    }

    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// True when the database answers a query.
    public func isHealthy() async -> Bool {
        (try? await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
