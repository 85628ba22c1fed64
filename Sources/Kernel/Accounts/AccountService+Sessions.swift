import Foundation
import HummingbirdBcrypt

/// Sessions and the accounts behind them: a user ends its own sessions or changes its password,
/// an administrator disables an account, and the sweep purges what has expired.
extension AccountService {
    /// 退出所有设备: ends every session of the actor, this one included.
    public func endAllSessions(of actor: Actor) async throws -> Int {
        try await store.deleteSessions(accountID: actor.id, audit: AuditEntry(actor: actor, action: "account.sessions-ended", subject: "account/\(actor.id)"),
                                       at: dependencies.now())
    }

    /// Changes the actor's own password after checking the current one; every other session ends.
    public func changePassword(of actor: Actor, current: String?, new: String?, keepingToken token: String) async throws {
        guard let stored = try await store.account(username: actor.username) else { throw KernelError.unauthenticated }
        guard let current, try await offloaded({ Bcrypt.verify(current, hash: stored.passwordHash) }) else {
            throw KernelError.invalidField(field: "currentPassword", message: "当前密码不正确")
        }
        guard let new else { throw KernelError.missingField("newPassword") }
        if let problem = PasswordPolicy.problem(with: new, username: actor.username) {
            throw KernelError.invalidField(field: "newPassword", message: problem)
        }
        guard new != current else { throw KernelError.invalidField(field: "newPassword", message: "新密码不能与当前密码相同") }
        let cost = bcryptCost
        let hash = try await offloaded { Bcrypt.hash(new, cost: cost) }
        try await store.updatePassword(accountID: actor.id, hash: hash, keeping: Self.digest(token),
                                       audit: AuditEntry(actor: actor, action: "account.password-changed", subject: "account/\(actor.id)"),
                                       at: dependencies.now())
    }

    /// 停用 / 启用: a disabled account cannot sign in and its sessions end at once.
    public func setDisabled(_ accountID: String, _ disabled: Bool, reason: String?, by actor: Actor) async throws -> AccountSummary {
        guard actor.role == .admin else { throw KernelError.forbidden("只有管理员可以停用或启用账号") }
        guard accountID != actor.id else { throw KernelError.invalidField(field: "id", message: "不能停用或启用自己的账号") }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !disabled || !reason.isEmpty else { throw KernelError.missingField("reason") }
        if let scalar = PrintableText.firstForbidden(in: reason, multiline: true) {
            throw KernelError.invalidField(field: "reason", message: PrintableText.refusal(scalar))
        }
        let audit = AuditEntry(actor: actor, action: disabled ? "account.disabled" : "account.enabled", subject: "account/\(accountID)",
                               detail: reason.isEmpty ? nil : ["reason": reason])
        guard let summary = try await store.setDisabled(accountID: accountID, disabled, audit: audit, at: dependencies.now()) else {
            throw KernelError.notFound("账号 \(accountID)")
        }
        return summary
    }

    /// How many keys a cursor of the accounts list carries.
    public static var summariesKeyCount: Int { SQLiteAccountStore.summaryOrder.keyCount }

    /// A page of every account, by username.
    public func summaries(for actor: Actor, page: PageRequest) async throws -> Page<AccountSummary> {
        guard actor.role == .admin else { throw KernelError.forbidden("只有管理员可以查看账号") }
        return try await store.summaries(page: page)
    }

    /// Deletes expired sessions and failed sign-ins older than the policy's window; returns how
    /// many sessions.
    @discardableResult
    public func purgeExpired() async throws -> Int {
        let now = dependencies.now()
        return try await store.purge(sessionsExpiredBy: now, failuresBefore: now.addingTimeInterval(-signIn.window))
    }
}
