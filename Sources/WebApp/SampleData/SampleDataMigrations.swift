import GRDB
import Kernel

enum SampleDataMigrations: MigrationSet {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("sample-data-1-create-loaded-keys") { db in
            // Which sample records were loaded, so `serve --demo` can run again without duplicates.
            try db.create(table: "sample_data_loaded") { t in
                t.primaryKey("key", .text)
                t.column("target_id", .text).notNull()
            }
        }
    }
}
