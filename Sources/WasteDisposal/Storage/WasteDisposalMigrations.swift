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
    
        migrator.registerMigration("waste-disposal-2-reconciliation") { db in
            try db.alter(table: "waste_trips") { t in
                t.add(column: "disposal_site", .text)
                t.add(column: "flagged_at", .datetime)
            }
            // The sweep's question — open, not yet flagged, opened before a time — read from a
            // partial index that holds only the open, unflagged trips.
            try db.execute(sql: """
                CREATE INDEX waste_trips_unclosed ON waste_trips (opened_at) WHERE closed_at IS NULL AND flagged_at IS NULL
                """)
            // Running totals kept in the scan's transaction: the volume an application's vehicles
            // carried and delivered, and what each disposal site received.
            try db.create(table: "waste_volumes") { t in
                t.primaryKey("application_id", .text)
                t.column("carried_m3", .double).notNull()
                t.column("confirmed_m3", .double).notNull()
            }
            try db.create(table: "waste_site_intake") { t in
                t.primaryKey("site_id", .text)
                t.column("confirmed_m3", .double).notNull()
            }
            // One task per subject and kind (an application over its volume, a site over capacity).
            try db.create(table: "waste_alerts") { t in
                t.column("subject", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("task_id", .text).notNull()
                t.primaryKey(["subject", "kind"])
            }
        }
    
        migrator.registerMigration("waste-disposal-3-confirmations") { db in
            // 跨域确认: the disposal region's queue of applications awaiting its confirmation.
            try db.create(table: "waste_confirmations") { t in
                t.primaryKey("application_id", .text)
                t.column("region", .text).notNull()
                t.column("department", .text).notNull()
                t.column("due_on", .text).notNull()
                t.column("confirmed_at", .datetime)
            }
            try db.create(index: "waste_confirmations_queue", on: "waste_confirmations", columns: ["region", "department", "confirmed_at", "due_on"])
        }
    
        migrator.registerMigration("waste-disposal-4-vehicle-register") { db in
            // 运输车辆登记: the transport firms' vehicles an application may name.
            try db.create(table: "waste_vehicles") { t in
                t.primaryKey("plate", .text)
                t.column("transporter_uscc", .text).notNull().indexed()
                t.column("deregistered_at", .datetime)
                t.column("document", .jsonText).notNull()
            }
        }
    
        migrator.registerMigration("waste-disposal-5-applications-by-firm") { db in
            // The capability's own index of its applications, for the per-firm view.
            try db.create(table: "waste_applications") { t in
                t.primaryKey("application_id", .text)
                t.column("firm", .text).notNull()
                t.column("submitted_at", .datetime).notNull()
            }
            try db.create(index: "waste_applications_by_firm", on: "waste_applications", columns: ["firm", "submitted_at"])
        }
    
        migrator.registerMigration("waste-disposal-6-approved-volume") { db in
            // What a trip is reconciled against, read by key on every new trip instead of decoding
            // the whole application with its plan.
            try db.alter(table: "waste_applications") { t in
                t.add(column: "approved_m3", .double)
                t.add(column: "origin", .text)
            }
            try db.execute(sql: """
                UPDATE waste_applications SET
                  approved_m3 = (SELECT json_extract(json_extract(a.document, '$.annex.document'), '$.volumeM3') FROM applications a
                                 WHERE a.id = waste_applications.application_id),
                  origin = (SELECT json_extract(json_extract(a.document, '$.annex.document'), '$.route.origin') FROM applications a
                            WHERE a.id = waste_applications.application_id)
                """)
        }
        migrator.registerMigration("waste-disposal-7-confirmations-in-order") { db in
            // A region's queue page is one range of this index in order, ties by application.
            try db.create(index: "waste_confirmations_by_due", on: "waste_confirmations",
                          columns: ["region", "department", "confirmed_at", "due_on", "application_id"])
            try db.drop(index: "waste_confirmations_queue")
        }

        migrator.registerMigration("waste-disposal-8-trip-figures") { db in
            // The office's figures of a permit, kept by each scan's transaction so that its page
            // reads a few rows instead of decoding every trip: trips and open trips beside the
            // volumes; trips and load by quarter hour (UTC, so any time zone's days are whole
            // quarters of it and the bureau's calendar groups them when read); scans by region;
            // trips by vehicle certificate. Counted from the trips already recorded.
            try db.execute(sql: """
                ALTER TABLE waste_volumes ADD COLUMN trips INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE waste_volumes ADD COLUMN open_trips INTEGER NOT NULL DEFAULT 0;
                UPDATE waste_volumes SET
                  trips = (SELECT COUNT(*) FROM waste_trips t WHERE t.application_id = waste_volumes.application_id),
                  open_trips = (SELECT COUNT(*) FROM waste_trips t WHERE t.application_id = waste_volumes.application_id AND t.closed_at IS NULL);
                CREATE TABLE waste_trip_quarters (
                  application_id TEXT NOT NULL, quarter INTEGER NOT NULL, trips INTEGER NOT NULL, carried_m3 DOUBLE NOT NULL,
                  PRIMARY KEY (application_id, quarter)) WITHOUT ROWID;
                INSERT INTO waste_trip_quarters (application_id, quarter, trips, carried_m3)
                  SELECT application_id, CAST(strftime('%s', opened_at) AS INTEGER) / 900, COUNT(*), SUM(capacity_m3)
                  FROM waste_trips GROUP BY 1, 2;
                CREATE TABLE waste_scan_regions (
                  application_id TEXT NOT NULL, region TEXT NOT NULL, scans INTEGER NOT NULL,
                  PRIMARY KEY (application_id, region)) WITHOUT ROWID;
                INSERT INTO waste_scan_regions (application_id, region, scans)
                  SELECT t.application_id, json_extract(scan.value, '$.region'), COUNT(*)
                  FROM waste_trips t, json_each(t.document, '$.scans') scan GROUP BY 1, 2;
                CREATE TABLE waste_certificate_trips (
                  application_id TEXT NOT NULL, certificate_number TEXT NOT NULL, trips INTEGER NOT NULL,
                  PRIMARY KEY (application_id, certificate_number)) WITHOUT ROWID;
                INSERT INTO waste_certificate_trips (application_id, certificate_number, trips)
                  SELECT application_id, certificate_number, COUNT(*) FROM waste_trips GROUP BY 1, 2;
                """)
        }
    }
}
