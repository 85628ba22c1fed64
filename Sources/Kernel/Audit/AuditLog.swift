import Crypto
import Foundation
import GRDB

/// One recorded step (全过程留痕): who did what to which subject, and the state before and after.
public struct AuditEntry: Sendable {
    public var actor: Actor
    public var action: String
    /// `kind/id`, e.g. `application/3f2…`; a subject's entries form its timeline.
    public var subject: String
    public var before: [String: String]?
    public var after: [String: String]?
    public var detail: [String: String]?

    public init(actor: Actor, action: String, subject: String, before: [String: String]? = nil, after: [String: String]? = nil, detail: [String: String]? = nil) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.before = before
        self.after = after
        self.detail = detail
    }
}

public struct AuditRecord: Sendable, Equatable {
    public let id: Int64
    public let at: Date
    public let actorID: String
    public let actorName: String
    public let actorRole: String
    public let action: String
    public let subject: String
    public let before: [String: String]?
    public let after: [String: String]?
    public let detail: [String: String]?
}

/// An append-only, hash-chained log. Each record's hash covers its content and the previous
/// record's hash, and the head of the chain is kept apart, so an edited, deleted or appended-by-hand
/// row breaks verification.
public enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    /// Appends inside the caller's transaction, so the record commits with the change it describes.
    public static func append(_ entry: AuditEntry, in db: Database, at date: Date) throws {
        // Cached statements: every change appends several records.
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1"))
        let previousHash: String = head?["last_hash"] ?? genesis
        let id: Int64 = (head?["last_id"] ?? 0) + 1
        let before = encode(entry.before), after = encode(entry.after), detail = encode(entry.detail)
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let storedDate = Date(timeIntervalSince1970: Double(millis) / 1000)
        let hash = chainHash(previous: previousHash, id: id, millis: millis, actorID: entry.actor.id, actorName: entry.actor.name,
                             actorRole: entry.actor.role.rawValue, action: entry.action, subject: entry.subject,
                             before: before, after: after, detail: detail)
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (id, at, actor_id, actor_name, actor_role, action, subject, before, after, detail, previous_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, storedDate, entry.actor.id, entry.actor.name, entry.actor.role.rawValue, entry.action, entry.subject,
                             before, after, detail, previousHash, hash])
        try db.cachedStatement(sql: """
            INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?)
            ON CONFLICT(singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash
            """).execute(arguments: [id, hash])
    }

    public static func records(subject: String, in db: Database) throws -> [AuditRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE subject = ? ORDER BY id", arguments: [subject]).map(record(from:))
    }

    public enum Verification: Equatable, Sendable {
        case intact(records: Int)
        case broken(recordID: Int64, reason: String)

        /// How many records an intact log holds; nil for a broken one.
        public var records: Int? {
            if case .intact(let records) = self { records } else { nil }
        }
    }

    /// Walks the chain from the first record and names the first one that does not fit.
    public static func verify(in db: Database) throws -> Verification {
        var previousHash = genesis
        var expectedID: Int64 = 1
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY id")
        while let row = try cursor.next() {
            let id: Int64 = row["id"]
            guard id == expectedID else { return .broken(recordID: expectedID, reason: "记录 \(expectedID) 缺失") }
            let stored: String = row["previous_hash"]
            guard stored == previousHash else { return .broken(recordID: id, reason: "记录 \(id) 与前一条记录的链接不符") }
            let date: Date = row["at"]
            let hash = chainHash(previous: previousHash, id: id, millis: Int64((date.timeIntervalSince1970 * 1000).rounded()),
                                 actorID: row["actor_id"], actorName: row["actor_name"], actorRole: row["actor_role"],
                                 action: row["action"], subject: row["subject"], before: row["before"], after: row["after"], detail: row["detail"])
            guard hash == row["hash"] else { return .broken(recordID: id, reason: "记录 \(id) 的内容已被修改") }
            previousHash = hash
            expectedID += 1
        }
        let head = try Row.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1")
        let headID: Int64 = head?["last_id"] ?? 0
        let headHash: String = head?["last_hash"] ?? genesis
        guard headID == expectedID - 1, headHash == previousHash else {
            return .broken(recordID: expectedID, reason: "日志末尾的记录 \(expectedID) 至 \(headID) 缺失或被篡改")
        }
        return .intact(records: Int(expectedID - 1))
    }

    static func chainHash(previous: String, id: Int64, millis: Int64, actorID: String, actorName: String, actorRole: String,
                          action: String, subject: String, before: String?, after: String?, detail: String?) -> String {
        let fields: [String?] = [previous, String(id), String(millis), actorID, actorName, actorRole, action, subject, before, after, detail]
        let canonical = (try? JSONEncoder().encode(fields)) ?? Data()
        return SHA256.hash(data: canonical).hexString
    }

    static func encode(_ values: [String: String]?) -> String? {
        guard let values else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(values)).flatMap { String(data: $0, encoding: .utf8) }
    }

    static func decode(_ text: String?) -> [String: String]? {
        guard let data = text?.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode([String: String].self, from: data)
    }

    static func record(from row: Row) -> AuditRecord {
        AuditRecord(id: row["id"], at: row["at"], actorID: row["actor_id"], actorName: row["actor_name"], actorRole: row["actor_role"],
                    action: row["action"], subject: row["subject"], before: decode(row["before"]), after: decode(row["after"]),
                    detail: decode(row["detail"]))
    }
}
