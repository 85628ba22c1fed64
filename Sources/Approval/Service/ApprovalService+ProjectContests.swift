import Foundation
import Kernel

/// 项目代码异议与改正: a code registered by a firm that does not build the project is not held for
/// good; its builder contests it and the bureau reassigns it, with audit.
extension ApprovalService {
    public func contest(_ input: NewProjectContest, by actor: Actor) async throws -> ProjectContest {
        try require(actor, is: .applicant, to: "只有申请单位可以对项目登记提出异议")
        guard let firm = actor.firm else { throw ApprovalError.forbidden("账号未关联申请单位") }
        guard let code = input.code.flatMap({ ProjectCode($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw ApprovalError.invalidField(field: "code", message: "请给出有异议的项目代码")
        }
        let reason = try text(input.reason, field: "reason", max: 1000, multiline: true)!
        guard let project = try await store.project(code: code.value) else {
            throw ApprovalError.invalidField(field: "code", message: "项目代码 \(code.value) 尚未登记，可直接登记项目")
        }
        guard !project.isVisible(to: firm) else {
            throw ApprovalError.conflict(code: "already-party", message: "本单位已是该项目的建设单位或施工总承包单位")
        }
        let now = dependencies.now()
        let contest = ProjectContest(id: dependencies.makeID(), projectId: project.id, code: project.code, firm: firm, reason: reason,
                                     filedAt: now, status: .open)
        try await store.insert(contest, audit: AuditEntry(actor: actor, action: "project.contested", subject: "project/\(project.id)",
                                                          detail: ["firm": firm, "reason": reason]), at: now)
        return contest
    }

    public func contests(status: ProjectContest.Status?, for actor: Actor, page: PageRequest = PageRequest()) async throws -> Page<ProjectContest> {
        try require(actor, is: .admin, .clerk, .issuer, to: "只有审批局工作人员可以查看项目登记异议")
        return try await store.contests(status: status, page: page)
    }

    /// Gives the project the parties the bureau found; the builder owns it from now on. Every
    /// party must be a registered firm, so the names come from the register.
    public func reassign(_ projectID: String, _ input: ProjectReassignment, by actor: Actor) async throws -> Project {
        try require(actor, is: .admin, to: "只有管理员可以改正项目登记")
        guard let project = try await store.project(id: projectID) else { throw ApprovalError.notFound("项目 \(projectID)") }
        let reason = try text(input.reason, field: "reason", max: 1000, multiline: true)!
        guard let given = input.builder else { throw ApprovalError.invalidField(field: "builder", message: "请给出建设单位的统一社会信用代码") }
        let builderUSCC = try uscc(given, field: "builder")
        let contractorUSCC = try input.contractor.map { code throws(ApprovalError) in try uscc(code, field: "contractor") }
        guard contractorUSCC != builderUSCC else {
            throw ApprovalError.invalidField(field: "contractor", message: "施工总承包单位不能与建设单位相同")
        }
        let registered = try await store.firms([builderUSCC] + (contractorUSCC.map { [$0] } ?? []))
        guard let builder = registered[builderUSCC] else { throw ApprovalError.invalidField(field: "builder", message: "单位 \(builderUSCC) 尚未登记") }
        let contractor = try contractorUSCC.map { code throws(ApprovalError) -> Party in
            guard let firm = registered[code] else { throw .invalidField(field: "contractor", message: "单位 \(code) 尚未登记") }
            return Party(name: firm.name, uscc: firm.uscc)
        }
        let corrected = project.reassigned(builder: Party(name: builder.name, uscc: builder.uscc), contractor: contractor)
        let parties = { (project: Project) in
            ["owner": project.ownerFirm, "builder": project.builder.uscc, "contractor": project.contractor?.uscc ?? ""]
        }
        let now = dependencies.now()
        try await store.reassign(corrected, audit: AuditEntry(actor: actor, action: "project.reassigned", subject: "project/\(project.id)",
                                                              before: parties(project), after: parties(corrected), detail: ["reason": reason]),
                                 at: now)
        return corrected
    }

    public func dismissContest(_ id: String, reason: String?, by actor: Actor) async throws -> ProjectContest {
        try require(actor, is: .admin, to: "只有管理员可以处理项目登记异议")
        let resolution = try text(reason, field: "reason", max: 1000, multiline: true)!
        let now = dependencies.now()
        guard let contest = try await store.dismissContest(id: id, resolution: resolution, audit: AuditEntry(
            actor: actor, action: "project.contest-dismissed", subject: "contest/\(id)", detail: ["reason": resolution]), at: now) else {
            throw ApprovalError.notFound("待处理的异议 \(id)")
        }
        return contest
    }
}
