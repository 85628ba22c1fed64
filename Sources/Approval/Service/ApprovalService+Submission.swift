import Foundation
import Kernel

public struct MaterialUpload: Codable, Sendable {
    public var material: String
    public var file: String

    public init(material: String, file: String) {
        self.material = material
        self.file = file
    }
}

public struct NewApplication: Codable, Sendable {
    public var projectId: String
    public var bundle: String?
    public var items: [String]
    public var form: [String: FormValue]
    public var materials: [MaterialUpload]
    public var commitment: Bool?

    public init(projectId: String, bundle: String? = nil, items: [String], form: [String: FormValue], materials: [MaterialUpload], commitment: Bool? = nil) {
        self.projectId = projectId
        self.bundle = bundle
        self.items = items
        self.form = form
        self.materials = materials
        self.commitment = commitment
    }
}

extension ApprovalService {
    public func submit(_ input: NewApplication, by actor: Actor) async throws -> Application {
        try require(actor, is: .applicant, to: "只有申请单位可以提交申请")
        guard let firm = actor.firm else { throw ApprovalError.forbidden("账号未关联申请单位") }
        guard let project = try await store.project(id: input.projectId), project.isVisible(to: firm) else {
            throw ApprovalError.invalidField(field: "projectId", message: "项目不存在或不属于本单位")
        }
        let items = try BundleMenu.choose(input.items, bundle: input.bundle, catalog: catalog)
        try checkPreconditions(items, project: project)
        try MergedForm.validate(input.form, against: MergedForm.fields(for: items))
        let materials = try await collectMaterials(input.materials, for: items, by: actor)
        let commitment = input.commitment ?? false
        if commitment, !items.contains(where: \.allowsCommitment) {
            throw ApprovalError.invalidField(field: "commitment", message: "所选事项均不适用告知承诺制")
        }
        let now = dependencies.now()
        let application = Application(
            id: dependencies.makeID(), projectID: project.id, firm: firm, submittedBy: actor.id, bundle: input.bundle,
            commitment: commitment, status: .submitted,
            items: items.map { ApplicationItem(code: $0.code, name: $0.name, department: $0.department, status: .pending) },
            form: input.form, materials: materials, submittedAt: now,
            promisedDays: items.map(\.promisedDays).max() ?? 0, legalDays: items.map(\.legalDays).max() ?? 0)
        var effects = Effects()
        effects.audit.append(AuditEntry(actor: actor, action: "application.submitted", subject: application.subject,
                                        after: ["status": application.status.rawValue],
                                        detail: ["items": input.items.joined(separator: ","), "project": project.code]))
        effects.events.append(ApplicationSubmitted(applicationID: application.id, projectID: project.id, firm: firm, items: input.items))
        try await store.insert(application, effects: effects, at: now)
        return application
    }

    /// Preconditions the service can check from what it knows; the others are affirmed by the
    /// applicant and checked by the reviewer.
    func checkPreconditions(_ items: [CatalogItem], project: Project) throws(ApprovalError) {
        for item in items {
            for condition in item.preconditions ?? [] where condition.id == "contractor-determined" && project.contractor == nil {
                throw .ruleViolated(code: "precondition-unmet", message: "事项“\(item.name)”要求：\(condition.description)（项目尚未登记施工总承包单位）",
                                    field: "contractor")
            }
        }
    }

    /// One entry per material of the chosen items: uploaded, fetched electronically, or missing.
    /// Missing required materials are refused now; missing deferrable ones are left for the clerk
    /// to defer (容缺) at acceptance.
    func collectMaterials(_ uploads: [MaterialUpload], for items: [CatalogItem], by actor: Actor) async throws -> [SubmittedMaterial] {
        var seen = Set<String>()
        let needed = items.flatMap(\.materials).filter { seen.insert($0.id).inserted }
        var files: [String: String] = [:]
        for (index, upload) in uploads.enumerated() {
            guard needed.contains(where: { $0.id == upload.material }) else {
                throw ApprovalError.invalidField(field: "materials[\(index)].material", message: "所选事项不需要材料 \(upload.material)")
            }
            guard files[upload.material] == nil else {
                throw ApprovalError.invalidField(field: "materials[\(index)].material", message: "材料 \(upload.material) 重复提交")
            }
            _ = try await ownedFile(upload.file, by: actor, field: "materials[\(index)].file")
            files[upload.material] = upload.file
        }
        return try needed.compactMap { material throws(ApprovalError) -> SubmittedMaterial? in
            if let file = files[material.id] {
                return SubmittedMaterial(material: material.id, name: material.name, state: .submitted, file: file)
            }
            if material.isElectronic {
                return SubmittedMaterial(material: material.id, name: material.name, state: .electronic)
            }
            switch material.requirement {
            case .required:
                throw .ruleViolated(code: "material-missing", message: "缺少必要材料“\(material.name)”（\(material.id)）", field: "materials")
            case .deferrable:
                return SubmittedMaterial(material: material.id, name: material.name, state: .missing)
            case .optional:
                return nil
            }
        }
    }
}
