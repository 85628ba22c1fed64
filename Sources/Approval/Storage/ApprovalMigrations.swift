import GRDB
import Kernel

public enum ApprovalMigrations: MigrationSet {
    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("approval-1-create-projects") { db in
            try db.create(table: "projects") { t in
                t.primaryKey("id", .text)
                t.column("code", .text).notNull().unique()
                t.column("owner_firm", .text).notNull().indexed()
                t.column("builder_uscc", .text).notNull().indexed()
                t.column("contractor_uscc", .text).indexed()
                t.column("document", .jsonText).notNull()
            }
        }
        migrator.registerMigration("approval-2-create-applications") { db in
            // The aggregate is stored whole as JSON; the columns beside it exist for queries.
            try db.create(table: "applications") { t in
                t.primaryKey("id", .text)
                t.column("project_id", .text).notNull().references("projects").indexed()
                t.column("firm", .text).notNull().indexed()
                t.column("status", .text).notNull().indexed()
                t.column("departments", .text).notNull()
                t.column("promised_by", .text)
                t.column("submitted_at", .datetime).notNull()
                t.column("document", .jsonText).notNull()
            }
        }
        migrator.registerMigration("approval-3-create-credit-records") { db in
            try db.create(table: "credit_records") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("firm", .text).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("on_day", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("source", .text).notNull()
                t.column("note", .text).notNull()
            }
        }
        migrator.registerMigration("approval-4-create-application-messages") { db in
            try db.create(table: "application_messages") { t in
                t.primaryKey("id", .text)
                t.column("application_id", .text).notNull().references("applications").indexed()
                t.column("at", .datetime).notNull()
                t.column("document", .jsonText).notNull()
            }
        }
        migrator.registerMigration("approval-5-index-applications-by-project") { db in
            // A site's applications by status, newest first: without it SQLite reads every
            // application of a status in the service and filters by project row by row.
            try db.create(index: "applications_by_project", on: "applications", columns: ["project_id", "status", "submitted_at"])
        }
        migrator.registerMigration("approval-6-name-firms-from-projects") { db in
            // Before the firm register, a firm named itself on each project it registered; its
            // first such project gives the name it is registered under.
            try db.execute(sql: """
                INSERT OR IGNORE INTO firms (uscc, name, registered_at)
                SELECT owner_firm,
                       CASE WHEN builder_uscc = owner_firm THEN json_extract(document, '$.builder.name')
                            ELSE json_extract(document, '$.contractor.name') END,
                       datetime(json_extract(document, '$.createdAt') / 1000.0, 'unixepoch')
                FROM projects WHERE owner_firm = builder_uscc OR owner_firm = contractor_uscc
                ORDER BY rowid
                """)
        }
        migrator.registerMigration("approval-7-create-project-contests") { db in
            try db.create(table: "project_contests") { t in
                t.primaryKey("id", .text)
                t.column("project_id", .text).notNull().references("projects").indexed()
                t.column("firm", .text).notNull()
                t.column("status", .text).notNull().indexed()
                t.column("document", .jsonText).notNull()
            }
        }
        migrator.registerMigration("approval-8-index-application-files") { db in
            // Which application a material file belongs to, as which material: what decides
            // whether a reviewer may read it, without reading every application.
            try db.create(table: "application_files") { t in
                t.column("file_id", .text).notNull().indexed()
                t.column("application_id", .text).notNull().references("applications").indexed()
                t.column("material", .text).notNull()
                t.primaryKey(["application_id", "material", "file_id"])
            }
            try db.execute(sql: """
                INSERT OR IGNORE INTO application_files (file_id, application_id, material)
                SELECT json_extract(m.value, '$.file'), a.id, json_extract(m.value, '$.material')
                FROM applications a, json_each(a.document, '$.materials') m
                WHERE json_extract(m.value, '$.file') IS NOT NULL
                """)
        }
        migrator.registerMigration("approval-9-index-application-lists") { db in
            // Every list of applications pages newest first by (submitted_at, id), each filter an
            // index range: no list, count or pick reads the whole table or a JSON field of each row.
            try db.execute(sql: """
                ALTER TABLE applications ADD COLUMN helper_id TEXT;
                ALTER TABLE applications ADD COLUMN amends TEXT;
                ALTER TABLE applications ADD COLUMN clock TEXT NOT NULL DEFAULT 'closed';
                ALTER TABLE applications DROP COLUMN departments;
                DROP INDEX applications_on_firm;
                DROP INDEX applications_on_status;
                CREATE INDEX applications_by_submission ON applications (submitted_at, id);
                CREATE INDEX applications_by_firm ON applications (firm, submitted_at, id);
                CREATE INDEX applications_by_status ON applications (status, submitted_at, id);
                CREATE INDEX applications_by_clock ON applications (clock, submitted_at, id);
                CREATE INDEX applications_by_helper ON applications (helper_id, submitted_at, id) WHERE helper_id IS NOT NULL;
                CREATE INDEX applications_open_by_helper ON applications (helper_id)
                    WHERE helper_id IS NOT NULL AND status NOT IN ('issued', 'refused', 'withdrawn', 'denied');
                CREATE INDEX applications_amending ON applications (amends) WHERE amends IS NOT NULL;
                CREATE TABLE application_departments (
                    department TEXT NOT NULL,
                    submitted_at DATETIME NOT NULL,
                    application_id TEXT NOT NULL REFERENCES applications(id),
                    status TEXT NOT NULL,
                    clock TEXT NOT NULL,
                    promised_by TEXT,
                    PRIMARY KEY (department, submitted_at, application_id)
                ) WITHOUT ROWID;
                CREATE INDEX application_departments_by_status ON application_departments (department, status, submitted_at, application_id);
                CREATE INDEX application_departments_by_clock ON application_departments (department, clock, submitted_at, application_id);
                CREATE INDEX application_departments_of_application ON application_departments (application_id);
                """)
            for id in try String.fetchAll(db, sql: "SELECT id FROM applications") {
                if let application = try SQLiteApprovalStore.application(id: id, in: db) { try indexAsOfApproval9(application, in: db) }
            }
        }
        migrator.registerMigration("approval-10-index-credit-by-firm-and-day") { db in
            // A firm's standing is counted by kind over its window's days in this index alone, on
            // every submission and acceptance, however long its record.
            try db.create(index: "credit_records_by_firm_day", on: "credit_records", columns: ["firm", "on_day", "kind"])
            try db.drop(index: "credit_records_on_firm")
        }
        migrator.registerMigration("approval-11-index-messages-in-order") { db in
            // A conversation's page is a range of this index, read in order.
            try db.create(index: "application_messages_by_application", on: "application_messages", columns: ["application_id", "at", "id"])
            try db.drop(index: "application_messages_on_application_id")
        }
        migrator.registerMigration("approval-12-index-credit-records-and-messages-by-time") { db in
            // A firm's record page, newest first, and a conversation's page, oldest first, are each
            // one range of an index read in order: the rowid, their tie-break, ends every index. The
            // credit window's days are checked on the rows read.
            try db.create(index: "credit_records_by_firm_time", on: "credit_records", columns: ["firm", "at"])
            try db.create(index: "application_messages_by_time", on: "application_messages", columns: ["application_id", "at"])
            try db.drop(index: "application_messages_by_application")
        }
        migrator.registerMigration("approval-13-index-issued-applications") { db in
            // The permits issued in a week are counted in this index's range: no issuance date is
            // read out of each application's document.
            try db.execute(sql: """
                ALTER TABLE applications ADD COLUMN issued_at DATETIME;
                UPDATE applications SET issued_at = strftime('%Y-%m-%d %H:%M:%f', json_extract(document, '$.issuedAt') / 1000.0, 'unixepoch')
                WHERE status = 'issued';
                CREATE INDEX applications_by_issuance ON applications (issued_at) WHERE issued_at IS NOT NULL;
                """)
        }
        migrator.registerMigration("approval-14-index-departments-pending-review") { db in
            // A reviewer's queue is the applications in which its department still has an item to
            // decide: counted in the department's row, nought once review is no longer possible, so
            // the partial index holds the work in hand and never the city's history.
            try db.execute(sql: """
                ALTER TABLE application_departments ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
                UPDATE application_departments AS d SET pending = (
                    SELECT COUNT(*) FROM applications a, json_each(a.document, '$.items') i
                    WHERE a.id = d.application_id AND json_extract(i.value, '$.department') = d.department
                      AND json_extract(i.value, '$.status') = 'pending')
                WHERE d.status IN ('accepted', 'accepted-with-deficiencies', 'under-review');
                CREATE INDEX application_departments_pending ON application_departments (department, submitted_at, application_id)
                    WHERE pending > 0;
                """)
        }
        migrator.registerMigration("approval-15-keep-list-rows") { db in
            // A page of 50 applications decoded 50 documents (with their forms) and encoded 50
            // answers: ≈ 13 ms of a core. Each transaction now keeps the row as lists show it.
            try db.execute(sql: """
                ALTER TABLE applications ADD COLUMN list_base TEXT;
                ALTER TABLE applications ADD COLUMN list_items TEXT;
                ALTER TABLE applications ADD COLUMN accepted_on TEXT;
                ALTER TABLE applications ADD COLUMN legal_by TEXT;
                ALTER TABLE application_departments ADD COLUMN list_items TEXT;
                """)
            for id in try String.fetchAll(db, sql: "SELECT id FROM applications") {
                if let application = try SQLiteApprovalStore.application(id: id, in: db) { try ApplicationListing.keepListRow(application, in: db) }
            }
        }
    }

    /// The rows approval-9 wrote, in the columns it created: `ApplicationListing.index` writes
    /// columns added since, which a database this old gains only in the later migrations.
    private static func indexAsOfApproval9(_ application: Application, in db: Database) throws {
        try db.execute(sql: "UPDATE applications SET helper_id = ?, amends = ?, clock = ? WHERE id = ?",
                       arguments: [application.helper?.id, application.amends, application.deadlineClock.rawValue, application.id])
        for department in Set(application.departments) {
            try db.execute(sql: """
                INSERT INTO application_departments (department, submitted_at, application_id, status, clock, promised_by) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [department, application.submittedAt, application.id, application.status.rawValue,
                                 application.deadlineClock.rawValue, application.promisedBy?.description])
        }
    }
}
