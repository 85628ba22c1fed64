import Approval
import CapabilityKit
import Kernel

/// What the guide pages show, in the words a firm reads (Chinese labels, not codes).
enum GuideText {
    static func mode(_ mode: ApprovalMode) -> String {
        switch mode {
        case .approval: "审批制"
        case .commitment: "告知承诺制"
        case .instant: "即办"
        }
    }

    static func fieldType(_ type: FormField.FieldType) -> String {
        switch type {
        case .text: "文字"
        case .number: "数字"
        case .date: "日期"
        case .uscc: "统一社会信用代码"
        case .phone: "电话号码"
        case .areaM2: "面积（平方米）"
        case .moneyYuan: "金额（元）"
        case .choice: "选项"
        }
    }
}

struct GuideIndexPage {
    struct Row {
        let code: String
        let name: String
        let modes: [String]
        let legalDays: Int
        let promisedDays: Int
    }

    struct DepartmentSection {
        let name: String
        let items: [Row]
    }

    struct BundleLink {
        let code: String
        let name: String
    }

    let departments: [DepartmentSection]
    let bundles: [BundleLink]

    init(catalog: Catalog) {
        let byDepartment = Dictionary(grouping: catalog.sortedItems, by: \.department)
        departments = byDepartment.keys.sorted().map { id in
            DepartmentSection(name: catalog.departments[id]?.name ?? id, items: byDepartment[id]!.map {
                Row(code: $0.code, name: $0.name, modes: $0.modes.map(GuideText.mode), legalDays: $0.legalDays, promisedDays: $0.promisedDays)
            })
        }
        bundles = catalog.bundles.values.sorted { $0.code < $1.code }.map { BundleLink(code: $0.code, name: $0.name) }
    }
}

struct GuideItemPage {
    struct MaterialRow {
        let name: String
        let description: String
        let required: Bool
        let deferrable: Bool
        let optional: Bool
        let electronic: Bool
    }

    struct FieldRow {
        let label: String
        let typeLabel: String
        let required: Bool
    }

    struct SupervisionRow {
        let department: String
        let name: String
        let dueDays: Int
    }

    let code: String
    let name: String
    let department: String
    let legalBasis: String?
    let modes: [String]
    let legalDays: Int
    let promisedDays: Int
    let defaultApproval: Bool
    let survey: Bool
    let preconditions: [Precondition]
    let hasPreconditions: Bool
    let materials: [MaterialRow]
    let fields: [FieldRow]
    let supervision: [SupervisionRow]
    let hasSupervision: Bool

    init(item: CatalogItem, catalog: Catalog) {
        code = item.code
        name = item.name
        department = catalog.departments[item.department]?.name ?? item.department
        legalBasis = item.legalBasis
        modes = item.modes.map(GuideText.mode)
        legalDays = item.legalDays
        promisedDays = item.promisedDays
        defaultApproval = item.approvesByDefaultOnTimeout
        survey = item.needsSurvey
        preconditions = item.preconditions ?? []
        hasPreconditions = !preconditions.isEmpty
        materials = item.materials.map {
            MaterialRow(name: $0.name, description: $0.description ?? "", required: $0.requirement == .required,
                        deferrable: $0.requirement == .deferrable, optional: $0.requirement == .optional, electronic: $0.isElectronic)
        }
        fields = item.fields.map { FieldRow(label: $0.label, typeLabel: GuideText.fieldType($0.type), required: $0.isRequired) }
        supervision = (item.supervision ?? []).map {
            SupervisionRow(department: catalog.departments[$0.department]?.name ?? $0.department, name: $0.name, dueDays: $0.dueDays)
        }
        hasSupervision = !supervision.isEmpty
    }
}

struct GuideBundlePage {
    struct MenuRow {
        let code: String
        let name: String
        let department: String
        let checked: Bool
        let always: Bool
    }

    struct Notice {
        struct MaterialRow {
            let name: String
            let required: Bool
            let deferrable: Bool
            let optional: Bool
            let electronic: Bool
            let requiredBy: String
        }

        struct FieldRow {
            let label: String
            let typeLabel: String
            let required: Bool
            let requiredBy: String
        }

        let materials: [MaterialRow]
        let materialCount: Int
        let fields: [FieldRow]
        let fieldCount: Int
        let survey: String?
        let promisedDays: Int
        let legalDays: Int

        /// The combined notice in the words a firm reads: the items, departments and types by name.
        init(_ combined: CombinedNotice, catalog: Catalog) {
            let names = { (codes: [String]) in codes.map { catalog.items[$0]?.name ?? $0 }.joined(separator: "、") }
            materials = combined.materials.map {
                .init(name: $0.name, required: $0.requirement == .required, deferrable: $0.requirement == .deferrable,
                      optional: $0.requirement == .optional, electronic: $0.electronic, requiredBy: names($0.requiredBy))
            }
            materialCount = combined.materials.count
            fields = combined.fields.map { .init(label: $0.label, typeLabel: GuideText.fieldType($0.type), required: $0.required, requiredBy: names($0.requiredBy)) }
            fieldCount = combined.fields.count
            survey = combined.survey.isEmpty ? nil : combined.survey.map { catalog.departments[$0]?.name ?? $0 }.joined(separator: "、")
            promisedDays = combined.promisedDays
            legalDays = combined.legalDays
        }
    }

    let code: String
    let name: String
    let menu: [MenuRow]
    let notice: Notice?
    let problem: String?

    init(bundle: Kernel.Bundle, chosen: [String], catalog: Catalog) {
        code = bundle.code
        name = bundle.name
        let always = Set(bundle.alwaysIncluded ?? [])
        menu = bundle.items.compactMap { catalog.items[$0] }.map { item in
            MenuRow(code: item.code, name: item.name, department: catalog.departments[item.department]?.name ?? item.department,
                    checked: chosen.contains(item.code) || always.contains(item.code), always: always.contains(item.code))
        }
        do {
            let items = try BundleMenu.choose(chosen, bundle: bundle.code, catalog: catalog, includeAlways: true)
            notice = Notice(CombinedNotice(items: items, bundle: bundle.code), catalog: catalog)
            problem = nil
        } catch {
            notice = nil
            problem = error.message
        }
    }
}
