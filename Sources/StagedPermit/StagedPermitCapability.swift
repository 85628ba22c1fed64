import Approval
import CapabilityKit
import Foundation
import Kernel

/// 分阶段施工许可 on the capability seam: its stages are its catalog section, and its one rule —
/// a full permit links and supersedes the stage permits it replaces — is a lifecycle hook.
public struct StagedPermitCapability: Capability {
    public static let name = "staged-permit"
    /// The stage permit is applied for as its bundle: the stage's item and what it requires.
    public static let wizardBundles = [name]

    let stages: [Stage]
    let catalog: Catalog

    public static func checkCatalog(_ section: inout CatalogSection, catalog: Catalog) {
        _ = readStages(&section, catalog: catalog)
    }

    /// Every stage file, each checked against the catalog's items.
    static func readStages(_ section: inout CatalogSection, catalog: Catalog) -> [Stage] {
        var stages: [Stage] = []
        for file in section.files() {
            guard let (stage, document) = section.read(file, as: Stage.self) else { continue }
            let before = section.issues.count
            if catalog.items[stage.item] == nil { section.report(document, at: [.key("item")], "阶段 \(stage.code) 引用了不存在的事项 \(stage.item)") }
            for (index, code) in stage.supersededBy.enumerated() where catalog.items[code] == nil {
                section.report(document, at: [.key("supersededBy"), .index(index)], "阶段 \(stage.code) 引用了不存在的事项 \(code)")
            }
            if stages.contains(where: { $0.code == stage.code }) { section.report(document, at: [.key("code")], "阶段 \(stage.code) 重复") }
            if section.issues.count == before { stages.append(stage) }
        }
        return stages
    }

    public init(_ setup: CapabilitySetup) throws {
        var stages: [Stage] = []
        try Self.section(in: setup.catalogDirectory) { stages = Self.readStages(&$0, catalog: setup.catalog) }
        self.init(stages: stages, catalog: setup.catalog)
    }

    public init(stages: [Stage], catalog: Catalog) {
        self.stages = stages
        self.catalog = catalog
    }

    public var hooks: ApprovalHooks { ApprovalHooks(linkedSources: [StagePermits(stages: stages)]) }
}
