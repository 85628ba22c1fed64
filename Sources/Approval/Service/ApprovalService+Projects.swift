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
        let builder = Party(name: try text(input.builder.name, field: "builder.name", max: 100)!,
                            uscc: try uscc(input.builder.uscc, field: "builder.uscc"))
        let contractor = try input.contractor.map { party throws(ApprovalError) in
            Party(name: try text(party.name, field: "contractor.name", max: 100)!, uscc: try uscc(party.uscc, field: "contractor.uscc"))
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

    public func project(_ id: String, for actor: Actor) async throws -> Project {
        guard let project = try await store.project(id: id), actor.role.isStaff || project.isVisible(to: actor.firm ?? "") else {
            throw ApprovalError.notFound("项目 \(id)")
        }
        return project
    }

    public func projects(for actor: Actor) async throws -> [Project] {
        guard actor.role != .inspector else { throw ApprovalError.forbidden("监管人员请通过监管任务查看项目") }
        return try await store.projects(visibleTo: actor.role == .applicant ? actor.firm ?? "" : nil)
    }
}
