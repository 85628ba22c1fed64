import CapabilityKit
import ComprehensivePermit
import Foundation
import Kernel
import NightWork
import StagedPermit
import WasteDisposal

/// The service's capabilities. Adding one is adding it here: its migrations, catalog section,
/// hooks, subscribers, routes, pages and jobs are wired from this list.
public let allCapabilities: [any Capability.Type] = [ComprehensivePermitCapability.self, StagedPermitCapability.self,
                                                    NightWorkCapability.self, WasteDisposalCapability.self]

/// Every problem in a catalog folder: the engines' part, then — once that reads — each
/// capability's section, sorted by file and line.
public func validateCatalog(directory: URL) -> [CatalogIssue] {
    let issues = CatalogLoader.validate(directory: directory)
    guard issues.isEmpty, let catalog = try? CatalogLoader.load(from: directory) else { return issues }
    return allCapabilities.flatMap { capability in
        var section = CatalogSection(directory: directory, name: capability.name)
        capability.checkCatalog(&section, catalog: catalog)
        return section.issues
    }.sorted()
}
