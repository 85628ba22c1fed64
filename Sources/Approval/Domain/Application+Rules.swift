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
            for index in items.indices {
                effects.append(decide(itemAt: index, approve: true, basis: .rules,
                                      opinion: reasons.isEmpty ? "符合智能审批规则，准予许可" : reasons, by: .rules, at: now))
            }
        case .denied:
            for index in items.indices {
                effects.append(decide(itemAt: index, approve: false, basis: .rules, opinion: reasons, by: .rules, at: now))
            }
        case .review:
            break
        }
        return effects
    }

    /// 自动用印: an application whose every item was decided without a person's review (by rules,
    /// 即办 or 告知承诺) is issued under the bureau's electronic seal in the deciding transaction.
    mutating func issueAutomatically(project: Project, catalog: Catalog, terms: [String: PermitTerms], at now: Date) throws -> Effects {
        guard status == .approved, outstandingDeficiencies.isEmpty, items.allSatisfy({ $0.basis?.issuesAutomatically == true }) else {
            return Effects()
        }
        return try issue(project: project, catalog: catalog, terms: terms, by: .rules, at: now)
    }
}
