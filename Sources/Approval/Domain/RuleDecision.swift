import Foundation
import Kernel

/// One rule that fired, in words the firm reads.
public struct RuleReason: Codable, Sendable, Equatable {
    /// Stable id of the rule, e.g. `credit-level`.
    public let rule: String
    public let message: String

    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }
}

/// What a capability's rules decided at submission.
public struct RuleDecision: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        /// Every rule passed: approved, and issued at once.
        case approved
        /// A reviewer decides; the reasons say why the rules could not.
        case review
        /// Refused by the rules; the firm may ask for a person to review it.
        case denied
    }

    public let outcome: Outcome
    public let reasons: [RuleReason]
    /// The items the decision covers, when not all: the others go to their departments' reviewers.
    public let items: [String]?

    public init(outcome: Outcome, reasons: [RuleReason], items: [String]? = nil) {
        self.outcome = outcome
        self.reasons = reasons
        self.items = items
    }

    func covers(_ item: String) -> Bool { items?.contains(item) ?? true }

    /// The strictest of the outcomes the rules reached, with every reason that led to it.
    public static func combining(_ verdicts: [(outcome: Outcome, reason: RuleReason)]) -> RuleDecision {
        let denied = verdicts.filter { $0.outcome == .denied }
        if !denied.isEmpty { return RuleDecision(outcome: .denied, reasons: denied.map(\.reason)) }
        let review = verdicts.filter { $0.outcome == .review }
        if !review.isEmpty { return RuleDecision(outcome: .review, reasons: review.map(\.reason)) }
        return RuleDecision(outcome: .approved, reasons: verdicts.map(\.reason))
    }
}
