import Foundation
import GRDB

/// Whom a message is for: every account matching the role and, where given, firm, department and
/// region — e.g. the city-management inspectors of 硚口区, or the applicants of one firm.
public struct Recipients: Sendable, Equatable {
    public let role: Role
    public let firm: String?
    public let department: String?
    public let region: String?

    public init(role: Role, firm: String? = nil, department: String? = nil, region: String? = nil) {
        self.role = role
        self.firm = firm
        self.department = department
        self.region = region
    }
}

public struct OutgoingMessage: Sendable, Equatable {
    /// Why it is sent: `task-opened`, `task-due-soon`, `task-overdue`, `certificate-suspended`.
    public let reason: String
    /// `kind/id` of what it is about.
    public let subject: String
    public let text: String
    public let recipients: Recipients
    /// A message with a key already used is not sent again (a reminder goes out once).
    public let onceKey: String?

    public init(reason: String, subject: String, text: String, recipients: Recipients, onceKey: String? = nil) {
        self.reason = reason
        self.subject = subject
        self.text = text
        self.recipients = recipients
        self.onceKey = onceKey
    }
}

/// Sends short messages (短信提醒) in the transaction of what caused them.
public protocol Notifier: Sendable {
    /// Returns how many accounts the message was addressed to.
    @discardableResult
    func notify(_ message: OutgoingMessage, in db: Database, at date: Date) throws -> Int
}

/// One message as recorded for one account.
public struct Notification: Codable, Sendable, Equatable {
    public let id: String
    public let accountID: String
    public let reason: String
    public let subject: String
    public let text: String
    public let createdAt: Date
    /// When an SMS gateway took it; nil while none has.
    public let deliveredAt: Date?
}

/// The outbox implementation: every message is recorded per account (to whom, what, when, delivered
/// or not), shown in the account's inbox, and left for an SMS gateway to pick up and mark delivered.
public struct OutboxNotifier: Notifier {
    let makeID: @Sendable () -> String

    public init(makeID: @escaping @Sendable () -> String) {
        self.makeID = makeID
    }

    @discardableResult
    public func notify(_ message: OutgoingMessage, in db: Database, at date: Date) throws -> Int {
        if let key = message.onceKey {
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM notification_keys WHERE key = ?"), arguments: [key]) != true else { return 0 }
            try db.cachedStatement(sql: "INSERT INTO notification_keys (key, created_at) VALUES (?, ?)").execute(arguments: [key, date])
        }
        let accounts = try AccountDirectory.accounts(matching: message.recipients, in: db).map(\.id)
        for account in accounts {
            try db.cachedStatement(sql: """
                INSERT INTO notifications (id, account_id, reason, subject, text, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [makeID(), account, message.reason, message.subject, message.text, date])
        }
        return accounts.count
    }

    /// The inbox's order, newest first: a range of `notifications_inbox` (account_id, created_at, id).
    static let inboxOrder = KeysetOrder("created_at", "id", descending: true)

    /// How many keys an inbox cursor carries.
    public static var inboxKeyCount: Int { inboxOrder.keyCount }

    static func inboxStatement(account: String, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        inboxOrder.statement("SELECT * FROM notifications", where: ["account_id = ?"], arguments: [account], page: page)
    }

    /// A page of an account's messages, newest first.
    public static func inbox(account: String, page: PageRequest, in db: Database) throws -> Page<Notification> {
        try inboxOrder.page(inboxStatement(account: account, page: page), page, in: db) { row in
            Notification(id: row["id"], accountID: row["account_id"], reason: row["reason"], subject: row["subject"], text: row["text"],
                         createdAt: row["created_at"], deliveredAt: row["delivered_at"])
        }
    }
}
