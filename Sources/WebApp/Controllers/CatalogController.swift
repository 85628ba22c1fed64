import CapabilityKit
import Approval
import Foundation
import Hummingbird
import Kernel

/// The catalog as the public reads it (一次告知): items, and the combined notice of a bundle.
struct CatalogController {
    let catalog: Catalog

    struct ItemSummary: Encodable {
        let code: String
        let name: String
        let department: String
        let departmentName: String
        let modes: [ApprovalMode]
        let legalDays: Int
        let promisedDays: Int
        let survey: Bool
        let defaultApprovalOnTimeout: Bool
    }

    func register(on router: RouterGroup<AppRequestContext>) {
        router.get("catalog/items") { _, _ -> Response in
            try JSON.response(catalog.sortedItems.map(summary))
        }
        router.get("catalog/items/:code") { _, context -> Response in
            let code = try context.parameters.require("code")
            guard let item = catalog.items[code] else { throw KernelError.notFound("事项 \(code)") }
            return try JSON.response(item)
        }
        router.get("catalog/departments") { _, _ -> Response in
            try JSON.response(catalog.departments.values.sorted { $0.id < $1.id })
        }
        router.get("catalog/regions") { _, _ -> Response in
            try JSON.response(catalog.regions.values.sorted { $0.code < $1.code })
        }
        router.get("bundles/:bundle/notice") { request, context -> Response in
            let code = try context.parameters.require("bundle")
            guard let bundle = catalog.bundles[code] else { throw KernelError.notFound("组合 \(code)") }
            let requested = request.uri.queryParameters.get("items").map { $0.split(separator: ",").map(String.init) } ?? []
            let chosen = try BundleMenu.choose(requested, bundle: bundle.code, catalog: catalog, includeAlways: true)
            return try JSON.response(CombinedNotice(items: chosen, bundle: bundle.code))
        }
    }

    func summary(_ item: CatalogItem) -> ItemSummary {
        ItemSummary(code: item.code, name: item.name, department: item.department, departmentName: catalog.departments[item.department]?.name ?? item.department,
                    modes: item.modes, legalDays: item.legalDays, promisedDays: item.promisedDays, survey: item.needsSurvey,
                    defaultApprovalOnTimeout: item.approvesByDefaultOnTimeout)
    }
}
