import Foundation
import GRDB
import Kernel

public enum StatusChange: String, Sendable {
    case suspend, reinstate, revoke
}

extension CertificateRegistry {
    /// One status change with its audit record and `CertificateStatusChanged`, in the caller's
    /// transaction.
    static func transition(_ number: String, _ change: StatusChange, reason: String, by actor: Actor, today: CivilDate,
                           in scope: EventScope) throws -> Certificate {
        guard var certificate = try certificate(number: number, in: scope.db) else { throw CertificateError.notFound(number) }
        let before = certificate.status(on: today)
        let (allowed, after, action): (Set<CertificateStatus>, CertificateStatus, String) = switch change {
        case .suspend: ([.valid], .suspended, "暂停")
        case .reinstate: ([.suspended], .valid, "恢复")
        case .revoke: ([.valid, .suspended], .revoked, "撤销")
        }
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

    /// A violation found by a task the catalog configures so suspends the certificate in the
    /// inspection's own transaction; a certificate no longer valid is left as it is.
    public static func subscribeSuspensions(to bus: EventBus, timeZone: TimeZone) {
        bus.subscribe(InspectionRecorded.self) { scope, event in
            guard event.result == "violation", event.suspendsCertificate else { return }
            let today = CivilDate(event.recordedAt, in: timeZone)
            guard let certificate = try certificate(number: event.certificateNumber, in: scope.db), certificate.status(on: today) == .valid else { return }
            let inspector = Actor(id: event.inspectorID, username: event.inspectorID, name: event.inspectorName, role: .inspector,
                                  department: event.department, region: event.region)
            _ = try transition(event.certificateNumber, .suspend, reason: "监管检查（\(event.taskTitle)）发现违法违规：\(event.findings)",
                               by: inspector, today: today, in: scope)
        }
    }
}
