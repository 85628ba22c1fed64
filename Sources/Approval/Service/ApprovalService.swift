import Foundation
import Kernel

/// The approval lifecycle as the three user groups drive it. Checks who may act and what the
/// catalog requires, then hands the state change to the domain and the store.
public struct ApprovalService: Sendable {
    public let store: any ApprovalStore
    public let catalog: Catalog
    let dependencies: Dependencies
    /// An application within this many working days of its promised date is flagged due soon.
    let warnWithinWorkingDays: Int
    /// What the capabilities add to the lifecycle: linked applications, helpers, rules that decide
    /// at submission, and their terms on the permits issued.
    let hooks: ApprovalHooks

    public init(store: any ApprovalStore, catalog: Catalog, dependencies: Dependencies, warnWithinWorkingDays: Int = 1,
                hooks: ApprovalHooks = ApprovalHooks()) {
        self.hooks = hooks
        self.store = store
        self.catalog = catalog
        self.dependencies = dependencies
        self.warnWithinWorkingDays = warnWithinWorkingDays
    }

    var calendar: WorkingDayCalendar { catalog.calendar }

    func require(_ actor: Actor, is roles: Role..., to action: String) throws(ApprovalError) {
        guard roles.contains(actor.role) else { throw .forbidden(action) }
    }

    /// Loads an application the actor may see; one it may not see is reported as missing, so
    /// another firm cannot learn that it exists.
    func visibleApplication(_ id: String, to actor: Actor) async throws -> (application: Application, project: Project) {
        guard let found = try await store.application(id: id), canSee(found.application, actor) else {
            throw ApprovalError.notFound("申请 \(id)")
        }
        return found
    }

    func canSee(_ application: Application, _ actor: Actor) -> Bool {
        switch actor.role {
        case .applicant: application.firm == actor.firm
        case .reviewer: application.items.contains { $0.department == actor.department }
        case .clerk, .issuer, .admin: true
        case .inspector: false
        }
    }

    /// Trimmed free text within `max` characters, printable (`PrintableText`): single-line unless
    /// `multiline`, as a name or an address is printed on one line.
    func text(_ value: String?, field: String, required: Bool = true, max: Int = 500, multiline: Bool = false) throws(ApprovalError) -> String? {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            if required { throw .invalidField(field: field, message: "不能为空") }
            return nil
        }
        guard trimmed.count <= max else { throw .invalidField(field: field, message: "不能超过\(max)字") }
        if let scalar = PrintableText.firstForbidden(in: trimmed, multiline: multiline) {
            throw .invalidField(field: field, message: PrintableText.refusal(scalar))
        }
        return trimmed
    }

    func uscc(_ value: String, field: String) throws(ApprovalError) -> String {
        do {
            return try UnifiedSocialCreditCode(value).value
        } catch {
            throw .invalidField(field: field, message: error.message)
        }
    }

    /// A material file must exist and belong to the applicant's firm.
    func ownedFile(_ id: String, by actor: Actor, field: String) async throws -> StoredFile {
        guard let file = try await store.file(id: id), file.ownerFirm == actor.firm else {
            throw ApprovalError.invalidField(field: field, message: "文件 \(id) 不存在或不属于本单位")
        }
        return file
    }
}
