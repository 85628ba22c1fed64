import Foundation
import Kernel

public struct ReviewDecision: Codable, Sendable {
    public enum Decision: String, Codable, Sendable {
        case approve, deny
    }

    public var item: String
    public var decision: Decision
    public var opinion: String?

    public init(item: String, decision: Decision, opinion: String?) {
        self.item = item
        self.decision = decision
        self.opinion = opinion
    }
}

extension ApprovalService {
    /// 并联审批: each department reviews its own items, in any order; the last review decides.
    public func review(_ applicationID: String, _ input: ReviewDecision, by actor: Actor) async throws -> Application {
        try require(actor, is: .reviewer, to: "只有部门审查人员可以审查")
        let opinion = try text(input.opinion, field: "opinion", required: input.decision == .deny, max: 2000, multiline: true)
            ?? "经审查，符合法定条件和标准，准予许可"
        let (application, _) = try await visibleApplication(applicationID, to: actor)
        guard let item = application.items.first(where: { $0.code == input.item }) else {
            throw ApprovalError.invalidField(field: "item", message: "本申请不含事项 \(input.item)")
        }
        guard item.department == actor.department else {
            throw ApprovalError.forbidden("事项 \(item.code) 由\(catalog.departments[item.department]?.name ?? item.department)审查")
        }
        let (catalog, hooks, now) = (self.catalog, self.hooks, dependencies.now())
        return try await store.update(applicationID: applicationID, at: now) { application, project in
            var effects = try application.review(item: input.item, approve: input.decision == .approve, opinion: opinion, by: actor, at: now)
            effects.append(try application.issueAutomatically(project: project, catalog: catalog, hooks: hooks, at: now))
            return effects
        }
    }

    /// A condition set on the application is met (another region confirms its part); an
    /// application its capability seals on approval is issued at once if nothing else is awaited.
    public func meetCondition(_ conditionID: String, of applicationID: String, by actor: Actor) async throws -> Application {
        let (catalog, hooks, now) = (self.catalog, self.hooks, dependencies.now())
        let today = calendar.today(at: now)
        return try await store.update(applicationID: applicationID, at: now) { application, project in
            var effects = try application.meet(condition: conditionID, by: actor, at: now, today: today)
            effects.append(try application.issueAutomatically(project: project, catalog: catalog, hooks: hooks, at: now))
            return effects
        }
    }

    /// The sweep of 容缺 promises: every deferred material past its promised day is recorded once
    /// as a broken commitment and its firm told. Returns how many applications had one.
    @discardableResult
    public func recordOverdueDeficiencies() async throws -> Int {
        let now = dependencies.now()
        let today = calendar.today(at: now)
        var recorded = 0
        for id in try await store.applicationsWithDeficiencies(dueBefore: today) {
            _ = try await store.update(applicationID: id, at: now) { application, _ in
                application.recordOverdueDeficiencies(on: today, at: now)
            }
            recorded += 1
        }
        return recorded
    }

    /// 超时默认: approves, as the system, every pending item configured so whose promised date
    /// has passed. Returns how many applications changed.
    @discardableResult
    public func applyTimeoutDefaults() async throws -> Int {
        let now = dependencies.now()
        let today = calendar.today(at: now)
        let defaultItems = Set(catalog.items.values.filter(\.approvesByDefaultOnTimeout).map(\.code))
        guard !defaultItems.isEmpty else { return 0 }
        let due = try await store.applications(ApplicationQuery(statuses: [.accepted, .acceptedWithDeficiencies, .underReview], promisedBefore: today))
        var changed = 0
        var trusted: [String: Bool] = [:]
        for application in due where application.items.contains(where: { $0.status == .pending && defaultItems.contains($0.code) }) {
            // 失信者处处受限: a firm below the credit gate waits for a person's decision.
            if trusted[application.firm] == nil {
                trusted[application.firm] = levelMissed(try await creditStanding(of: application.firm), gate: \.timeoutDefault) == nil
            }
            guard trusted[application.firm] == true else { continue }
            _ = try await store.update(applicationID: application.id, at: now) { application, _ in
                application.approveByDefault(items: defaultItems, at: now)
            }
            changed += 1
        }
        return changed
    }
}
