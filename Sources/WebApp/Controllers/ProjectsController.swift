import Foundation
import Approval
import Hummingbird
import Kernel

struct ProjectsController {
    let approval: ApprovalService

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("projects") { request, context -> Response in
            let input = try await JSON.decode(NewProject.self, from: request)
            return try JSON.response(try await approval.createProject(input, by: context.actor), status: .created)
        }
        router.get("projects") { _, context -> Response in
            try JSON.response(try await approval.projects(for: context.actor))
        }
        router.get("projects/:id") { _, context -> Response in
            try JSON.response(try await approval.project(try context.parameters.require("id"), for: context.actor))
        }
    }
}
