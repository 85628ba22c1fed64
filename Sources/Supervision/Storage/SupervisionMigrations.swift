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
        migrator.registerMigration("supervision-2-create-tasks-and-inspections") { db in
            try db.create(table: "supervision_tasks") { t in
                t.primaryKey("id", .text)
                t.column("certificate_number", .text).notNull().indexed()
                t.column("application_id", .text).notNull().indexed()
                t.column("department", .text).notNull()
                t.column("region", .text).notNull()
                t.column("status", .text).notNull()
                t.column("first_inspection", .boolean).notNull()
                t.column("follow_up_of", .text)
                t.column("opened_on", .text).notNull()
                t.column("due_on", .text).notNull()
                t.column("closed_on", .text)
                t.column("document", .jsonText).notNull()
            }
            try db.create(index: "supervision_tasks_queue", on: "supervision_tasks", columns: ["department", "region", "status", "due_on"])
            try db.create(table: "inspections") { t in
                t.primaryKey("id", .text)
                t.column("task_id", .text).notNull().indexed()
                t.column("inspector_id", .text).notNull()
                t.column("idempotency_key", .text)
                t.column("request_hash", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("document", .jsonText).notNull()
                t.uniqueKey(["inspector_id", "idempotency_key"])
            }
        }
        migrator.registerMigration("supervision-3-create-webhooks") { db in
            try db.create(table: "webhook_subscriptions") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("url", .text).notNull()
                t.column("secret", .text).notNull()
                t.column("events", .text).notNull()
                t.column("active", .boolean).notNull()
                t.column("created_at", .datetime).notNull()
            }
            // One row per subscription and event, written with the event; delivered in event order.
            try db.create(table: "webhook_deliveries") { t in
                t.column("subscription_id", .text).notNull().references("webhook_subscriptions")
                t.column("event_id", .integer).notNull().references("domain_events")
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull()
                t.column("next_attempt_at", .datetime).notNull()
                t.column("last_status", .integer)
                t.column("last_error", .text)
                t.column("delivered_at", .datetime)
                t.primaryKey(["subscription_id", "event_id"])
            }
            try db.create(index: "webhook_deliveries_queue", on: "webhook_deliveries", columns: ["subscription_id", "status", "event_id"])
        }
        migrator.registerMigration("supervision-4-create-random-draws") { db in
            try db.create(table: "random_draws") { t in
                t.primaryKey("id", .text)
                t.column("at", .datetime).notNull().indexed()
                t.column("department", .text).notNull()
                t.column("region", .text).notNull()
                t.column("document", .jsonText).notNull()
            }
        }
        migrator.registerMigration("supervision-5-index-queues-and-overview") { db in
            // A queue pages by (due_on, opened_on, id) inside one index range, and the overview
            // counts and picks through indexes of the active and the first-inspection tasks: none
            // reads the tasks' history.
            try db.execute(sql: """
                DROP INDEX supervision_tasks_queue;
                CREATE INDEX supervision_tasks_queue ON supervision_tasks (department, region, status, due_on, opened_on, id);
                CREATE INDEX supervision_tasks_active_queue ON supervision_tasks (department, region, due_on, opened_on, id)
                    WHERE \(TaskQueue.isActive);
                CREATE INDEX supervision_tasks_active_by_department ON supervision_tasks (department, due_on) WHERE \(TaskQueue.isActive);
                CREATE INDEX supervision_tasks_awaiting_first ON supervision_tasks (due_on, id)
                    WHERE \(TaskQueue.isActive) AND \(TaskQueue.isFirstInspection);
                CREATE INDEX supervision_tasks_first_by_opening ON supervision_tasks (opened_on, status, closed_on, due_on)
                    WHERE \(TaskQueue.isFirstInspection);
                """)
        }
        migrator.registerMigration("supervision-6-page-random-draws") { db in
            // The public draws page newest first by (at, id): with the id in the index a page is
            // read in order, not every draw ever made sorted for each page.
            try db.execute(sql: """
                DROP INDEX random_draws_on_at;
                CREATE INDEX random_draws_by_time ON random_draws (at, id);
                """)
        }
        migrator.registerMigration("supervision-7-scan-idempotency-keys") { db in
            // A scan kept on a phone without network is sent again until an answer arrives: its
            // key finds the first recording instead of writing a second one.
            try db.execute(sql: """
                ALTER TABLE scans ADD COLUMN idempotency_key TEXT;
                ALTER TABLE scans ADD COLUMN request_hash TEXT;
                CREATE UNIQUE INDEX scans_by_idempotency_key ON scans (inspector_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
                """)
        }
        migrator.registerMigration("supervision-8-count-webhook-deliveries") { db in
            // A receiver's figures are kept as its deliveries are written and settled, so the
            // administrator's list reads one row per figure instead of counting years of deliveries.
            try db.execute(sql: """
                CREATE TABLE webhook_delivery_counts (
                    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions(id),
                    status TEXT NOT NULL,
                    n INTEGER NOT NULL,
                    PRIMARY KEY (subscription_id, status)
                ) WITHOUT ROWID;
                INSERT INTO webhook_delivery_counts (subscription_id, status, n)
                    SELECT subscription_id, status, COUNT(*) FROM webhook_deliveries GROUP BY subscription_id, status;
                ALTER TABLE webhook_subscriptions ADD COLUMN last_error TEXT;
                UPDATE webhook_subscriptions SET last_error = (
                    SELECT last_error FROM webhook_deliveries d
                    WHERE d.subscription_id = webhook_subscriptions.id AND d.last_error IS NOT NULL ORDER BY d.event_id DESC LIMIT 1);
                """)
        }
        migrator.registerMigration("supervision-9-index-active-tasks-by-due-date") { db in
            // The bureau's dashboard names the tasks longest overdue across every department: the
            // active tasks in due order, read from the front until the few it shows.
            try db.execute(sql: "CREATE INDEX supervision_tasks_active_by_due ON supervision_tasks (due_on, id) WHERE \(TaskQueue.isActive)")
        }
    }
}
