import Foundation
import Kernel

/// 智能审批 and 自动用印: decisions made by rules rather than people, recorded through the same
/// lifecycle (audit, timeline, events) as a person's.
extension Application {
    /// Applies a capability's decision at submission. An application still missing materials is
    /// left for the clerk — only a person can agree a date for what is deferred (容缺) — unless the
    /// rules deny it anyway.
    mutating func decide(by decision: RuleDecision, at now: Date, calendar: WorkingDayCalendar) throws -> Effects {
        try require([.submitted], to: "智能审批")
        let missing = materials.filter { $0.state == .missing }
        var decision = decision
        if !missing.isEmpty, decision.outcome != .denied {
            decision = RuleDecision(outcome: .review, reasons: decision.reasons + [
                RuleReason(rule: "materials-incomplete", message: "尚缺材料：\(missing.map(\.name).joined(separator: "、"))，转窗口受理"),
            ])
        }
        rules = decision
        let reasons = decision.reasons.map(\.message).joined(separator: "；")
        var effects = Effects()
        effects.audit.append(entry("application.rules-decided", by: .rules, from: status,
                                   detail: ["outcome": decision.outcome.rawValue, "reasons": reasons]))
        guard missing.isEmpty || decision.outcome == .denied else { return effects }
        effects.append(try accept(deferred: [], supplementDue: nil, by: .rules, at: now, calendar: calendar))
        switch decision.outcome {
        case .approved:
            for index in items.indices where decision.covers(items[index].code) {
                effects.append(decide(itemAt: index, approve: true, basis: .rules,
                                      opinion: reasons.isEmpty ? "符合智能审批规则，准予许可" : reasons, by: .rules, at: now))
            }
        case .denied:
            for index in items.indices where decision.covers(items[index].code) {
                effects.append(decide(itemAt: index, approve: false, basis: .rules, opinion: reasons, by: .rules, at: now))
            }
        case .review:
            break
        }
        return effects
    }

    /// 自动用印: an application whose every item was decided without a person's review (by rules,
    /// 即办 or 告知承诺), or one whose capability seals it once its reviewers approve, is issued
    /// under the bureau's electronic seal in the deciding transaction — once every condition set on
    /// it has been met.
    mutating func issueAutomatically(project: Project, catalog: Catalog, hooks: ApprovalHooks, at now: Date) throws -> Effects {
        guard status == .approved, outstandingDeficiencies.isEmpty, unmetConditions.isEmpty,
              items.allSatisfy({ $0.basis?.issuesAutomatically == true }) || hooks.sealsOnApproval(self) else {
            return Effects()
        }
        return try issue(project: project, catalog: catalog, terms: hooks.terms(for: self), by: .rules, at: now)
    }

    /// A condition set on the application met by an account of the department and region it names.
    mutating func meet(condition id: String, by actor: Actor, at now: Date, today: CivilDate) throws -> Effects {
        guard let index = conditions?.firstIndex(where: { $0.id == id }), let condition = conditions?[index] else {
            throw ApprovalError.notFound("条件 \(id)")
        }
        // Only the named authority learns more than that there is nothing here for it: who may act
        // is checked before what state the condition is in.
        guard actor.role != .applicant || actor.firm == firm else { throw ApprovalError.notFound("申请 \(self.id)") }
        guard actor.department == condition.department, actor.region == condition.region else {
            throw ApprovalError.forbidden("“\(condition.title)”须由 \(condition.region) 的 \(condition.department) 确认")
        }
        guard condition.metAt == nil else {
            throw ApprovalError.conflict(code: "condition-met", message: "“\(condition.title)”已于 \(condition.metOn?.description ?? "") 由\(condition.metBy ?? "")确认")
        }
        try require([.submitted, .accepted, .acceptedWithDeficiencies, .underReview, .approved, .partlyApproved, .correctionRequested], to: "确认条件")
        conditions?[index].metBy = actor.name
        conditions?[index].metAt = now
        conditions?[index].metOn = today
        return Effects(audit: [entry("application.condition-met", by: actor, from: status,
                                     detail: ["condition": id, "title": condition.title, "region": condition.region])],
                       events: [IssuanceConditionMet(applicationID: self.id, condition: id, metBy: actor.name)])
    }
}
