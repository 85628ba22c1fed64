import Approval
import Certificates
import Foundation
import GRDB
import Kernel

/// 一证制 reuse: a site whose valid certificate (its 综合许可证) already includes the disposal item
/// was reviewed for disposal once. A disposal application there starts from that application's
/// answers and files, has its disposal item approved by the rules without a second site review
/// (the bundle's other departments still review theirs), and waits for the disposal region's
/// confirmation before the seal.
struct SiteApproval {
    let rules: WasteDisposalRules
    let bundleItems: Set<String>
    let database: AppDatabase
    let calendar: WorkingDayCalendar
    let dependencies: Dependencies

    var today: CivilDate { calendar.today(at: dependencies.now()) }

    /// The valid site certificate permitting the item, and the number its permit carries.
    func current(projectCode: String, on today: CivilDate) async throws -> (certificate: Certificate, number: String)? {
        let item = rules.item
        let found = try await database.read { db in
            try CertificateRegistry.newest(projectCode: projectCode, statuses: [.valid], items: [item], in: db) {
                $0.subject == nil && $0.status(on: today) == .valid
            }
        }
        guard let found, let permit = found.permits.first(where: { $0.item == item }), found.status(of: permit, on: today) == .valid else { return nil }
        return (found, permit.number ?? found.number.description)
    }
}

extension SiteApproval: LinkedApplicationSource {
    func linked(to items: [CatalogItem], project: Project, firm: String, store: any ApprovalStore) async throws -> [LinkedApplication] {
        guard Set(items.map(\.code)) == bundleItems,
              let (certificate, _) = try await current(projectCode: project.code, on: today), certificate.holderUSCC == firm,
              let (application, _) = try await store.application(id: certificate.applicationID) else { return [] }
        return [LinkedApplication(application, supersededOnIssue: false)]
    }
}

extension SiteApproval: SubmissionRules {
    func decide(_ application: Application, in context: SubmissionContext) async throws -> RuleDecision? {
        guard let plan = try application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name), let number = plan.siteApproval else {
            return nil
        }
        return RuleDecision(outcome: .approved, reasons: [
            RuleReason(rule: "site-approved", message: "工地已持有建筑垃圾处置核准（\(number)，综合许可证），沿用场地核准，不再重复审查"),
        ], items: [rules.item])
    }
}
