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
    /// A page of the register, by code.
    func firms(page: PageRequest) async throws -> Page<Firm>
    func account(username: String) async throws -> StoredAccount?
    func all() async throws -> [Actor]
    func insertSession(tokenHash: String, accountID: String, expiresAt: Date) async throws
    /// The account behind an unexpired session of an account that is not disabled.
    func actor(sessionTokenHash: String, at date: Date) async throws -> Actor?
    func deleteSession(tokenHash: String) async throws
    /// Ends every session of the account, with its audit record; returns how many.
    func deleteSessions(accountID: String, audit: AuditEntry, at date: Date) async throws -> Int
    /// The times of the latest `limit` failed sign-ins after `since`, newest first, by the name
    /// tried and by the address.
    func signInFailures(username: String, address: String, since: Date, limit: (username: Int, address: Int)) async throws
        -> (username: [Date], address: [Date])
    func recordSignInFailure(username: String, address: String, at date: Date) async throws
    func clearSignInFailures(username: String) async throws
    /// Deletes expired sessions and failures older than `failuresBefore`; returns how many sessions.
    func purge(sessionsExpiredBy date: Date, failuresBefore: Date) async throws -> Int
    /// Disables (ending its sessions) or enables an account; nil when there is no such account.
    func setDisabled(accountID: String, _ disabled: Bool, audit: AuditEntry, at date: Date) async throws -> AccountSummary?
    /// A page of every account, by username.
    func summaries(page: PageRequest) async throws -> Page<AccountSummary>
    /// Replaces the password hash and ends the account's other sessions.
    func updatePassword(accountID: String, hash: String, keeping tokenHash: String?, audit: AuditEntry, at date: Date) async throws
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

    public func firms(page: PageRequest) async throws -> Page<Firm> {
        try await database.read { db in try FirmRegister.page(page, in: db) }
    }

    public func account(username: String) async throws -> StoredAccount? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE username = ?", arguments: [username])
                .map { StoredAccount(actor: Self.actor(from: $0), passwordHash: $0["password_hash"], disabledAt: $0["disabled_at"]) }
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
        // A cached statement, looked up on the calling thread: every authenticated request asks it.
        try await database.lookup { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT accounts.* FROM sessions JOIN accounts ON accounts.id = sessions.account_id
                WHERE sessions.token_hash = ? AND sessions.expires_at > ? AND accounts.disabled_at IS NULL
                """), arguments: [sessionTokenHash, date]).map(Self.actor(from:))
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    public func deleteSessions(accountID: String, audit: AuditEntry, at date: Date) async throws -> Int {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE account_id = ?", arguments: [accountID])
            let ended = db.changesCount
            try AuditLog.append(audit, in: db, at: date)
            return ended
        }
    }

    public func signInFailures(username: String, address: String, since: Date, limit: (username: Int, address: Int)) async throws
        -> (username: [Date], address: [Date]) {
        try await database.read { db in
            let sql = { (column: String) in "SELECT at FROM sign_in_failures WHERE \(column) = ? AND at > ? ORDER BY at DESC LIMIT ?" }
            return (try Date.fetchAll(db, sql: sql("username"), arguments: [username, since, limit.username]),
                    try Date.fetchAll(db, sql: sql("address"), arguments: [address, since, limit.address]))
        }
    }

    public func recordSignInFailure(username: String, address: String, at date: Date) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT INTO sign_in_failures (username, address, at) VALUES (?, ?, ?)", arguments: [username, address, date])
        }
    }

    public func clearSignInFailures(username: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM sign_in_failures WHERE username = ?", arguments: [username])
        }
    }

    public func purge(sessionsExpiredBy date: Date, failuresBefore: Date) async throws -> Int {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at <= ?", arguments: [date])
            let sessions = db.changesCount
            try db.execute(sql: "DELETE FROM sign_in_failures WHERE at <= ?", arguments: [failuresBefore])
            return sessions
        }
    }

    public func setDisabled(accountID: String, _ disabled: Bool, audit: AuditEntry, at date: Date) async throws -> AccountSummary? {
        try await database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE id = ?", arguments: [accountID]) == true else { return nil }
            try db.execute(sql: "UPDATE accounts SET disabled_at = ? WHERE id = ?", arguments: [disabled ? date : nil, accountID])
            if disabled { try db.execute(sql: "DELETE FROM sessions WHERE account_id = ?", arguments: [accountID]) }
            try AuditLog.append(audit, in: db, at: date)
            return try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE id = ?", arguments: [accountID]).map(Self.summary(from:))
        }
    }

    /// The accounts' order, by username: a walk of its unique index.
    static let summaryOrder = KeysetOrder("username")

    static func summariesStatement(page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        summaryOrder.statement("SELECT * FROM accounts", page: page)
    }

    public func summaries(page: PageRequest) async throws -> Page<AccountSummary> {
        try await database.read { db in try Self.summaryOrder.page(Self.summariesStatement(page: page), page, in: db, item: Self.summary(from:)) }
    }

    public func updatePassword(accountID: String, hash: String, keeping tokenHash: String?, audit: AuditEntry, at date: Date) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE accounts SET password_hash = ? WHERE id = ?", arguments: [hash, accountID])
            try db.execute(sql: "DELETE FROM sessions WHERE account_id = ? AND token_hash IS NOT ?", arguments: [accountID, tokenHash])
            try AuditLog.append(audit, in: db, at: date)
        }
    }

    static func summary(from row: Row) -> AccountSummary {
        AccountSummary(account: actor(from: row), disabledAt: row["disabled_at"])
    }

    static func actor(from row: Row) -> Actor {
        Actor(id: row["id"], username: row["username"], name: row["name"], role: Role(rawValue: row["role"]) ?? .applicant,
              firm: row["firm"], department: row["department"], region: row["region"])
    }
}

/// An account as stored: who it is, its password hash, and whether it is disabled.
public struct StoredAccount: Sendable {
    public let actor: Actor
    public let passwordHash: String
    public let disabledAt: Date?
}

/// An account as an administrator lists it: the account's fields, and when it was disabled.
public struct AccountSummary: Encodable, Sendable, Equatable {
    public let account: Actor
    public let disabledAt: Date?

    enum CodingKeys: String, CodingKey {
        case disabledAt
    }

    public func encode(to encoder: any Encoder) throws {
        try account.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(disabledAt, forKey: .disabledAt)
    }
}
