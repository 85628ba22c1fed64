import Foundation
import GRDB

/// A firm as the bureau registered it: the one name a certificate or a page gives its 统一社会信用代码.
public struct Firm: Codable, Sendable, Equatable {
    public let uscc: String
    public let name: String
    public let registeredAt: Date

    public init(uscc: String, name: String, registeredAt: Date) {
        self.uscc = uscc
        self.name = name
        self.registeredAt = registeredAt
    }

    /// A firm's name as it may be registered: trimmed, 2–100 characters, printable on one line.
    public static func checkedName(_ name: String?, field: String) throws -> String {
        let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !trimmed.isEmpty else { throw KernelError.missingField(field) }
        guard (2...100).contains(trimmed.count) else { throw KernelError.invalidField(field: field, message: "单位名称应为2–100字") }
        if let scalar = PrintableText.firstForbidden(in: trimmed) { throw KernelError.invalidField(field: field, message: PrintableText.refusal(scalar)) }
        return trimmed
    }
}

/// The register of firms, read and written inside a caller's transaction.
public enum FirmRegister {
    public static func firm(uscc: String, in db: Database) throws -> Firm? {
        try Row.fetchOne(db, sql: "SELECT uscc, name, registered_at FROM firms WHERE uscc = ?", arguments: [uscc])
            .map { Firm(uscc: $0["uscc"], name: $0["name"], registeredAt: $0["registered_at"]) }
    }

    public static func firms(_ usccs: [String], in db: Database) throws -> [String: Firm] {
        var found: [String: Firm] = [:]
        for uscc in Set(usccs) {
            if let firm = try firm(uscc: uscc, in: db) { found[uscc] = firm }
        }
        return found
    }

    /// The register's order, by code: a walk of its primary key.
    static let order = KeysetOrder("uscc")

    static func statement(page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        order.statement("SELECT uscc, name, registered_at FROM firms", page: page)
    }

    public static func page(_ page: PageRequest, in db: Database) throws -> Page<Firm> {
        try order.page(statement(page: page), page, in: db) { Firm(uscc: $0["uscc"], name: $0["name"], registeredAt: $0["registered_at"]) }
    }

    /// Registers a firm once: the same name again is accepted as it is, another name for a
    /// registered code is refused (the code names one firm), naming `field`.
    @discardableResult
    public static func register(uscc: String, name: String, field: String, by actor: Actor, in db: Database, at date: Date) throws -> Firm {
        if let existing = try firm(uscc: uscc, in: db) {
            guard existing.name == name else {
                throw KernelError.invalidField(field: field, message: "统一社会信用代码 \(uscc) 已登记为「\(existing.name)」")
            }
            return existing
        }
        try db.execute(sql: "INSERT INTO firms (uscc, name, registered_at) VALUES (?, ?, ?)", arguments: [uscc, name, date])
        try AuditLog.append(AuditEntry(actor: actor, action: "firm.registered", subject: "firm/\(uscc)", after: ["name": name]), in: db, at: date)
        return Firm(uscc: uscc, name: name, registeredAt: date)
    }
}
