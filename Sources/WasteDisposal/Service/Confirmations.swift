import Approval
import Foundation
import GRDB
import Kernel

/// 跨域确认: a disposal application whose site is in another region waits for that region's
/// authority, which sees it in its queue from the submitting transaction on; its confirmation
/// leaves the queue in the confirming transaction, and the permit is then sealed if its reviews
/// are done (`WasteDisposalSeal`). Every disposal application is also indexed by its firm there.
enum Confirmations {
    static func subscribe(to bus: EventBus, rules: WasteDisposalRules) {
        bus.subscribe(ApplicationSubmitted.self) { scope, event in
            guard try SQLiteApprovalStore.annexCapability(ofApplication: event.applicationID, in: scope.db) == WasteDisposalCapability.name,
                  let application = try SQLiteApprovalStore.application(id: event.applicationID, in: scope.db),
                  let plan = try application.annex?.decode(DisposalPlan.self, for: WasteDisposalCapability.name) else { return }
            try scope.db.execute(sql: """
                INSERT INTO waste_applications (application_id, firm, submitted_at, approved_m3, origin) VALUES (?, ?, ?, ?, ?)
                """, arguments: [application.id, application.firm, application.submittedAt, plan.volumeM3, plan.route.origin])
            guard let condition = application.conditions?.first(where: { $0.id == rules.confirmation.id }) else { return }
            try scope.db.execute(sql: "INSERT INTO waste_confirmations (application_id, region, department, due_on) VALUES (?, ?, ?, ?)",
                                 arguments: [application.id, condition.region, condition.department, condition.dueOn.description])
        }
        bus.subscribe(IssuanceConditionMet.self) { scope, event in
            guard event.condition == rules.confirmation.id else { return }
            try scope.db.execute(sql: "UPDATE waste_confirmations SET confirmed_at = ? WHERE application_id = ?",
                                 arguments: [scope.date, event.applicationID])
        }
    }

    /// A region's queue reads soonest due first, applications due the same day by id.
    static let queueOrder = KeysetOrder("due_on", "application_id")

    static func queueStatement(region: String, department: String, page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        queueOrder.statement("SELECT due_on, application_id FROM waste_confirmations",
                             where: ["region = ?", "department = ?", "confirmed_at IS NULL"], arguments: [region, department], page: page)
    }

    /// A page of what a region's department still has to confirm.
    static func open(region: String, department: String, page: PageRequest, in db: Database) throws -> Page<(applicationID: String, dueOn: String)> {
        try queueOrder.page(queueStatement(region: region, department: department, page: page), page, in: db) { ($0["application_id"], $0["due_on"]) }
    }

    /// The condition a plan sets: the disposal region confirms, unless the waste stays in the origin's region.
    static func condition(for plan: DisposalPlan, rules: WasteDisposalRules, calendar: WorkingDayCalendar, today: CivilDate) throws -> IssuanceCondition? {
        guard plan.route.disposal != plan.route.origin else { return nil }
        return IssuanceCondition(id: rules.confirmation.id, title: rules.confirmation.title, department: rules.confirmation.department,
                                 region: plan.route.disposal, dueOn: try calendar.date(addingWorkingDays: rules.confirmation.dueDays, to: today))
    }
}

/// 自动用印: a disposal permit is sealed as soon as its departments approve and its disposal region
/// confirms; nobody issues it by hand.
struct WasteDisposalSeal: SealOnApproval {
    func sealsOnApproval(_ application: Application) -> Bool {
        application.annex?.capability == WasteDisposalCapability.name
    }
}
