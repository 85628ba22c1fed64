import Approval
import CapabilityKit
import Foundation
import Kernel

/// What the firm has chosen so far in the wizard, carried from page to page in the address.
struct ApplyChoice {
    let project: String?
    let items: [String]

    /// The menu page with this choice ticked, to change it.
    func menuAddress(_ home: String) -> String {
        let query = (project.map { ["project=\($0)"] } ?? []) + items.map { "items=\($0)" }
        return query.isEmpty ? home : home + "?" + query.joined(separator: "&")
    }
}

/// 一证制, step 1: the bundle's menu, each item with the rules a firm must know before ticking
/// it (as the guide's pages state them), and the firm's projects to apply on.
struct ApplyMenuPage {
    struct ItemRow {
        let code: String
        let name: String
        let department: String
        let modes: String
        let promisedDays: Int
        let legalDays: Int
        let survey: Bool
        let preconditions: [String]
        let hasPreconditions: Bool
        /// The bundle's rules on this item: what must be chosen with it, what not.
        let rules: [String]
        let guide: String
        let checked: Bool
        let always: Bool
    }

    struct ProjectRow {
        let id: String
        let name: String
        let code: String
        let place: String
        let contractor: String?
        let checked: Bool
    }

    let frame: PageFrame
    let bundleName: String
    let action: String
    let items: [ItemRow]
    let projects: [ProjectRow]
    let hasProjects: Bool
    let itemsError: String?
    let projectError: String?
    let generalError: String?

    init(frame: PageFrame, bundle: Kernel.Bundle, action: String, projects: [Project], choice: ApplyChoice, refusal: FormRefusal?,
         catalog: Catalog) {
        self.frame = frame
        self.action = action
        bundleName = bundle.name
        let always = Set(bundle.alwaysIncluded ?? [])
        let name = { (code: String) in catalog.items[code]?.name ?? code }
        items = bundle.items.compactMap { catalog.items[$0] }.map { item in
            let needs = (bundle.requires ?? []).filter { $0.item == item.code }.flatMap(\.requires).map { "须同时选择“\(name($0))”" }
            let excludes = (bundle.conflicts ?? []).filter { $0.contains(item.code) }.flatMap { $0 }.filter { $0 != item.code }
                .map { "不能与“\(name($0))”同时申请" }
            let preconditions = (item.preconditions ?? []).map(\.description)
            return ItemRow(code: item.code, name: item.name, department: catalog.departments[item.department]?.name ?? item.department,
                           modes: item.modes.map(GuideText.mode).joined(separator: "、"), promisedDays: item.promisedDays, legalDays: item.legalDays,
                           survey: item.needsSurvey, preconditions: preconditions, hasPreconditions: !preconditions.isEmpty,
                           rules: (always.contains(item.code) ? ["本组合必选"] : []) + needs + excludes, guide: "/guide/items/\(item.code)",
                           checked: always.contains(item.code) || choice.items.contains(item.code), always: always.contains(item.code))
        }
        // One project is the firm's choice already.
        let chosenProject = choice.project ?? (projects.count == 1 ? projects[0].id : nil)
        self.projects = projects.map { project in
            ProjectRow(id: project.id, name: project.name, code: project.code,
                       place: "\(catalog.regions[project.district]?.name ?? project.district) \(project.address)",
                       contractor: project.contractor?.name, checked: project.id == chosenProject)
        }
        hasProjects = !projects.isEmpty
        itemsError = refusal?.beside("items")
        projectError = refusal?.beside("project")
        generalError = refusal?.general(besides: ["items", "project"])
    }
}

/// 一证制, steps 2 to 4 on one page: the combined notice of the chosen items, the one form with
/// the values the firm already gave on the project, and a file for each material. After a refusal
/// the same page comes back with what was posted and the service's message beside its field.
struct ApplyFormPage {
    struct FieldInput {
        struct Option {
            let value: String
            let selected: Bool
        }

        let key: String
        let label: String
        let name: String
        let required: Bool
        let value: String
        let inputType: String
        let decimal: Bool
        let hint: String?
        /// The hint and the error, as the input's `aria-describedby` names them.
        let describedBy: String?
        let choice: Bool
        let options: [Option]
        let error: String?
    }

    struct ProjectFacts {
        let name: String
        let code: String
        let place: String
        let builder: String
        let contractor: String?
    }

    struct Commitment {
        let items: String
        let checked: Bool
        let error: String?
    }

    let frame: PageFrame
    let bundleName: String
    let action: String
    let changeChoice: String
    let project: ProjectFacts
    let projectID: String
    let itemCodes: [String]
    let itemNames: String
    let notice: GuideBundlePage.Notice
    let fields: [FieldInput]
    let materials: [MaterialUploads.Input]
    let materialsError: String?
    let commitment: Commitment?
    let generalError: String?

    init(frame: PageFrame, bundle: Kernel.Bundle, action: String, changeChoice: String, project: Project, items: [CatalogItem],
         defaults: [(field: FormField, value: FormValue?)], posted: ApplyWizardForm?, refusal: FormRefusal?, catalog: Catalog) {
        self.frame = frame
        self.action = action
        self.changeChoice = changeChoice
        bundleName = bundle.name
        projectID = project.id
        self.project = ProjectFacts(name: project.name, code: project.code,
                                    place: "\(catalog.regions[project.district]?.name ?? project.district) \(project.address)",
                                    builder: project.builder.name, contractor: project.contractor?.name)
        itemCodes = items.map(\.code)
        itemNames = items.map(\.name).joined(separator: "、")
        let combined = CombinedNotice(items: items, bundle: bundle.code)
        notice = GuideBundlePage.Notice(combined, catalog: catalog)
        var placed = false
        fields = defaults.map { field, known in
            let input = FieldInput(field, value: posted.map { $0.value(field.key) ?? "" } ?? known.map(Self.inputText) ?? "", refusal: refusal)
            placed = placed || input.error != nil
            return input
        }
        let uploads = MaterialUploads(combined, uploads: posted?.uploads ?? [], refusal: refusal, catalog: catalog)
        (materials, materialsError) = (uploads.materials, uploads.materialsError)
        placed = placed || uploads.placed
        let committable = items.filter(\.allowsCommitment)
        commitment = committable.isEmpty ? nil
            : Commitment(items: committable.map(\.name).joined(separator: "、"), checked: posted?.commitment == "on",
                         error: refusal?.beside("commitment"))
        placed = placed || commitment?.error != nil
        generalError = placed ? nil : refusal?.message
    }

    /// A value as its input shows it: a number without a needless `.0`.
    static func inputText(_ value: FormValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    static func inputType(_ type: FormField.FieldType) -> String {
        switch type {
        case .date: "date"
        case .phone: "tel"
        default: "text"
        }
    }

    static func hint(_ type: FormField.FieldType) -> String? {
        switch type {
        case .areaM2: "单位：平方米"
        case .moneyYuan: "单位：元，最多两位小数"
        case .uscc: "18 位统一社会信用代码"
        case .phone: "手机号码或带区号的固定电话"
        case .text, .number, .date, .choice: nil
        }
    }
}

extension ApplyFormPage.FieldInput {
    /// The input of `field` named `form[<key>]` (the `form-fields` partial), showing `value`, with
    /// the refusal's message when it names this field.
    init(_ field: FormField, value: String, refusal: FormRefusal?) {
        let error = refusal?.field == "form" && refusal?.key == field.key ? refusal?.message : nil
        let hint = ApplyFormPage.hint(field.type)
        let describedBy = [hint.map { _ in "field-\(field.key)-hint" }, error.map { _ in "field-\(field.key)-error" }].compactMap { $0 }
        self.init(key: field.key, label: field.label, name: "form[\(field.key)]", required: field.isRequired, value: value,
                  inputType: ApplyFormPage.inputType(field.type), decimal: [.number, .areaM2, .moneyYuan].contains(field.type),
                  hint: hint, describedBy: describedBy.isEmpty ? nil : describedBy.joined(separator: " "), choice: field.type == .choice,
                  options: (field.options ?? []).map { .init(value: $0, selected: $0 == value) }, error: error)
    }
}
