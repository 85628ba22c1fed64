import Foundation
import GRDB
import Kernel

public enum StatusChange: String, Sendable {
    case suspend, reinstate, revoke

    /// The statuses it applies to, the status it leads to, and its name for people.
    var rule: (from: Set<CertificateStatus>, to: CertificateStatus, name: String) {
        switch self {
        case .suspend: ([.valid], .suspended, "暂停")
        case .reinstate: ([.suspended], .valid, "恢复")
        case .revoke: ([.valid, .suspended], .revoked, "撤销")
        }
    }
}

extension CertificateRegistry {
    /// One status change with its audit record and `CertificateStatusChanged`, in the caller's
    /// transaction. A series' own number changes every part of it the change applies to (a permit
    /// issued per subject is suspended or revoked whole).
    static func transition(_ number: String, _ change: StatusChange, reason: String, by actor: Actor, today: CivilDate,
                           in scope: EventScope) throws -> Certificate {
        let (allowed, after, action) = change.rule
        guard var certificate = try certificate(number: number, in: scope.db) else {
            guard let series = CertificateNumber(number), series.part == nil else { throw CertificateError.notFound(number) }
            let parts = try seriesParts(series, in: scope.db)
            guard let first = parts.first else { throw CertificateError.notFound(number) }
            var changed: [Certificate] = []
            for var part in parts where allowed.contains(part.status(on: today)) {
                changed.append(try record(&part, from: part.status(on: today), to: after, reason: reason, action: "certificate.\(change.rawValue)",
                                          by: actor, detail: ["reason": reason, "series": number], in: scope))
            }
            guard let representative = changed.first else { throw CertificateError.invalidTransition(from: first.status(on: today), action: action) }
            return representative
        }
        let before = certificate.status(on: today)
        guard allowed.contains(before) else { throw CertificateError.invalidTransition(from: before, action: action) }
        return try record(&certificate, from: before, to: after, reason: reason, action: "certificate.\(change.rawValue)", by: actor,
                          detail: ["reason": reason], in: scope)
    }

    /// Every status change goes through here: the register row, its audit record and
    /// `CertificateStatusChanged`, in the caller's transaction.
    @discardableResult
    static func record(_ certificate: inout Certificate, from before: CertificateStatus, to after: CertificateStatus, reason: String,
                       action: String, by actor: Actor, detail: [String: String]? = nil, in scope: EventScope) throws -> Certificate {
        certificate.status = after
        certificate.statusReason = reason
        certificate.statusChangedAt = scope.date
        try save(certificate, in: scope.db)
        try AuditLog.append(AuditEntry(actor: actor, action: action, subject: "certificate/\(certificate.number)",
                                       before: ["status": before.rawValue], after: ["status": after.rawValue], detail: detail),
                            in: scope.db, at: scope.date)
        try scope.publish(CertificateStatusChanged(number: certificate.number.description, applicationID: certificate.applicationID,
                                                   from: before.rawValue, to: after.rawValue, reason: reason))
        return certificate
    }

    /// Each permit whose own last day has passed inside a certificate still valid: recorded once
    /// on the certificate, with its audit record and `PermitExpired`. Returns how many.
    static func recordPermitExpiries(on today: CivilDate, in scope: EventScope) throws -> Int {
        let candidates = try String.fetchAll(scope.db, sql: """
            SELECT document FROM certificates
            WHERE status = 'valid' AND EXISTS (SELECT 1 FROM json_each(document, '$.permits') p WHERE json_extract(p.value, '$.validTo') < ?)
            """, arguments: [today.description]).map { try StoredJSON.decode(Certificate.self, from: $0) }
        var recorded = 0
        for var certificate in candidates where certificate.status(on: today) == .valid {
            let ended = certificate.permits.filter { permit in
                permit.validTo.map { today > $0 } == true && !(certificate.expiredPermits ?? []).contains(permit.item)
            }
            guard !ended.isEmpty else { continue }
            certificate.expiredPermits = (certificate.expiredPermits ?? []) + ended.map(\.item)
            try save(certificate, in: scope.db)
            for permit in ended {
                try AuditLog.append(AuditEntry(actor: .system, action: "certificate.permit-expired", subject: "certificate/\(certificate.number)",
                                               detail: ["item": permit.item, "validTo": permit.validTo!.description]), in: scope.db, at: scope.date)
                try scope.publish(PermitExpired(number: certificate.number.description, applicationID: certificate.applicationID, item: permit.item,
                                                validTo: permit.validTo!))
            }
            recorded += ended.count
        }
        return recorded
    }

    /// Whether the certificate, or for a series' own number any of its parts, is valid.
    static func anyValid(_ number: String, on today: CivilDate, in db: Database) throws -> Bool {
        if let found = try certificate(number: number, in: db) { return found.status(on: today) == .valid }
        guard let series = CertificateNumber(number), series.part == nil else { return false }
        return try seriesParts(series, in: db).contains { $0.status(on: today) == .valid }
    }

    /// A violation found by a task the catalog configures so suspends the certificate in the
    /// inspection's own transaction; a certificate no longer valid is left as it is.
    public static func subscribeSuspensions(to bus: EventBus, timeZone: TimeZone) {
        bus.subscribe(InspectionRecorded.self) { scope, event in
            guard event.result == "violation", event.suspendsCertificate else { return }
            let today = CivilDate(event.recordedAt, in: timeZone)
            guard try anyValid(event.certificateNumber, on: today, in: scope.db) else { return }
            let inspector = Actor(id: event.inspectorID, username: event.inspectorID, name: event.inspectorName, role: .inspector,
                                  department: event.department, region: event.region)
            _ = try transition(event.certificateNumber, .suspend, reason: "监管检查（\(event.taskTitle)）发现违法违规：\(event.findings)",
                               by: inspector, today: today, in: scope)
        }
    }
}
