import GRDB
import Kernel

public enum SupervisionMigrations: MigrationSet {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("supervision-1-create-scans") { db in
            try db.create(table: "scans") { t in
                t.primaryKey("id", .text)
                t.column("at", .datetime).notNull()
                t.column("certificate_number", .text).indexed()
                t.column("inspector_id", .text).notNull().indexed()
                t.column("region", .text).notNull()
                t.column("valid", .boolean).notNull()
                t.column("document", .jsonText).notNull()
            }
        }
    }
}
