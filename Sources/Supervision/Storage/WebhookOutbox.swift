import Foundation
import GRDB
import Kernel

/// Webhook subscriptions and their deliveries in SQLite. A delivery row is written in the
/// transaction of its event, so an event is never committed without its deliveries, and a
/// process killed mid-send resends on restart (receivers dedupe by the idempotency key).
enum WebhookOutbox {
    static func subscribe(to bus: EventBus) {
        bus.subscribe(anyOf: SupervisionFeed.events) { scope, event in
            guard let eventID = scope.eventID else { return }
            try scope.db.execute(sql: """
                INSERT INTO webhook_deliveries (subscription_id, event_id, status, attempts, next_attempt_at)
                SELECT id, ?, 'pending', 0, ? FROM webhook_subscriptions WHERE active = 1 AND instr(events, ?) > 0
                """, arguments: [eventID, scope.date, ",\(type(of: event).name),"])
        }
    }

    static func insert(_ subscription: WebhookSubscription, secret: String, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO webhook_subscriptions (id, name, url, secret, events, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [subscription.id, subscription.name, subscription.url, secret, "," + subscription.events.joined(separator: ",") + ",",
                             subscription.active, subscription.createdAt])
    }

    static func deactivate(_ id: String, in db: Database) throws -> Bool {
        try db.execute(sql: "UPDATE webhook_subscriptions SET active = 0 WHERE id = ? AND active = 1", arguments: [id])
        return db.changesCount > 0
    }

    static func subscriptions(activeOnly: Bool, in db: Database) throws -> [(subscription: WebhookSubscription, secret: String)] {
        try Row.fetchAll(db, sql: "SELECT * FROM webhook_subscriptions \(activeOnly ? "WHERE active = 1" : "") ORDER BY created_at, id").map { row in
            let events = (row["events"] as String).split(separator: ",").map(String.init)
            return (WebhookSubscription(id: row["id"], name: row["name"], url: row["url"], events: events, active: row["active"],
                                        createdAt: row["created_at"]), row["secret"])
        }
    }

    /// The oldest undelivered events of a subscription, in order: deliveries keep event order, so
    /// a failing one holds back those after it.
    static func pending(of subscription: String, limit: Int, in db: Database) throws -> [PendingDelivery] {
        try Row.fetchAll(db, sql: """
            SELECT d.event_id, d.attempts, d.next_attempt_at, e.name, e.subject, e.payload, e.occurred_at
            FROM webhook_deliveries d JOIN domain_events e ON e.id = d.event_id
            WHERE d.subscription_id = ? AND d.status = 'pending' ORDER BY d.event_id LIMIT ?
            """, arguments: [subscription, limit]).map { row in
            PendingDelivery(eventID: row["event_id"], attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"], name: row["name"],
                            subject: row["subject"], payload: row["payload"], occurredAt: row["occurred_at"])
        }
    }

    static func record(_ outcome: DeliveryOutcome, subscription: String, eventID: Int64, in db: Database) throws {
        switch outcome {
        case .delivered(let status, let at):
            try db.execute(sql: """
                UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ?
                WHERE subscription_id = ? AND event_id = ?
                """, arguments: [status, at, subscription, eventID])
        case .retry(let status, let error, let next):
            try db.execute(sql: """
                UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?
                WHERE subscription_id = ? AND event_id = ?
                """, arguments: [status, error, next, subscription, eventID])
        case .rejected(let status, let error):
            try db.execute(sql: """
                UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1, last_status = ?, last_error = ?
                WHERE subscription_id = ? AND event_id = ?
                """, arguments: [status, error, subscription, eventID])
        }
    }

    static func counts(subscription: String, in db: Database) throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
            SELECT status, COUNT(*) AS n FROM webhook_deliveries WHERE subscription_id = ? GROUP BY status
            """, arguments: [subscription]).map { ($0["status"] as String, $0["n"] as Int) })
    }

    static func lastError(subscription: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT last_error FROM webhook_deliveries WHERE subscription_id = ? AND last_error IS NOT NULL ORDER BY event_id DESC LIMIT 1
            """, arguments: [subscription])
    }
}

struct PendingDelivery: Sendable {
    let eventID: Int64
    let attempts: Int
    let nextAttemptAt: Date
    let name: String
    let subject: String
    let payload: String
    let occurredAt: Date
}

enum DeliveryOutcome: Sendable {
    case delivered(status: Int, at: Date)
    case retry(status: Int?, error: String, next: Date)
    /// Refused for good (a 4xx other than 408/429, after several tries): the queue moves on.
    case rejected(status: Int, error: String)
}
