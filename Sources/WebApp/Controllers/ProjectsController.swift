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

struct FilesController {
    let files: FileStore

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("files") { request, context -> Response in
            guard context.actor.role == .applicant else { throw KernelError.forbidden("只有申请单位可以上传申请材料") }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: files.sizeLimit)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw KernelError.fileTooLarge(limit: files.sizeLimit)
            }
            let contentType = request.headers[.contentType] ?? "application/octet-stream"
            let stored = try await files.store(Data(body.readableBytesView), contentType: contentType, by: context.actor)
            return try JSON.response(stored, status: .created)
        }
    }
}
