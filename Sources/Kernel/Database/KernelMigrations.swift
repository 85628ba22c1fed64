import GRDB

/// The kernel's tables: accounts and sessions, the audit chain, the event outbox, uploaded files.
enum KernelMigrations: MigrationSet {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("kernel-1-create-accounts") { db in
            try db.create(table: "accounts") { t in
                t.primaryKey("id", .text)
                t.column("username", .text).notNull().unique()
                t.column("password_hash", .text).notNull()
                t.column("role", .text).notNull()
                t.column("name", .text).notNull()
                t.column("firm", .text)
                t.column("department", .text)
                t.column("region", .text)
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "sessions") { t in
                t.primaryKey("token_hash", .text)
                t.column("account_id", .text).notNull().references("accounts", onDelete: .cascade)
                t.column("expires_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("kernel-2-create-audit-log") { db in
            try db.create(table: "audit_log") { t in
                t.primaryKey("id", .integer)
                t.column("at", .datetime).notNull()
                t.column("actor_id", .text).notNull()
                t.column("actor_name", .text).notNull()
                t.column("actor_role", .text).notNull()
                t.column("action", .text).notNull()
                t.column("subject", .text).notNull().indexed()
                t.column("before", .text)
                t.column("after", .text)
                t.column("detail", .text)
                t.column("previous_hash", .text).notNull()
                t.column("hash", .text).notNull()
            }
            try db.create(table: "audit_head") { t in
                t.primaryKey("singleton", .integer).check { $0 == 1 }
                t.column("last_id", .integer).notNull()
                t.column("last_hash", .text).notNull()
            }
        }
        migrator.registerMigration("kernel-3-create-domain-events") { db in
            try db.create(table: "domain_events") { t in
                t.primaryKey("id", .integer)
                t.column("name", .text).notNull()
                t.column("subject", .text).notNull().indexed()
                t.column("payload", .text).notNull()
                t.column("occurred_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("kernel-4-create-files") { db in
            try db.create(table: "files") { t in
                t.primaryKey("id", .text)
                t.column("sha256", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("content_type", .text).notNull()
                t.column("owner_firm", .text)
                t.column("uploaded_by", .text).notNull()
                t.column("uploaded_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("kernel-5-create-notifications") { db in
            try db.create(table: "notifications") { t in
                t.primaryKey("id", .text)
                t.column("account_id", .text).notNull().references("accounts")
                t.column("reason", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("text", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("delivered_at", .datetime)
            }
            try db.create(index: "notifications_inbox", on: "notifications", columns: ["account_id", "created_at"])
            try db.create(table: "notification_keys") { t in
                t.primaryKey("key", .text)
                t.column("created_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("kernel-6-create-firms") { db in
            // Firms by their 统一社会信用代码: the name a certificate prints beside the code comes
            // from here, not from what a form said. Existing applicant firms are named by the
            // projects they registered (Approval's migration fills them in).
            try db.create(table: "firms") { t in
                t.primaryKey("uscc", .text)
                t.column("name", .text).notNull()
                t.column("registered_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("kernel-7-sign-in") { db in
            try db.alter(table: "accounts") { t in
                t.add(column: "disabled_at", .datetime)
            }
            // Failed sign-ins, by the name tried (known or not) and by the address they came from.
            try db.create(table: "sign_in_failures") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("username", .text).notNull()
                t.column("address", .text).notNull()
                t.column("at", .datetime).notNull()
            }
            try db.create(index: "sign_in_failures_by_username", on: "sign_in_failures", columns: ["username", "at"])
            try db.create(index: "sign_in_failures_by_address", on: "sign_in_failures", columns: ["address", "at"])
            try db.create(index: "sessions_by_account", on: "sessions", columns: ["account_id"])
            try db.create(index: "sessions_by_expiry", on: "sessions", columns: ["expires_at"])
        }
        migrator.registerMigration("kernel-8-index-accounts-by-role") { db in
            // The helper pick reads the clerks, not every account of every firm.
            try db.create(index: "accounts_by_role", on: "accounts", columns: ["role", "username"])
        }
        migrator.registerMigration("kernel-9-page-notifications") { db in
            // The inbox pages newest first by (created_at, id): with the id in the index a page is
            // a range read in order, not the account's whole inbox sorted for each page.
            try db.execute(sql: """
                DROP INDEX notifications_inbox;
                CREATE INDEX notifications_inbox ON notifications (account_id, created_at, id);
                """)
        }
        migrator.registerMigration("kernel-10-index-files-by-firm") { db in
            // Each upload checks its firm's quota: summed in this index, not over every file.
            try db.create(index: "files_by_firm", on: "files", columns: ["owner_firm", "size"])
        }
    }
}
