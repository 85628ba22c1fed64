import Approval
import Certificates
import Foundation
import GRDB
import Kernel

/// 自动关联: a new night-work application on a site starts from the site's last night-work permit —
/// its own or one inside a 综合许可证 — so only the dates and the reason are asked again.
struct EarlierNightPermits: LinkedApplicationSource {
    let rules: NightWorkRules
    let database: AppDatabase

    func linked(to items: [CatalogItem], project: Project, firm: String, store: any ApprovalStore) async throws -> [LinkedApplication] {
        guard items.contains(where: { $0.code == rules.item }) else { return [] }
        guard let last = try await newest(project: project, firm: firm),
              let (application, _) = try await store.application(id: last.applicationID) else { return [] }
        return [LinkedApplication(application, supersededOnIssue: false)]
    }

    /// The firm's last night-work permit on the site, whichever certificate carries it.
    func newest(project: Project, firm: String) async throws -> Certificate? {
        let item = rules.item
        return try await database.read { db in
            try CertificateRegistry.newest(projectCode: project.code, statuses: [.valid, .expired, .suspended, .superseded], items: [item], in: db) {
                $0.holderUSCC == firm
            }
        }
    }
}

/// 智能审批 of a night-work application at submission: the schedule checked, the site's permits,
/// earlier night work, alerts and the firm's credit weighed by the rules.
struct NightWorkSubmissionRules: SubmissionRules {
    let rules: NightWorkRules
    let catalog: Catalog
    let database: AppDatabase

    func decide(_ application: Application, in context: SubmissionContext) async throws -> RuleDecision? {
        guard application.items.map(\.code) == [rules.item] else { return nil }
        let schedule: NightSchedule
        switch NightSchedule.read(application.form, rules: rules, today: context.today) {
        case .success(let read): schedule = read
        case .failure(let problem):
            return RuleDecision(outcome: .denied, reasons: [RuleReason(rule: "invalid-schedule", message: "\(problem.field)：\(problem.message)")])
        }
        guard try await SitePermits.valid(project: context.project.code, items: Set(rules.requiresPermit), on: context.today,
                                          database: database) != nil else {
            return RuleDecision(outcome: .denied, reasons: [RuleReason(rule: "site-permit", message: "工地尚无有效的施工许可或阶段施工许可")])
        }
        var earlier: String?
        if let linked = context.linked.first {
            earlier = try await database.read { db in try CertificateRegistry.lastNumber(applicationID: linked.id, in: db) }
        }
        let since = context.now.addingTimeInterval(-Double(rules.recentAlerts?.days ?? 0) * 86_400)
        let alerts = try await database.read { [project = context.project.id] db in try NightWorkStore.standingAlertCount(project: project, since: since, in: db) }
        let onFile = Set(application.materials.filter { $0.state != .missing && $0.state != .deferred }.map(\.material))
        let below = rules.creditBelowReview.map { !context.credit.isAtLeast($0, under: catalog.credit) } ?? false
        let facts = SiteFacts(earlierPermit: earlier, creditLevel: context.credit.level.level, creditLevelName: context.credit.level.name,
                              creditBelowReview: below, recentAlerts: alerts, materialsOnFile: onFile)
        let names = Dictionary(catalog.items[rules.item]?.materials.map { ($0.id, $0.name) } ?? [], uniquingKeysWith: { first, _ in first })
        return NightWorkDecision.decide(schedule, facts: facts, rules: rules, materialNames: names)
    }
}

/// The nights, hours, reason and responsible person on the certificate and in its QR, and the
/// permit's last day: the morning after the last night.
struct NightWorkTerms: PermitTermsSource {
    static let detailKeys = ["nights", "hours", "reason", "responsible"]

    let rules: NightWorkRules
    /// The item's certificate in the catalog, which names the facts.
    let certificate: CertificateSpec

    func terms(of item: ApplicationItem, in application: Application) -> PermitTerms? {
        guard item.code == rules.item, case .success(let schedule) = NightSchedule.read(application.form, rules: rules, today: nil) else { return nil }
        var details = [certificate.detail("nights", schedule.nightsText), certificate.detail("hours", schedule.hoursText),
                       certificate.detail("reason", schedule.reason.name)]
        if case .string(let name)? = application.form[Form.responsibleName] {
            let phone: String = if case .string(let text)? = application.form[Form.responsiblePhone] { PhoneNumber(text)?.masked ?? "" } else { "" }
            details.append(certificate.detail("responsible", [name, phone].filter { !$0.isEmpty }.joined(separator: " ")))
        }
        return PermitTerms(validTo: schedule.lastNight.adding(days: 1), details: details)
    }
}

/// The site's newest valid permit of some items: what night work and monitoring hang on.
enum SitePermits {
    static func valid(project code: String, items: Set<String>, on today: CivilDate, database: AppDatabase) async throws -> Certificate? {
        try await database.read { db in
            try CertificateRegistry.newest(projectCode: code, statuses: [.valid], items: items, in: db) { certificate in
                certificate.permits.contains { items.contains($0.item) && certificate.status(of: $0, on: today) == .valid }
            }
        }
    }
}
