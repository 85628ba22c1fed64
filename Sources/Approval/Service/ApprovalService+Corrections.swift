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
        let reason = try text(input.reason, field: "reason", max: 2000)!
        _ = try await visibleApplication(applicationID, to: actor)
        let now = dependencies.now()
        let calendar = self.calendar
        return try await store.update(applicationID: applicationID, at: now) { application, _ in
            try application.requestCorrection(reason: reason, by: actor, at: now, calendar: calendar)
        }
    }

    public func correct(_ applicationID: String, _ input: CorrectedApplication, by actor: Actor) async throws -> Application {
        try require(actor, is: .applicant, to: "只有申请单位可以提交补正")
        let (current, _) = try await visibleApplication(applicationID, to: actor)
        let items = current.items.compactMap { catalog.items[$0.code] }
        var form = current.form
        for (key, value) in input.form ?? [:] { form[key] = value }
        try MergedForm.validate(form, against: MergedForm.fields(for: items))
        var replacements: [String: String] = [:]
        for (index, upload) in (input.materials ?? []).enumerated() {
            guard current.materials.contains(where: { $0.material == upload.material }) else {
                throw ApprovalError.invalidField(field: "materials[\(index)].material", message: "本申请不需要材料 \(upload.material)")
            }
            _ = try await ownedFile(upload.file, by: actor, field: "materials[\(index)].file")
            replacements[upload.material] = upload.file
        }
        let now = dependencies.now()
        let calendar = self.calendar
        let changes = [
            "form": (input.form ?? [:]).keys.sorted().joined(separator: ","),
            "materials": replacements.keys.sorted().joined(separator: ","),
        ].filter { !$0.value.isEmpty }
        return try await store.update(applicationID: applicationID, at: now) { [form, replacements] application, _ in
            application.form = form
            for index in application.materials.indices {
                if let file = replacements[application.materials[index].material] {
                    application.materials[index].file = file
                    if application.materials[index].state == .missing || application.materials[index].state == .electronic {
                        application.materials[index].state = .submitted
                    }
                }
            }
            return try application.resumeAfterCorrection(by: actor, at: now, calendar: calendar, changes: changes)
        }
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
        let calendar = self.calendar
        let entries = supplied
        return try await store.update(applicationID: applicationID, at: now) { application, _ in
            try application.supplement(entries, by: actor, at: now, calendar: calendar)
        }
    }
}
