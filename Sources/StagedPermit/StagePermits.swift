import Approval
import Foundation
import Kernel

/// 分阶段施工许可: a full permit applied for on a project links the firm's issued stage permits
/// that the catalog's stages say it replaces — their data is reused, and issuing it supersedes
/// them. Stages are data (`Modules/stages/`), so a second stage type needs no code.
public struct StagePermits: LinkedApplicationSource {
    let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// The stage items the chosen items replace.
    public func replacedStageItems(by items: [CatalogItem]) -> Set<String> {
        Set(catalog.stages.values.filter { stage in items.contains { stage.supersededBy.contains($0.code) } }.map(\.item))
    }

    public func linked(to items: [CatalogItem], project: Project, firm: String, store: any ApprovalStore) async throws -> [LinkedApplication] {
        let stageItems = replacedStageItems(by: items)
        guard !stageItems.isEmpty else { return [] }
        return try await store.applications(ApplicationQuery(firm: firm, projectID: project.id, statuses: [.issued]))
            .filter { application in application.items.contains { stageItems.contains($0.code) && $0.status == .approved } }
            .sorted { $0.submittedAt < $1.submittedAt }
            .map { LinkedApplication($0, supersededOnIssue: true) }
    }
}
