import Approval
import Foundation
import Kernel

/// What the rules know of the site and the firm besides the application itself.
public struct SiteFacts: Sendable, Equatable {
    /// The site's earlier night-work permit (its own, or inside a 综合许可证), if any.
    public let earlierPermit: String?
    /// The firm's credit level today.
    public let creditLevel: String
    public let creditLevelName: String
    /// Whether the firm stands below the level that goes to a person.
    public let creditBelowReview: Bool
    /// Night-noise alerts at the site within the rules' recent days, open or confirmed.
    public let recentAlerts: Int
    /// Evidence materials on file (uploaded now or reused from the earlier permit).
    public let materialsOnFile: Set<String>

    public init(earlierPermit: String?, creditLevel: String, creditLevelName: String, creditBelowReview: Bool, recentAlerts: Int,
                materialsOnFile: Set<String>) {
        self.earlierPermit = earlierPermit
        self.creditLevel = creditLevel
        self.creditLevelName = creditLevelName
        self.creditBelowReview = creditBelowReview
        self.recentAlerts = recentAlerts
        self.materialsOnFile = materialsOnFile
    }
}

/// 智能审批 of night work: every rule is evaluated and every one that fires says why; the
/// strictest outcome wins.
public enum NightWorkDecision {
    public static func decide(_ schedule: NightSchedule, facts: SiteFacts, rules: NightWorkRules, materialNames: [String: String]) -> RuleDecision {
        var verdicts: [(outcome: RuleDecision.Outcome, reason: RuleReason)] = []
        let missing = schedule.reason.evidence.filter { !facts.materialsOnFile.contains($0) }
        if !missing.isEmpty {
            verdicts.append((.denied, RuleReason(rule: "evidence-missing",
                message: "“\(schedule.reason.name)”须提供：\(missing.map { materialNames[$0] ?? $0 }.joined(separator: "、"))")))
        }
        let near = rules.receptors.filter { schedule.receptors.contains($0.kind) }
        if schedule.reason.exemptFromBlackouts != true {
            for blackout in rules.blackouts where blackout.from <= schedule.lastNight && schedule.firstNight <= blackout.to {
                for receptor in near where blackout.near.contains(receptor.kind) {
                    verdicts.append((.denied, RuleReason(rule: "blackout",
                        message: "作业时段与\(blackout.name)（\(blackout.from) 至 \(blackout.to)）重叠，工地周边有\(receptor.name)，期间不得夜间施工")))
                }
            }
        }
        for receptor in near {
            if let most = receptor.maxNights, schedule.nights > most {
                verdicts.append((.denied, RuleReason(rule: "receptor-max-nights",
                    message: "工地周边有\(receptor.name)，单次许可不超过 \(most) 晚，本次申请 \(schedule.nights) 晚")))
            }
            if receptor.review == true {
                verdicts.append((.review, RuleReason(rule: "receptor-review", message: "工地周边有\(receptor.name)，由审查人员评估影响")))
            }
        }
        if schedule.reason.review == true {
            verdicts.append((.review, RuleReason(rule: "reason-review", message: "“\(schedule.reason.name)”须由审查人员逐案审核")))
        }
        if facts.earlierPermit == nil, rules.firstApplication == .review {
            verdicts.append((.review, RuleReason(rule: "first-application", message: "该工地首次申请夜间施工，由审查人员审核")))
        }
        if facts.creditBelowReview {
            verdicts.append((.review, RuleReason(rule: "credit-level",
                message: "申请单位信用等级为 \(facts.creditLevel)（\(facts.creditLevelName)），低于 \(rules.creditBelowReview ?? "") 级，转人工审核")))
        }
        if let recent = rules.recentAlerts, facts.recentAlerts >= recent.atLeast {
            verdicts.append((.review, RuleReason(rule: "recent-alerts",
                message: "该工地近 \(recent.days) 日有 \(facts.recentAlerts) 次未排除的夜间噪声超标告警，转人工审核")))
        }
        if let earlier = facts.earlierPermit {
            verdicts.append((.approved, RuleReason(rule: "linked-permit", message: "同一工地已有夜间施工许可 \(earlier)，已自动关联既有资料")))
        }
        verdicts.append((.approved, RuleReason(rule: "rules-passed", message: "\(schedule.nightsText)，\(schedule.hoursText)，符合夜间施工规则")))
        return RuleDecision.combining(verdicts)
    }
}
