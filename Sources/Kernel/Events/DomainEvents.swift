import Foundation
import GRDB

/// Something that happened, recorded in the outbox in the same transaction as the change that
/// caused it. Event types live in the kernel so that a module can react to one without importing
/// the module that emits it.
public protocol DomainEvent: Codable, Sendable {
    static var name: String { get }
    /// `kind/id` of the thing the event is about; deliveries keep order per subject.
    var subject: String { get }
}

/// In-process subscribers, run inside the emitting transaction: a subscriber's failure rolls the
/// whole change back, so a permit is never issued without what must come with it.
public struct EventBus: Sendable {
    public typealias Handler = @Sendable (Database, any DomainEvent) throws -> Void
    private var handlers: [String: [Handler]] = [:]

    public init() {}

    public mutating func subscribe<Event: DomainEvent>(_ type: Event.Type, _ handler: @escaping @Sendable (Database, Event) throws -> Void) {
        handlers[Event.name, default: []].append { db, event in
            if let event = event as? Event { try handler(db, event) }
        }
    }

    /// Writes `event` to the outbox and runs its subscribers, both in the caller's transaction.
    public func publish(_ event: some DomainEvent, in db: Database, at date: Date) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let payload = String(decoding: try encoder.encode(event), as: UTF8.self)
        try db.execute(sql: "INSERT INTO domain_events (name, subject, payload, occurred_at) VALUES (?, ?, ?, ?)",
                       arguments: [type(of: event).name, event.subject, payload, date])
        for handler in handlers[type(of: event).name] ?? [] {
            try handler(db, event)
        }
    }
}

public struct RecordedEvent: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let subject: String
    public let payload: String
    public let occurredAt: Date

    public static func all(subject: String, in db: Database) throws -> [RecordedEvent] {
        try Row.fetchAll(db, sql: "SELECT * FROM domain_events WHERE subject = ? ORDER BY id", arguments: [subject]).map {
            RecordedEvent(id: $0["id"], name: $0["name"], subject: $0["subject"], payload: $0["payload"], occurredAt: $0["occurred_at"])
        }
    }
}
