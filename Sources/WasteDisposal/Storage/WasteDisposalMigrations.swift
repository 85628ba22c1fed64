import GRDB
import Kernel

/// Waste disposal's own tables, prefixed `waste_`.
public enum WasteDisposalMigrations: MigrationSet {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("waste-disposal-1-create-trips") { db in
            // 电子联单: one row per vehicle trip, opened by a scan at the origin and closed by one at
            // the disposal site; the scans along the way are kept in the document.
            try db.create(table: "waste_trips") { t in
                t.primaryKey("id", .text)
                t.column("application_id", .text).notNull()
                t.column("certificate_number", .text).notNull()
                t.column("plate", .text).notNull()
                t.column("opened_at", .datetime).notNull()
                t.column("closed_at", .datetime)
                t.column("capacity_m3", .double).notNull()
                t.column("document", .jsonText).notNull()
            }
            try db.create(index: "waste_trips_by_application", on: "waste_trips", columns: ["application_id", "opened_at"])
            try db.create(index: "waste_trips_open_by_certificate", on: "waste_trips", columns: ["certificate_number", "closed_at"])
        }
    }
}
