import Approval
import Certificates
import Kernel
import Logging
import Supervision
import ServiceLifecycle

/// What the passing of time decides, swept periodically: items approved by default when their
/// promised time passes (超时默认), certificates whose last day has passed, reminders of supervision
/// tasks nearly due or overdue, expired sessions and old failed sign-ins; and the audit chain's
/// head signed when it has moved.
struct DeadlineSweeps: Service {
    let accounts: AccountService
    let approval: ApprovalService
    let certificates: CertificateService
    let supervision: SupervisionService
    let auditAnchors: AuditAnchors
    let database: AppDatabase
    let dependencies: Dependencies
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let overdue = try await approval.recordOverdueDeficiencies()
                if overdue > 0 { logger.info("容缺 promises overdue", metadata: ["applications": "\(overdue)"]) }
                let approved = try await approval.applyTimeoutDefaults()
                if approved > 0 { logger.info("approved by default on timeout", metadata: ["applications": "\(approved)"]) }
                let expired = try await certificates.recordExpiries()
                if expired > 0 { logger.info("certificates expired", metadata: ["certificates": "\(expired)"]) }
                let reminded = try await supervision.sendReminders()
                if reminded > 0 { logger.info("supervision reminders sent", metadata: ["tasks": "\(reminded)"]) }
                if let anchor = try await auditAnchors.anchorHead(of: database, at: dependencies.now()) {
                    logger.info("audit chain anchored", metadata: ["record": "\(anchor.recordID)"])
                }
                let purged = try await accounts.purgeExpired()
                if purged > 0 { logger.info("expired sessions purged", metadata: ["sessions": "\(purged)"]) }
            } catch {
                logger.error("deadline sweep failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
