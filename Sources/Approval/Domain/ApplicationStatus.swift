/// Where an application stands. The transitions are in `Application+Lifecycle.swift`.
public enum ApplicationStatus: String, Codable, Sendable, CaseIterable {
    case submitted
    case accepted
    /// 容缺受理: accepted with non-key materials deferred to a promised date.
    case acceptedWithDeficiencies = "accepted-with-deficiencies"
    case refused
    case underReview = "under-review"
    /// 补正: the applicant must correct something; the clock is paused.
    case correctionRequested = "correction-requested"
    case approved
    case partlyApproved = "partly-approved"
    case denied
    case issued
    case withdrawn

    public var label: String {
        switch self {
        case .submitted: "已提交"
        case .accepted: "已受理"
        case .acceptedWithDeficiencies: "容缺受理"
        case .refused: "不予受理"
        case .underReview: "审查中"
        case .correctionRequested: "待补正"
        case .approved: "准予许可"
        case .partlyApproved: "部分准予许可"
        case .denied: "不予许可"
        case .issued: "已出证"
        case .withdrawn: "已撤回"
        }
    }

    /// Accepted and not yet decided: departments may review, the clock runs.
    var isUnderWay: Bool { [.accepted, .acceptedWithDeficiencies, .underReview].contains(self) }

    var isOpen: Bool { [.submitted, .correctionRequested].contains(self) || isUnderWay }
}

public enum ItemStatus: String, Codable, Sendable {
    case pending, approved, denied
}

/// Why an item was decided the way it was.
public enum DecisionBasis: String, Codable, Sendable {
    /// A department reviewer decided.
    case review
    /// 告知承诺制: the applicant's signed commitment, at acceptance.
    case commitment
    /// 即办: decided at acceptance.
    case instant
    /// 超时默认: the promised time passed and the item is configured to approve by default.
    case timeoutDefault = "timeout-default"
    /// 智能审批: a capability's rules decided at submission.
    case rules

    /// Decided without a person's review, so the issuance may follow without an issuer (自动用印).
    var issuesAutomatically: Bool { self == .commitment || self == .instant || self == .rules }
}
