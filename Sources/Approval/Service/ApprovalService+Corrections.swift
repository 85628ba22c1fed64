import Foundation
import Kernel

public struct CorrectionInput: Codable, Sendable {
    public var reason: String?

    public init(reason: String?) {
        self.reason = reason
    }
}

public struct CorrectedApplication: Codable, Sendable {
    /// Replaces these form values.
    public var form: [String: FormValue]?
    /// Replaces or adds these material files.
    public var materials: [MaterialUpload]?

    public init(form: [String: FormValue]? = nil, materials: [MaterialUpload]? = nil) {
        self.form = form
        self.materials = materials
    }
}

/// 一并审批, the firm's second choice after a denial: correct what the denied item needed and have
/// that department review it again, while the other items stay approved.
public struct ItemResubmission: Codable, Sendable {
    public var item: String
    public var form: [String: FormValue]?
    public var materials: [MaterialUpload]?
    /// What was changed, for the reviewer.
    public var note: String?

    public init(item: String, form: [String: FormValue]? = nil, materials: [MaterialUpload]? = nil, note: String? = nil) {
        self.item = item
        self.form = form
        self.materials = materials
        self.note = note
    }
}

public struct Supplement: Codable, Sendable {
    public var materials: [MaterialUpload]

    public init(materials: [MaterialUpload]) {
        self.materials = materials
    }
}

extension ApprovalService {
    /// 补正: the clerk (before or after acceptance) or a reviewer of one of its items asks the
    /// applicant to correct; the clock stops until they do.
    public func requestCorrection(_ applicationID: String, _ input: CorrectionInput, by actor: Actor) async throws -> Application {
        try require(actor, is: .clerk, .reviewer, to: "只有受理或审查人员可以要求补正")
        // Whether the application is the caller's to see comes first: a refusal of the input
        // would otherwise tell an outsider that it exists.
        _ = try await visibleApplication(applicationID, to: actor)
        let reason = try text(input.reason, field: "reason", max: 2000, multiline: true)!
        let now = dependencies.now()
        let calendar = self.calendar
        return try await store.update(applicationID: applicationID, at: now) { application, _ in
            try application.requestCorrection(reason: reason, by: actor, at: now, calendar: calendar)
        }
    }

    public func correct(_ applicationID: String, _ input: CorrectedApplication, by actor: Actor) async throws -> Application {
        try require(actor, is: .applicant, to: "只有申请单位可以提交补正")
        let (current, _) = try await visibleApplication(applicationID, to: actor)
        let revision = try await revise(current, form: input.form, materials: input.materials, by: actor)
        let now = dependencies.now()
        let calendar = self.calendar
        return try await store.update(applicationID: applicationID, at: now) { application, _ in
            revision.apply(to: &application)
            return try application.resumeAfterCorrection(by: actor, at: now, calendar: calendar, changes: revision.changes)
        }
    }

    /// The firm corrects a denied item and sends it back to its department; the approved items
    /// stay approved, and the item gets its promised time again from today.
    public func resubmit(_ applicationID: String, _ input: ItemResubmission, by actor: Actor) async throws -> Application {
        try require(actor, is: .applicant, to: "只有申请单位可以重新提交被驳回的事项")
        let (current, _) = try await visibleApplication(applicationID, to: actor)
        guard let item = catalog.items[input.item] else { throw ApprovalError.invalidField(field: "item", message: "未知事项 \(input.item)") }
        let note = try text(input.note, field: "note", required: false, max: 2000, multiline: true)
        let revision = try await revise(current, form: input.form, materials: input.materials, by: actor)
        let now = dependencies.now()
        let calendar = self.calendar
        return try await store.update(applicationID: applicationID, at: now) { application, _ in
            revision.apply(to: &application)
            return try application.resubmit(item: item, note: note, changes: revision.changes, by: actor, at: now, calendar: calendar)
        }
    }

    /// Form values and material files replaced by the applicant, checked against the application's items.
    struct Revision: Sendable {
        let form: [String: FormValue]
        let files: [String: String]
        let changes: [String: String]

        func apply(to application: inout Application) {
            application.form = form
            for index in application.materials.indices {
                guard let file = files[application.materials[index].material] else { continue }
                application.materials[index].file = file
                if application.materials[index].state == .missing || application.materials[index].state == .electronic {
                    application.materials[index].state = .submitted
                }
            }
        }
    }

    func revise(_ current: Application, form changes: [String: FormValue]?, materials: [MaterialUpload]?, by actor: Actor) async throws -> Revision {
        let items = current.items.compactMap { catalog.items[$0.code] }
        var form = current.form
        for (key, value) in changes ?? [:] { form[key] = value }
        try MergedForm.validate(form, against: MergedForm.fields(for: items))
        var files: [String: String] = [:]
        for (index, upload) in (materials ?? []).enumerated() {
            guard current.materials.contains(where: { $0.material == upload.material }) else {
                throw ApprovalError.invalidField(field: "materials[\(index)].material", message: "本申请不需要材料 \(upload.material)")
            }
            _ = try await ownedFile(upload.file, by: actor, field: "materials[\(index)].file")
            files[upload.material] = upload.file
        }
        let summary = [
            "form": (changes ?? [:]).keys.sorted().joined(separator: ","),
            "materials": files.keys.sorted().joined(separator: ","),
        ].filter { !$0.value.isEmpty }
        return Revision(form: form, files: files, changes: summary)
    }

    /// 容缺: supplying the materials deferred at acceptance.
    public func supplement(_ applicationID: String, _ input: Supplement, by actor: Actor) async throws -> Application {
        try require(actor, is: .applicant, to: "只有申请单位可以补交材料")
        guard !input.materials.isEmpty else { throw ApprovalError.invalidField(field: "materials", message: "请至少补交一份材料") }
        _ = try await visibleApplication(applicationID, to: actor)
        var supplied: [(material: String, file: String)] = []
        for (index, upload) in input.materials.enumerated() {
            _ = try await ownedFile(upload.file, by: actor, field: "materials[\(index)].file")
            supplied.append((upload.material, upload.file))
        }
        let now = dependencies.now()
        let (calendar, catalog, hooks) = (self.calendar, self.catalog, self.hooks)
        let entries = supplied
        return try await store.update(applicationID: applicationID, at: now) { application, project in
            var effects = try application.supplement(entries, by: actor, at: now, calendar: calendar)
            // The last deferred material in: an application decided without review issues now.
            effects.append(try application.issueAutomatically(project: project, catalog: catalog, hooks: hooks, at: now))
            return effects
        }
    }
}
