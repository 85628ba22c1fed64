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
            let receivers = "SELECT id FROM webhook_subscriptions WHERE active = 1 AND instr(events, ?) > 0"
            let event = ",\(type(of: event).name),"
            // Cached statements: every event on the feed (each scan's among them) runs both.
            try scope.db.cachedStatement(sql: """
                INSERT INTO webhook_deliveries (subscription_id, event_id, status, attempts, next_attempt_at)
                SELECT id, ?, 'pending', 0, ? FROM (\(receivers))
                """).execute(arguments: [eventID, scope.date, event])
            try scope.db.cachedStatement(sql: """
                INSERT INTO webhook_delivery_counts (subscription_id, status, n) SELECT id, 'pending', 1 FROM (\(receivers)) WHERE true
                ON CONFLICT (subscription_id, status) DO UPDATE SET n = n + 1
                """).execute(arguments: [event])
        }
    }

    /// Moves one delivery from one figure to another, in the transaction that settles it.
    static func recount(subscription: String, from: String, to: String, in db: Database) throws {
        try db.execute(sql: "UPDATE webhook_delivery_counts SET n = n - 1 WHERE subscription_id = ? AND status = ?", arguments: [subscription, from])
        try db.execute(sql: """
            INSERT INTO webhook_delivery_counts (subscription_id, status, n) VALUES (?, ?, 1)
            ON CONFLICT (subscription_id, status) DO UPDATE SET n = n + 1
            """, arguments: [subscription, to])
    }

    static func insert(_ subscription: WebhookSubscription, secret: String, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO webhook_subscriptions (id, name, url, secret, events, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [subscription.id, subscription.name, subscription.url, secret, "," + subscription.events.joined(separator: ",") + ",",
                             subscription.active, subscription.createdAt])
    }

    static func exists(_ id: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM webhook_subscriptions WHERE id = ?", arguments: [id]) ?? false
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
                WHERE subscription_id = ? AND event_id = ? AND status = 'pending'
                """, arguments: [status, at, subscription, eventID])
            if db.changesCount > 0 { try recount(subscription: subscription, from: "pending", to: "delivered", in: db) }
            try db.execute(sql: "UPDATE webhook_subscriptions SET last_error = NULL WHERE id = ?", arguments: [subscription])
        case .retry(let status, let error, let next):
            try db.execute(sql: """
                UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?
                WHERE subscription_id = ? AND event_id = ?
                """, arguments: [status, error, next, subscription, eventID])
            try db.execute(sql: "UPDATE webhook_subscriptions SET last_error = ? WHERE id = ?", arguments: [error, subscription])
        case .rejected(let status, let error):
            try db.execute(sql: """
                UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1, last_status = ?, last_error = ?
                WHERE subscription_id = ? AND event_id = ? AND status = 'pending'
                """, arguments: [status, error, subscription, eventID])
            if db.changesCount > 0 { try recount(subscription: subscription, from: "pending", to: "failed", in: db) }
            try db.execute(sql: "UPDATE webhook_subscriptions SET last_error = ? WHERE id = ?", arguments: [error, subscription])
        }
    }

    static func counts(subscription: String, in db: Database) throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT status, n FROM webhook_delivery_counts WHERE subscription_id = ?",
                                                          arguments: [subscription]).map { ($0["status"] as String, $0["n"] as Int) })
    }

    /// A receiver's deliveries, newest event first, each with what the receiver last answered.
    static let deliveryOrder = KeysetOrder("event_id", descending: true)

    static func deliveriesStatement(subscription: String, status: WebhookDelivery.Status?, page: PageRequest)
        -> (sql: String, arguments: StatementArguments) {
        deliveryOrder.statement("""
            SELECT event_id, status, attempts, next_attempt_at, last_status, last_error, delivered_at,
                   (SELECT name FROM domain_events WHERE id = event_id) AS event, (SELECT subject FROM domain_events WHERE id = event_id) AS subject
            FROM webhook_deliveries
            """, where: ["subscription_id = ?"] + (status == nil ? [] : ["status = ?"]),
            arguments: [subscription] + (status.map { [$0.rawValue] } ?? []), page: page)
    }

    static func deliveries(subscription: String, status: WebhookDelivery.Status?, page: PageRequest, in db: Database) throws -> Page<WebhookDelivery> {
        try deliveryOrder.page(deliveriesStatement(subscription: subscription, status: status, page: page), page, in: db) { row in
            let status: WebhookDelivery.Status = WebhookDelivery.Status(rawValue: row["status"]) ?? .pending
            return WebhookDelivery(eventId: row["event_id"], event: row["event"], subject: row["subject"], status: status, attempts: row["attempts"],
                                   nextAttemptAt: status == .pending ? row["next_attempt_at"] : nil, lastStatus: row["last_status"],
                                   lastError: row["last_error"], deliveredAt: row["delivered_at"])
        }
    }

    static func lastError(subscription: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT last_error FROM webhook_subscriptions WHERE id = ?", arguments: [subscription])
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
