import Approval
import Foundation
import Kernel

/// 分阶段施工许可: a full permit applied for on a project links the firm's issued stage permits
/// that the stages say it replaces — their data is reused, and issuing it supersedes them. Stages
/// are data (`Modules/staged-permit/`), so a second stage type needs no code.
public struct StagePermits: LinkedApplicationSource {
    let stages: [Stage]

    public init(stages: [Stage]) {
        self.stages = stages
    }

    /// The stages the chosen items replace.
    public func replacedStages(by items: [CatalogItem]) -> [Stage] {
        stages.filter { stage in items.contains { stage.supersededBy.contains($0.code) } }
    }

    public func linked(to items: [CatalogItem], project: Project, firm: String, store: any ApprovalStore) async throws -> [LinkedApplication] {
        let replaced = replacedStages(by: items)
        guard !replaced.isEmpty else { return [] }
        return try await store.applications(ApplicationQuery(firm: firm, projectID: project.id, statuses: [.issued]))
            .sorted { $0.submittedAt < $1.submittedAt }
            .compactMap { application in
                guard let stage = replaced.first(where: { stage in application.items.contains { $0.code == stage.item && $0.status == .approved } })
                else { return nil }
                return LinkedApplication(application, supersededOnIssue: true, note: stage.supersededNote)
            }
    }
}
