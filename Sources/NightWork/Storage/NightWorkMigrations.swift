import GRDB
import Kernel

/// Night work's own tables, prefixed `night_work_` and `noise_`.
public enum NightWorkMigrations: MigrationSet {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("night-work-1-create-notices-and-complaints") { db in
            // 网络公示: one row per issued certificate that permits night work.
            try db.create(table: "night_work_notices") { t in
                t.primaryKey("certificate_number", .text)
                t.column("application_id", .text).notNull()
                t.column("project_id", .text).notNull().indexed()
                t.column("district", .text).notNull()
                t.column("first_night", .text).notNull()
                t.column("last_night", .text).notNull()
                t.column("document", .jsonText).notNull()
            }
            try db.create(index: "night_work_notices_current", on: "night_work_notices", columns: ["district", "last_night"])
            try db.create(table: "night_work_complaints") { t in
                t.primaryKey("id", .text)
                t.column("certificate_number", .text).notNull().indexed()
                t.column("phone", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("task_id", .text).notNull()
                t.column("document", .jsonText).notNull()
            }
            try db.create(index: "night_work_complaints_by_phone", on: "night_work_complaints", columns: ["phone", "at"])
        }
        migrator.registerMigration("night-work-2-create-noise-monitoring") { db in
            try db.create(table: "noise_devices") { t in
                t.primaryKey("id", .text)
                t.column("project_id", .text).notNull().indexed()
                t.column("project_code", .text).notNull()
                t.column("name", .text).notNull()
                t.column("token_hash", .text).notNull().unique()
                t.column("created_at", .datetime).notNull()
                t.column("revoked_at", .datetime)
            }
            try db.create(table: "noise_readings") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("device_id", .text).notNull()
                t.column("project_id", .text).notNull()
                // Unix seconds: readings come by the thousand, so no date text is formatted for each.
                t.column("at", .double).notNull()
                t.column("dba", .double).notNull()
                // The night a reading belongs to (its evening's date); NULL by day.
                t.column("night", .text)
            }
            try db.create(index: "noise_readings_by_site", on: "noise_readings", columns: ["project_id", "night", "at"])
            // One alert per site, night and kind: later readings of that night add to it.
            try db.create(table: "noise_alerts") { t in
                t.column("project_id", .text).notNull()
                t.column("night", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("task_id", .text).notNull()
                t.column("raised_at", .datetime).notNull()
                t.column("readings", .integer).notNull()
                t.column("max_dba", .double).notNull()
                t.primaryKey(["project_id", "night", "kind"])
            }
            try db.create(index: "noise_alerts_recent", on: "noise_alerts", columns: ["project_id", "raised_at"])
        }
        migrator.registerMigration("night-work-3-page-the-register") { db in
            // The public register pages by (last_night, certificate_number), in a district or in
            // all: each page a range of the notices still current, read in order.
            try db.execute(sql: """
                DROP INDEX night_work_notices_current;
                CREATE INDEX night_work_notices_current ON night_work_notices (district, last_night, certificate_number);
                CREATE INDEX night_work_notices_ending ON night_work_notices (last_night, certificate_number);
                """)
        }
    }
}
