import Foundation
import GRDB
import Kernel

/// The register of issued certificates in the order of issue, paged by keyset on (issued_at,
/// number) through the issuance index.
extension CertificateRegistry {
    public static let issuedOrder = KeysetOrder("issued_at", "number")

    /// The certificates issued from `from` on and before `before` (either may be open).
    public static func issuedStatement(from: Date?, before: Date?, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let from {
            conditions.append("issued_at >= ?")
            arguments += [from]
        }
        if let before {
            conditions.append("issued_at < ?")
            arguments += [before]
        }
        return issuedOrder.statement("SELECT issued_at, number, document FROM certificates", where: conditions, arguments: arguments, page: page)
    }

    static func issued(from: Date?, before: Date?, page: PageRequest, in db: Database) throws -> Page<Certificate> {
        try issuedOrder.page(issuedStatement(from: from, before: before, page: page), page, in: db) {
            try StoredJSON.decode(Certificate.self, from: $0["document"] as String)
        }
    }
}

/// The public register (定期公告): what was issued, newest first, one district's or all.
extension CertificateRegistry {
    public static let publishedOrder = KeysetOrder("issued_at", "number", descending: true)

    public static func publishedStatement(district: String?, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        publishedOrder.statement("SELECT issued_at, number, document FROM certificates", where: district == nil ? [] : ["district = ?"],
                                 arguments: district.map { [$0] } ?? [], page: page)
    }

    static func published(district: String?, page: PageRequest, in db: Database) throws -> Page<Certificate> {
        try publishedOrder.page(publishedStatement(district: district, page: page), page, in: db) {
            try StoredJSON.decode(Certificate.self, from: $0["document"] as String)
        }
    }
}

extension CertificateService {
    /// A page of the public register: every certificate issued, newest first, as anyone may
    /// read it (the facts its QR shows on `/v/…`).
    public func published(district: String?, page: PageRequest) async throws -> Page<Certificate> {
        try await database.read { db in try CertificateRegistry.published(district: district, page: page, in: db) }
    }

    /// A page of the certificates issued on the days `from` through `to` (the bureau's days; either
    /// may be open), in the order of issue, for the bureau's staff: a reviewer's page keeps the
    /// certificates that list a permit of its department, as it may open only those.
    public func issued(from: CivilDate?, to: CivilDate?, page: PageRequest, for actor: Actor) async throws -> Page<Certificate> {
        guard [.clerk, .reviewer, .issuer, .admin].contains(actor.role) else { throw CertificateError.forbidden("证照登记簿仅供审批局工作人员查看") }
        let (start, end) = (from?.start(in: timeZone), to?.adding(days: 1).start(in: timeZone))
        let found = try await database.read { db in try CertificateRegistry.issued(from: start, before: end, page: page, in: db) }
        return found.compactMap { Self.canSee($0, actor) ? $0 : nil }
    }
}
