import CapabilityKit
import Foundation
import Approval
import Hummingbird
import Kernel

struct ProjectsController {
    let approval: ApprovalService

    /// One field of the merged form, filled with what the firm already gave on this project.
    struct DefaultField: Encodable {
        let key: String
        let label: String
        let type: FormField.FieldType
        let required: Bool
        let options: [String]?
        let value: FormValue?
    }

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("projects") { request, context -> Response in
            let input = try await JSON.decode(NewProject.self, from: request)
            return try JSON.response(try await approval.createProject(input, by: context.actor), status: .created)
        }
        router.get("projects") { request, context -> Response in
            try JSON.response(try await approval.projects(for: context.actor, page: try request.pageRequest(keyCount: ApprovalService.projectsKeyCount)),
                              for: request)
        }
        router.get("projects/:id/form") { request, context -> Response in
            let items = (request.uri.queryParameters.get("items") ?? "").split(separator: ",").map(String.init)
            let defaults = try await approval.formDefaults(projectID: try context.parameters.require("id"), items: items,
                                                           bundle: request.uri.queryParameters.get("bundle"), by: context.actor)
            return try JSON.response(defaults.map { DefaultField(key: $0.field.key, label: $0.field.label, type: $0.field.type,
                                                                required: $0.field.isRequired, options: $0.field.options, value: $0.value) })
        }
        router.post("projects/contests") { request, context -> Response in
            let input = try await JSON.decode(NewProjectContest.self, from: request)
            return try JSON.response(try await approval.contest(input, by: context.actor), status: .created)
        }
        router.get("projects/contests") { request, context -> Response in
            let status = try request.uri.queryParameters.get("status").map { value in
                guard let status = ProjectContest.Status(rawValue: value) else {
                    throw KernelError.invalidField(field: "status", message: "应为 open、upheld 或 dismissed")
                }
                return status
            }
            return try JSON.response(try await approval.contests(status: status, for: context.actor,
                                                                 page: try request.pageRequest(keyCount: SQLiteApprovalStore.contestOrder.keyCount)),
                                     for: request)
        }
        router.post("projects/contests/:id/dismissal") { request, context -> Response in
            let input = try await JSON.decode(Dismissal.self, from: request)
            return try JSON.response(try await approval.dismissContest(try context.parameters.require("id"), reason: input.reason, by: context.actor))
        }
        router.post("projects/:id/reassignment") { request, context -> Response in
            let input = try await JSON.decode(ProjectReassignment.self, from: request)
            return try JSON.response(try await approval.reassign(try context.parameters.require("id"), input, by: context.actor))
        }
        router.get("projects/:id") { _, context -> Response in
            try JSON.response(try await approval.project(try context.parameters.require("id"), for: context.actor))
        }
    }
}

struct Dismissal: Decodable {
    let reason: String?
}
