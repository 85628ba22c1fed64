import Foundation
import Kernel

public struct AcceptanceDecision: Codable, Sendable {
    public enum Decision: String, Codable, Sendable {
        case accept, refuse
    }

    public var decision: Decision
    /// Deferrable materials the applicant has not submitted, accepted under 容缺.
    public var deferred: [String]?
    public var supplementDue: CivilDate?
    public var reason: String?

    public init(decision: Decision, deferred: [String]? = nil, supplementDue: CivilDate? = nil, reason: String? = nil) {
        self.decision = decision
        self.deferred = deferred
        self.supplementDue = supplementDue
        self.reason = reason
    }
}

extension ApprovalService {
    /// 一窗受理: the clerk accepts (deferring missing non-key materials to a promised date) or
    /// refuses. Items under 告知承诺 (when the applicant committed) and 即办 items are decided now.
    public func accept(_ applicationID: String, _ input: AcceptanceDecision, by actor: Actor) async throws -> Application {
        try require(actor, is: .clerk, to: "只有综合窗口受理人员可以受理")
        let now = dependencies.now()
        let today = calendar.today(at: now)
        let reason = try text(input.reason, field: "reason", required: input.decision == .refuse)
        let deferred = input.deferred ?? []
        if !deferred.isEmpty {
            guard let due = input.supplementDue else {
                throw ApprovalError.invalidField(field: "supplementDue", message: "容缺受理须约定补交日期")
            }
            guard due > today else { throw ApprovalError.invalidField(field: "supplementDue", message: "补交日期应晚于今天") }
            guard calendar.years.contains(due.year) else {
                throw ApprovalError.invalidField(field: "supplementDue", message: "补交日期超出工作日历范围")
            }
        }
        let (catalog, hooks) = (self.catalog, self.hooks)
        // 失信者处处受限: a firm that fell below the credit gate since submitting loses 告知承诺 too.
        var creditRefusal: String?
        if let found = try await store.application(id: applicationID)?.application, found.commitment {
            creditRefusal = commitmentRefusal(try await creditStanding(of: found.firm))
        }
        return try await store.update(applicationID: applicationID, at: now) { [creditRefusal] application, project in
            switch input.decision {
            case .refuse:
                return try application.refuse(reason: reason!, by: actor, at: now)
            case .accept:
                try application.require([.submitted], to: "受理")
                let missing = application.materials.filter { $0.state == .missing }.map(\.material)
                for (index, id) in deferred.enumerated() where !missing.contains(id) {
                    throw ApprovalError.invalidField(field: "deferred[\(index)]", message: "材料 \(id) 不是本申请缺少的可容缺材料")
                }
                if let absent = missing.first(where: { !deferred.contains($0) }) {
                    throw ApprovalError.ruleViolated(code: "material-missing", message: "材料 \(absent) 未提交，须列入容缺材料或要求补正",
                                                     field: "deferred")
                }
                var effects = try application.accept(deferred: deferred, supplementDue: input.supplementDue, by: actor, at: now,
                                                     calendar: catalog.calendar)
                let decidedNow = application.items.compactMap { item -> (String, DecisionBasis)? in
                    guard let spec = catalog.items[item.code] else { return nil }
                    if application.commitment, spec.allowsCommitment, creditRefusal == nil { return (item.code, .commitment) }
                    if spec.modes == [.instant] { return (item.code, .instant) }
                    return nil
                }
                if application.commitment, let creditRefusal {
                    effects.audit.append(application.entry("application.commitment-withdrawn", by: .system, from: application.status,
                                                           detail: ["reason": creditRefusal]))
                }
                effects.append(application.decideAtAcceptance(decidedNow, by: actor, at: now))
                effects.append(try application.issueAutomatically(project: project, catalog: catalog, hooks: hooks, at: now))
                return effects
            }
        }
    }
}
