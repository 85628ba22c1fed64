import Foundation
import Kernel

extension ApprovalService {
    public func createProject(_ input: NewProject, by actor: Actor) async throws -> Project {
        try require(actor, is: .applicant, to: "只有申请单位可以登记项目")
        guard let firm = actor.firm else { throw ApprovalError.forbidden("账号未关联申请单位") }
        guard let code = ProjectCode(input.code.trimmingCharacters(in: .whitespaces)) else {
            throw ApprovalError.invalidField(field: "code", message: "项目代码格式应为 YYMM-行政区划-行业-类型-流水号，如 2401-420104-04-01-318562")
        }
        guard catalog.regions[input.district] != nil else {
            throw ApprovalError.invalidField(field: "district", message: "未知行政区划 \(input.district)")
        }
        let builderUSCC = try uscc(input.builder.uscc, field: "builder.uscc")
        let contractorUSCC = try input.contractor.map { party throws(ApprovalError) in try uscc(party.uscc, field: "contractor.uscc") }
        guard firm == builderUSCC || firm == contractorUSCC else {
            throw ApprovalError.invalidField(field: "builder.uscc", message: "登记项目的单位（\(firm)）须为该项目的建设单位或施工总承包单位")
        }
        let registered = try await store.firms([builderUSCC] + (contractorUSCC.map { [$0] } ?? []))
        let builder = try party(input.builder, uscc: builderUSCC, field: "builder", registered: registered, registering: firm)
        let contractor = try input.contractor.map { given throws(ApprovalError) in
            try party(given, uscc: contractorUSCC!, field: "contractor", registered: registered, registering: firm)
        }
        let project = Project(id: dependencies.makeID(), code: code.value, name: try text(input.name, field: "name", max: 200)!,
                              district: input.district, address: try text(input.address, field: "address")!,
                              category: try text(input.category, field: "category", max: 50)!, builder: builder,
                              contractor: contractor, ownerFirm: firm, createdAt: dependencies.now())
        let audit = AuditEntry(actor: actor, action: "project.created", subject: "project/\(project.id)",
                               after: ["code": project.code, "name": project.name])
        try await store.insert(project, audit: audit, at: project.createdAt)
        return project
    }

    /// A party's name is its registered name: a differing one is refused, as a certificate may
    /// pair a code with no other name. An unregistered firm is named as given, except the
    /// registering firm itself, which must be registered.
    func party(_ given: NewParty, uscc: String, field: String, registered: [String: Firm], registering firm: String) throws(ApprovalError) -> Party {
        let name = try text(given.name, field: "\(field).name", required: false, max: 100)
        if let known = registered[uscc] {
            if let name, name != known.name {
                throw .invalidField(field: "\(field).name", message: "统一社会信用代码 \(uscc) 登记的单位名称为「\(known.name)」")
            }
            return Party(name: known.name, uscc: uscc)
        }
        guard uscc != firm else { throw .invalidField(field: "\(field).uscc", message: "本单位尚未在审批局登记名称，请联系管理员登记单位") }
        return Party(name: try text(name, field: "\(field).name", max: 100)!, uscc: uscc)
    }

    /// A project for its parties, the bureau's clerks, issuers and administrators, a reviewer whose
    /// department has an application on it, and an inspector of its district; others get not-found.
    public func project(_ id: String, for actor: Actor) async throws -> Project {
        guard let project = try await store.project(id: id) else { throw ApprovalError.notFound("项目 \(id)") }
        let visible = switch actor.role {
        case .applicant: project.isVisible(to: actor.firm ?? "")
        case .clerk, .issuer, .admin: true
        case .reviewer: try await !store.applications(ApplicationQuery(projectID: id, department: actor.department)).isEmpty
        case .inspector: project.district == actor.region
        }
        guard visible else { throw ApprovalError.notFound("项目 \(id)") }
        return project
    }

    /// How many keys a cursor of the projects list carries.
    public static var projectsKeyCount: Int { SQLiteApprovalStore.projectOrder.keyCount }

    /// A page of the projects `actor` may list, by code: a firm's own, every project for staff.
    public func projects(for actor: Actor, page: PageRequest = PageRequest()) async throws -> Page<Project> {
        guard actor.role != .inspector else { throw ApprovalError.forbidden("监管人员请通过监管任务查看项目") }
        return try await store.projects(visibleTo: actor.role == .applicant ? actor.firm ?? "" : nil, page: page)
    }
}
