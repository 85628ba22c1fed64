import Foundation
import Kernel

/// Administrators connect external supervision systems: each gets a secret, shown once, to check
/// the signature of every delivery.
public struct WebhookService: Sendable {
    let database: AppDatabase
    let dependencies: Dependencies

    public init(database: AppDatabase, dependencies: Dependencies) {
        self.database = database
        self.dependencies = dependencies
    }

    public struct Created: Sendable {
        public let subscription: WebhookSubscription
        public let secret: String
    }

    public struct Status: Sendable {
        public let subscription: WebhookSubscription
        public let pending: Int
        public let delivered: Int
        public let failed: Int
        public let lastError: String?
    }

    public func create(_ input: NewWebhook, by actor: Actor) async throws -> Created {
        try requireAdmin(actor)
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw SupervisionError.invalidField(field: "name", message: "应为1至100字") }
        guard input.url.count <= 2000, let url = URL(string: input.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              let host = url.host, !host.isEmpty else {
            throw SupervisionError.invalidField(field: "url", message: "应为 http 或 https 地址")
        }
        let events = input.events ?? SupervisionFeed.names
        guard !events.isEmpty else { throw SupervisionError.invalidField(field: "events", message: "至少选择一种事件") }
        for (index, event) in events.enumerated() where !SupervisionFeed.names.contains(event) {
            throw SupervisionError.invalidField(field: "events[\(index)]", message: "可选事件：\(SupervisionFeed.names.joined(separator: "、"))")
        }
        let secret = Data(dependencies.randomBytes(32)).base64URLEncoded
        let subscription = WebhookSubscription(id: dependencies.makeID(), name: name, url: input.url, events: Array(Set(events)).sorted(),
                                               active: true, createdAt: dependencies.now())
        let now = dependencies.now()
        try await database.write { db in
            try WebhookOutbox.insert(subscription, secret: secret, in: db)
            try AuditLog.append(AuditEntry(actor: actor, action: "webhook.created", subject: "webhook/\(subscription.id)",
                                           detail: ["name": name, "url": input.url, "events": subscription.events.joined(separator: ",")]),
                                in: db, at: now)
        }
        return Created(subscription: subscription, secret: secret)
    }

    public func list(by actor: Actor) async throws -> [Status] {
        try requireAdmin(actor)
        return try await database.read { db in
            try WebhookOutbox.subscriptions(activeOnly: false, in: db).map { subscription, _ in
                let counts = try WebhookOutbox.counts(subscription: subscription.id, in: db)
                return Status(subscription: subscription, pending: counts["pending"] ?? 0, delivered: counts["delivered"] ?? 0,
                              failed: counts["failed"] ?? 0, lastError: try WebhookOutbox.lastError(subscription: subscription.id, in: db))
            }
        }
    }

    /// A receiver's deliveries, newest event first, all or those of one status: what the
    /// administrator reads to see what a receiver missed and why.
    public func deliveries(of id: String, status: WebhookDelivery.Status?, page: PageRequest, by actor: Actor) async throws -> Page<WebhookDelivery> {
        try requireAdmin(actor)
        return try await database.read { db in
            guard try WebhookOutbox.exists(id, in: db) else {
                throw SupervisionError.notFound("推送订阅 \(id)")
            }
            return try WebhookOutbox.deliveries(subscription: id, status: status, page: page, in: db)
        }
    }

    public static var deliveryOrder: KeysetOrder { WebhookOutbox.deliveryOrder }

    /// Stops deliveries to a receiver; what it already got stays on record.
    public func deactivate(_ id: String, by actor: Actor) async throws {
        try requireAdmin(actor)
        let now = dependencies.now()
        try await database.write { db in
            guard try WebhookOutbox.deactivate(id, in: db) else { throw SupervisionError.notFound("启用中的推送订阅 \(id)") }
            try AuditLog.append(AuditEntry(actor: actor, action: "webhook.deactivated", subject: "webhook/\(id)"), in: db, at: now)
        }
    }

    func requireAdmin(_ actor: Actor) throws(SupervisionError) {
        guard actor.role == .admin else { throw .forbidden("只有管理员可以管理外部推送") }
    }

    public static func subscribeOutbox(to bus: EventBus) {
        WebhookOutbox.subscribe(to: bus)
    }
}
