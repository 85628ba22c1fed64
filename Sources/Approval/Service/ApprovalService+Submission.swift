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
    /// An issued application of this project and bundle whose certificate gains `items` (增项).
    public var amends: String?
    /// What a capability keeps with the application beyond the catalog form; set by the
    /// capability's own route after its checks, never read from the generic route's body.
    public var annex: Annex?
    /// Conditions to meet before issuance, set by a capability's route like `annex`.
    public var conditions: [IssuanceCondition]?

    enum CodingKeys: String, CodingKey {
        case projectId, bundle, items, form, materials, commitment, amends
    }

    public init(projectId: String, bundle: String? = nil, items: [String], form: [String: FormValue], materials: [MaterialUpload],
                commitment: Bool? = nil, amends: String? = nil, annex: Annex? = nil, conditions: [IssuanceCondition]? = nil) {
        self.annex = annex
        self.conditions = conditions
        self.amends = amends
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
        let amended = try await amendedLineage(input, project: project, firm: firm)
        let items = try BundleMenu.choose(input.items, bundle: input.bundle, catalog: catalog, permitted: amended?.permitted ?? [])
        try checkPreconditions(items, project: project)
        var linked: [LinkedApplication] = []
        for source in hooks.linkedSources { linked += try await source.linked(to: items, project: project, firm: firm, store: store) }
        let superseded = linked.filter(\.supersededOnIssue)
        // What the firm already told us — on the original it amends, on the applications a
        // capability links — is not asked again.
        let prior = linked.map { ($0.form, $0.files) } + (amended.map { [($0.form, $0.files)] } ?? [])
        let fields = MergedForm.fields(for: items)
        let earlier = try await knownForm(project: project, firm: firm)
        let known = prior.reduce(into: earlier) { $0.merge($1.0) { _, newer in newer } }.filter { key, _ in fields.contains { $0.key == key } }
        let form = known.merging(input.form) { _, new in new }
        try MergedForm.validate(form, against: fields)
        let knownFiles = prior.reduce(into: [String: String]()) { $0.merge($1.1) { _, newer in newer } }
        let materials = try await collectMaterials(input.materials, for: items, by: actor, form: form, known: knownFiles)
        let commitment = input.commitment ?? false
        if commitment, !items.contains(where: \.allowsCommitment) {
            throw ApprovalError.invalidField(field: "commitment", message: "所选事项均不适用告知承诺制")
        }
        let credit = try await creditStanding(of: firm)
        if commitment, let refusal = commitmentRefusal(credit) {
            throw ApprovalError.ruleViolated(code: "credit-restricted", message: refusal, field: "commitment")
        }
        let now = dependencies.now()
        var application = Application(
            id: dependencies.makeID(), projectID: project.id, firm: firm, submittedBy: actor.id, bundle: input.bundle,
            amends: amended?.root, supersedes: superseded.isEmpty ? nil : superseded.map(\.id), commitment: commitment, status: .submitted,
            items: items.map { ApplicationItem(code: $0.code, name: $0.name, department: $0.department, status: .pending) },
            form: form, materials: materials, submittedAt: now,
            promisedDays: items.map(\.promisedDays).max() ?? 0, legalDays: items.map(\.legalDays).max() ?? 0)
        application.supersedeNote = superseded.compactMap(\.note).first
        application.annex = input.annex
        application.conditions = input.conditions
        for assigner in hooks.helperAssigners where application.helper == nil {
            application.helper = try await assigner.helper(for: application, store: store)
        }
        var effects = Effects()
        var detail = ["items": input.items.joined(separator: ","), "project": project.code]
        if let helper = application.helper { detail["helper"] = helper.name }
        if let root = amended?.root { detail["amends"] = root }
        if !superseded.isEmpty { detail["supersedes"] = superseded.map(\.id).joined(separator: ",") }
        effects.audit.append(AuditEntry(actor: actor, action: "application.submitted", subject: application.subject,
                                        after: ["status": application.status.rawValue], detail: detail))
        effects.events.append(ApplicationSubmitted(applicationID: application.id, projectID: project.id, firm: firm, items: input.items))
        let context = SubmissionContext(project: project, credit: credit, linked: linked, now: now, today: calendar.today(at: now), store: store)
        if let decision = try await ruleDecision(for: application, in: context) {
            effects.append(try application.decide(by: decision, at: now, calendar: calendar))
            effects.append(try application.issueAutomatically(project: project, catalog: catalog, hooks: hooks, at: now))
        }
        try await store.insert(application, effects: effects, at: now)
        return application
    }

    /// The first capability's decision on the application, if any capability decides its items.
    func ruleDecision(for application: Application, in context: SubmissionContext) async throws -> RuleDecision? {
        for rules in hooks.submissionRules {
            if let decision = try await rules.decide(application, in: context) { return decision }
        }
        return nil
    }

    /// The level a gate asks for when the firm's credit falls below it; nil when the firm passes.
    func levelMissed(_ credit: CreditStanding, gate: KeyPath<CreditRules.Gates, String?>) -> String? {
        guard let level = catalog.credit.gates?[keyPath: gate], !credit.isAtLeast(level, under: catalog.credit) else { return nil }
        return level
    }

    /// Why a firm's credit keeps it from 告知承诺, or nil when it does not.
    func commitmentRefusal(_ credit: CreditStanding) -> String? {
        levelMissed(credit, gate: \.commitment).map { "本单位信用等级为 \(credit.level.level)（\(credit.level.name)），低于 \($0) 级，不适用告知承诺制" }
    }

    /// The issued original an 增项 application adds to, with the items already permitted over its
    /// lineage (the original and every issued amendment) and the form values known from them.
    func amendedLineage(_ input: NewApplication, project: Project, firm: String) async throws
        -> (root: String, permitted: [String], form: [String: FormValue], files: [String: String])? {
        guard let amends = input.amends else { return nil }
        guard let named = try await store.application(id: amends)?.application, named.firm == firm, named.projectID == project.id else {
            throw ApprovalError.invalidField(field: "amends", message: "原申请 \(amends) 不存在，或不属于本单位的这个项目")
        }
        let root = named.amends ?? named.id
        guard named.bundle != nil, named.bundle == input.bundle else {
            throw ApprovalError.invalidField(field: "amends", message: "增项须针对同一组合（\(named.bundle ?? "无组合")）的已发证申请")
        }
        let lineage = try await store.lineage(root: root)
        let issued = lineage.filter { $0.status == .issued }
        guard issued.contains(where: { $0.id == root }) else {
            throw ApprovalError.invalidState(current: named.status, action: "增项（原申请须已发证）")
        }
        let permitted = issued.flatMap { $0.items.filter { $0.status == .approved }.map(\.code) }
        try Application.refusePending(input.items, in: lineage)
        let known = issued.sorted { $0.submittedAt < $1.submittedAt }.map { LinkedApplication($0, supersededOnIssue: false) }
        return (root, permitted, known.reduce(into: [:]) { $0.merge($1.form) { _, newer in newer } },
                known.reduce(into: [:]) { $0.merge($1.files) { _, newer in newer } })
    }

    /// 一表申请: what the firm already entered on its earlier applications for this project, newest
    /// value winning, to fill a new form by default.
    func knownForm(project: Project, firm: String) async throws -> [String: FormValue] {
        try await store.knownForm(firm: firm, projectID: project.id)
    }

    /// The merged form of a choice of items, each field with the value the firm already gave on
    /// this project, if any: what a new application will be filled with unless the firm changes it.
    public func formDefaults(projectID: String, items codes: [String], bundle: String?, by actor: Actor) async throws -> [(field: FormField, value: FormValue?)] {
        try require(actor, is: .applicant, to: "只有申请单位可以填写申请表")
        guard let firm = actor.firm, let project = try await store.project(id: projectID), project.isVisible(to: firm) else {
            throw ApprovalError.notFound("项目 \(projectID)")
        }
        let items = try BundleMenu.choose(codes, bundle: bundle, catalog: catalog, includeAlways: true)
        let known = try await knownForm(project: project, firm: firm)
        return MergedForm.fields(for: items).map { ($0, known[$0.key]) }
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

    /// One entry per material of the chosen items: uploaded, fetched electronically, already on file
    /// from the application being amended (`known`), or missing. Missing required materials are
    /// refused now; missing deferrable ones are left for the clerk to defer (容缺) at acceptance.
    func collectMaterials(_ uploads: [MaterialUpload], for items: [CatalogItem], by actor: Actor, form: [String: FormValue] = [:],
                          known: [String: String] = [:]) async throws -> [SubmittedMaterial] {
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
            if let file = files[material.id] ?? known[material.id] {
                return SubmittedMaterial(material: material.id, name: material.name, state: .submitted, file: file)
            }
            if material.isElectronic {
                return SubmittedMaterial(material: material.id, name: material.name, state: .electronic)
            }
            if let threshold = material.requiredWhen, case .number(let value)? = form[threshold.field], value >= threshold.atLeast {
                let label = items.flatMap(\.fields).first { $0.key == threshold.field }?.label ?? threshold.field
                throw .ruleViolated(code: "material-missing",
                                    message: "\(label)为 \(value.formatted())，须提交“\(material.name)”（\(material.id)）", field: "materials")
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
