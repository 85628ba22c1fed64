import Foundation
import GRDB
import Synchronization

/// Something that happened, recorded in the outbox in the same transaction as the change that
/// caused it. Event types live in the kernel so that a module can react to one without importing
/// the module that emits it.
public protocol DomainEvent: Codable, Sendable {
    static var name: String { get }
    /// `kind/id` of the thing the event is about; deliveries keep order per subject.
    var subject: String { get }
}

/// Where a subscriber runs: the emitting transaction, its time, and the bus, so that a subscriber
/// can publish what its own change causes (an inspection's violation suspends a certificate, whose
/// suspension reaches the queues) within the same transaction.
public struct EventScope {
    public let db: Database
    public let date: Date
    public let bus: EventBus
    /// The outbox row of the event being handled; nil outside a subscriber.
    public let eventID: Int64?
    /// What the publisher already held when it published (e.g. a record it had just read and
    /// decoded), handed to the in-process subscribers so that they need not read it again; never
    /// written to the outbox, so external deliveries are the same with or without it. A subscriber
    /// must check that it still holds before relying on it.
    public let attachment: (any Sendable)?

    public init(db: Database, date: Date, bus: EventBus, eventID: Int64? = nil, attachment: (any Sendable)? = nil) {
        self.db = db
        self.date = date
        self.bus = bus
        self.eventID = eventID
        self.attachment = attachment
    }

    public func publish(_ event: some DomainEvent, attaching attachment: (any Sendable)? = nil) throws {
        try bus.publish(event, in: db, at: date, attaching: attachment)
    }
}

/// In-process subscribers, run inside the emitting transaction: a subscriber's failure rolls the
/// whole change back, so a permit is never issued without what must come with it.
///
/// A reference type, so services built before the last subscription still reach every subscriber.
public final class EventBus: Sendable {
    public typealias Handler = @Sendable (EventScope, any DomainEvent) throws -> Void
    private let handlers = Mutex<[String: [Handler]]>([:])

    public init() {}

    public func subscribe<Event: DomainEvent>(_ type: Event.Type, _ handler: @escaping @Sendable (EventScope, Event) throws -> Void) {
        handlers.withLock { handlers in
            handlers[Event.name, default: []].append { scope, event in
                if let event = event as? Event { try handler(scope, event) }
            }
        }
    }

    /// One handler for several event types, e.g. everything delivered to external systems.
    public func subscribe(anyOf types: [any DomainEvent.Type], _ handler: @escaping @Sendable (EventScope, any DomainEvent) throws -> Void) {
        handlers.withLock { handlers in
            for type in types { handlers[type.name, default: []].append(handler) }
        }
    }

    /// Writes `event` to the outbox and runs its subscribers, both in the caller's transaction;
    /// `attachment` reaches the subscribers only (`EventScope.attachment`).
    public func publish(_ event: some DomainEvent, in db: Database, at date: Date, attaching attachment: (any Sendable)? = nil) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let payload = String(decoding: try encoder.encode(event), as: UTF8.self)
        try db.cachedStatement(sql: "INSERT INTO domain_events (name, subject, payload, occurred_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [type(of: event).name, event.subject, payload, date])
        let scope = EventScope(db: db, date: date, bus: self, eventID: db.lastInsertedRowID, attachment: attachment)
        for handler in handlers.withLock({ $0[type(of: event).name] ?? [] }) {
            try handler(scope, event)
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
