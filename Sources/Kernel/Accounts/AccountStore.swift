import Foundation
import GRDB

/// Persistence of accounts and sessions; each method is one transaction.
public protocol AccountStore: Sendable {
    /// Inserts the account with its audit record; a taken username is an `invalidField` error. An
    /// applicant's firm must be registered, or is registered here under `firmName`.
    func insert(_ account: Actor, passwordHash: String, firmName: String?, audit: AuditEntry, at date: Date) async throws
    /// Registers a firm (or finds it registered under the same name), with its audit record.
    func registerFirm(uscc: String, name: String, by actor: Actor, at date: Date) async throws -> Firm
    func firm(uscc: String) async throws -> Firm?
    func firms() async throws -> [Firm]
    func account(username: String) async throws -> (actor: Actor, passwordHash: String)?
    func all() async throws -> [Actor]
    func insertSession(tokenHash: String, accountID: String, expiresAt: Date) async throws
    /// The account behind an unexpired session.
    func actor(sessionTokenHash: String, at date: Date) async throws -> Actor?
    func deleteSession(tokenHash: String) async throws
}

public struct SQLiteAccountStore: AccountStore {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    public func insert(_ account: Actor, passwordHash: String, firmName: String?, audit: AuditEntry, at date: Date) async throws {
        try await database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE username = ?", arguments: [account.username]) == true {
                throw KernelError.invalidField(field: "username", message: "用户名已存在")
            }
            if account.role == .applicant, let uscc = account.firm {
                if let firmName {
                    try FirmRegister.register(uscc: uscc, name: firmName, field: "firmName", by: audit.actor, in: db, at: date)
                } else if try FirmRegister.firm(uscc: uscc, in: db) == nil {
                    throw KernelError.invalidField(field: "firmName", message: "单位 \(uscc) 尚未登记，请同时给出单位名称")
                }
            }
            try db.execute(sql: """
                INSERT INTO accounts (id, username, password_hash, role, name, firm, department, region, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [account.id, account.username, passwordHash, account.role.rawValue, account.name, account.firm,
                                 account.department, account.region, date])
            try AuditLog.append(audit, in: db, at: date)
        }
    }

    public func registerFirm(uscc: String, name: String, by actor: Actor, at date: Date) async throws -> Firm {
        try await database.write { db in try FirmRegister.register(uscc: uscc, name: name, field: "name", by: actor, in: db, at: date) }
    }

    public func firm(uscc: String) async throws -> Firm? {
        try await database.read { db in try FirmRegister.firm(uscc: uscc, in: db) }
    }

    public func firms() async throws -> [Firm] {
        try await database.read { db in try FirmRegister.all(in: db) }
    }

    public func account(username: String) async throws -> (actor: Actor, passwordHash: String)? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE username = ?", arguments: [username])
                .map { (actor: Self.actor(from: $0), passwordHash: $0["password_hash"] as String) }
        }
    }

    public func all() async throws -> [Actor] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM accounts ORDER BY role, username").map(Self.actor(from:))
        }
    }

    public func insertSession(tokenHash: String, accountID: String, expiresAt: Date) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT INTO sessions (token_hash, account_id, expires_at) VALUES (?, ?, ?)",
                           arguments: [tokenHash, accountID, expiresAt])
        }
    }

    public func actor(sessionTokenHash: String, at date: Date) async throws -> Actor? {
        try await database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT accounts.* FROM sessions JOIN accounts ON accounts.id = sessions.account_id
                WHERE sessions.token_hash = ? AND sessions.expires_at > ?
                """, arguments: [sessionTokenHash, date]).map(Self.actor(from:))
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    static func actor(from row: Row) -> Actor {
        Actor(id: row["id"], username: row["username"], name: row["name"], role: Role(rawValue: row["role"]) ?? .applicant,
              firm: row["firm"], department: row["department"], region: row["region"])
    }
}
