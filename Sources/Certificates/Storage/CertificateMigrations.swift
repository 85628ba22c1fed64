import GRDB
import Kernel

public enum CertificateMigrations: MigrationSet {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("certificates-1-create-certificates") { db in
            try db.create(table: "certificate_serials") { t in
                t.column("region", .text).notNull()
                t.column("year", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("last_serial", .integer).notNull()
                t.primaryKey(["region", "year", "kind"])
            }
            try db.create(table: "certificates") { t in
                t.primaryKey("number", .text)
                t.column("application_id", .text).notNull().indexed()
                t.column("holder_uscc", .text).notNull().indexed()
                t.column("district", .text).notNull()
                t.column("status", .text).notNull()
                t.column("document", .jsonText).notNull()
            }
        }
        migrator.registerMigration("certificates-2-revision") { db in
            try db.alter(table: "certificates") { t in
                t.add(column: "revision", .integer).notNull().defaults(to: 0)
            }
        }
        migrator.registerMigration("certificates-3-project-code") { db in
            // A site's certificates, current ones first to hand: what a permit at the site is
            // checked against, without reading the site's applications.
            try db.alter(table: "certificates") { t in
                t.add(column: "project_code", .text)
            }
            try db.execute(sql: "UPDATE certificates SET project_code = json_extract(document, '$.projectCode')")
            try db.create(index: "certificates_by_project", on: "certificates", columns: ["project_code", "status"])
        }
        migrator.registerMigration("certificates-4-subject") { db in
            // A subject's certificates across every permit that names it: what ends them when
            // the subject itself is withdrawn.
            try db.alter(table: "certificates") { t in
                t.add(column: "subject", .text)
            }
            try db.execute(sql: """
                UPDATE certificates SET subject = json_extract(document, '$.subject.kind') || '/' || json_extract(document, '$.subject.id')
                WHERE json_extract(document, '$.subject') IS NOT NULL
                """)
            try db.execute(sql: "CREATE INDEX certificates_by_subject ON certificates(subject) WHERE subject IS NOT NULL")
        }
        migrator.registerMigration("certificates-5-issued-at") { db in
            // The register of issued certificates, in the order of issue, pages through this index
            // from a day on: no issuance time is read out of each certificate's document.
            try db.execute(sql: """
                ALTER TABLE certificates ADD COLUMN issued_at DATETIME;
                UPDATE certificates SET issued_at = strftime('%Y-%m-%d %H:%M:%f', json_extract(document, '$.issuedAt') / 1000.0, 'unixepoch');
                CREATE INDEX certificates_by_issuance ON certificates (issued_at, number);
                """)
        }
        migrator.registerMigration("certificates-6-index-issuance-by-district") { db in
            // The public register (定期公告) of one district, newest first, pages through this
            // index instead of walking every district's certificates for the few of one.
            try db.execute(sql: "CREATE INDEX certificates_by_district_issuance ON certificates (district, issued_at, number)")
        }
    }
}
