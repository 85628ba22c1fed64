import Approval
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
}

/// Why the service refused a form: the field it names (`deferred[1]` is the `deferred` choice)
/// and its message in Chinese, without the API's "字段 … 无效" frame, since it stands beside the field.
struct FormRefusal: Sendable {
    let field: String?
    let message: String

    init(_ error: any DomainError) {
        field = error.field.map { String($0.prefix { $0 != "[" }) }
        message = switch error {
        case ApprovalError.invalidField(_, let message): message
        case KernelError.invalidField(_, let message): message
        default: error.message
        }
    }

    /// The message when it belongs beside `name`.
    func beside(_ name: String) -> String? {
        field == name ? message : nil
    }

    /// The message when it names none of the form's own fields: shown at the top of the form.
    func general(besides fields: Set<String>) -> String? {
        field.map(fields.contains) == true ? nil : message
    }
}

/// The form the service refused, with what was posted.
enum ConsoleAttempt: Sendable {
    case acceptance(ConsoleForms.Acceptance, FormRefusal)
    case review(ConsoleForms.Review, FormRefusal)
    case issuance(FormRefusal)
}
