import Approval
import CapabilityKit
import Foundation
import Kernel

/// The console's forms as posted, turned into the same inputs the API's JSON bodies decode to.
/// A posted form that the service refuses is kept, to show again with the refusal beside its field.
enum ConsoleForms {
    /// 受理 / 容缺受理 (`decision=accept`, `deferred[]`, `supplementDue`) or 不予受理 (`decision=refuse`, `reason`).
    struct Acceptance: Decodable, Sendable {
        var decision: String?
        var deferred: [String]?
        var supplementDue: String?
        var reason: String?

        func input() throws -> AcceptanceDecision {
            switch decision {
            case "refuse":
                return AcceptanceDecision(decision: .refuse, reason: reason)
            case "accept":
                let deferred = deferred ?? []
                return AcceptanceDecision(decision: .accept, deferred: deferred.isEmpty ? nil : deferred,
                                          supplementDue: try PostedForm.day(supplementDue, field: "supplementDue"), reason: nil)
            default:
                throw KernelError.invalidField(field: "decision", message: "请选择受理或不予受理")
            }
        }
    }

    /// One item's review: `item`, `decision=approve|deny` (the button pressed), `opinion`.
    struct Review: Decodable, Sendable {
        var item: String?
        var decision: String?
        var opinion: String?

        func input() throws -> ReviewDecision {
            guard let decision = decision.flatMap(ReviewDecision.Decision.init(rawValue:)) else {
                throw KernelError.invalidField(field: "decision", message: "请选择准予许可或不予许可")
            }
            return ReviewDecision(item: item ?? "", decision: decision, opinion: opinion)
        }
    }

    /// 联合踏勘 as the clerk schedules it: `date`, `place`.
    struct Survey: Decodable, Sendable {
        var date: String?
        var place: String?

        func input() throws -> SurveySchedule {
            guard let day = try PostedForm.day(date, field: "date") else {
                throw KernelError.invalidField(field: "date", message: "请选择踏勘日期")
            }
            return SurveySchedule(date: day, place: place)
        }
    }

    /// A department's survey findings: `findings`, `meets=yes|no` (the button pressed).
    struct SurveyFindings: Decodable, Sendable {
        var findings: String?
        var meets: String?

        func input() throws -> Approval.SurveyFindings {
            guard let meets, ["yes", "no"].contains(meets) else {
                throw KernelError.invalidField(field: "meets", message: "请选择符合或不符合条件")
            }
            return Approval.SurveyFindings(findings: findings ?? "", meets: meets == "yes")
        }
    }
}

/// The form the service refused, with what was posted.
enum ConsoleAttempt: Sendable {
    case acceptance(ConsoleForms.Acceptance, FormRefusal)
    case review(ConsoleForms.Review, FormRefusal)
    case issuance(FormRefusal)
    case survey(ConsoleForms.Survey, FormRefusal)
    case surveyFindings(ConsoleForms.SurveyFindings, FormRefusal)
}
