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

    struct NoticeMaterial: Encodable {
        let id: String
        let name: String
        let requirement: Material.Requirement
        let requiredBy: [String]
        let deferrable: Bool
        let electronic: Bool
    }

    struct NoticeField: Encodable {
        let key: String
        let label: String
        let type: FormField.FieldType
        let required: Bool
        let options: [String]?
        let requiredBy: [String]
    }

    struct Notice: Encodable {
        let bundle: String
        let items: [ItemSummary]
        let materials: [NoticeMaterial]
        let fields: [NoticeField]
        let survey: [String]
        let promisedDays: Int
        let legalDays: Int
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
            let requested = request.uri.queryParameters.get("items").map { $0.split(separator: ",").map(String.init) } ?? bundle.items
            for item in requested where !bundle.items.contains(item) {
                throw KernelError.invalidField(field: "items", message: "事项 \(item) 不在“\(bundle.name)”的可选范围内")
            }
            let chosen = Array(Set(requested + (bundle.alwaysIncluded ?? []))).sorted().compactMap { catalog.items[$0] }
            return try JSON.response(notice(for: chosen, bundle: bundle))
        }
    }

    func summary(_ item: CatalogItem) -> ItemSummary {
        ItemSummary(code: item.code, name: item.name, department: item.department, departmentName: catalog.departments[item.department]?.name ?? item.department,
                    modes: item.modes, legalDays: item.legalDays, promisedDays: item.promisedDays, survey: item.needsSurvey,
                    defaultApprovalOnTimeout: item.approvesByDefaultOnTimeout)
    }

    /// Every material and field once, with the items that need it.
    func notice(for items: [CatalogItem], bundle: Kernel.Bundle) -> Notice {
        var materials: [NoticeMaterial] = []
        for material in items.flatMap(\.materials) where !materials.contains(where: { $0.id == material.id }) {
            let users = items.filter { $0.materials.contains { $0.id == material.id } }
            let requirements = users.compactMap { $0.materials.first { $0.id == material.id }?.requirement }
            let strictest: Material.Requirement = requirements.contains(.required) ? .required : requirements.contains(.deferrable) ? .deferrable : .optional
            materials.append(NoticeMaterial(id: material.id, name: material.name, requirement: strictest, requiredBy: users.map(\.code),
                                            deferrable: strictest == .deferrable, electronic: material.isElectronic))
        }
        let fields = MergedForm.fields(for: items).map { field in
            let users = items.filter { $0.fields.contains { $0.key == field.key } }
            return NoticeField(key: field.key, label: field.label, type: field.type,
                               required: field.isRequired, options: field.options, requiredBy: users.map(\.code))
        }
        let survey = Array(Set(items.filter(\.needsSurvey).map(\.department))).sorted()
        return Notice(bundle: bundle.code, items: items.map(summary), materials: materials, fields: fields, survey: survey,
                      promisedDays: items.map(\.promisedDays).max() ?? 0, legalDays: items.map(\.legalDays).max() ?? 0)
    }
}
