import Foundation
import Hummingbird
import Kernel

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
        router.get("files/:id") { _, context -> Response in
            let (file, data) = try await files.download(id: try context.parameters.require("id"), by: context.actor)
            // Served as an attachment in a sandbox: an uploaded HTML file must never run as our page.
            return Response(status: .ok, headers: [
                .contentType: file.contentType, .contentDisposition: "attachment; filename=\"\(file.sha256.prefix(16))\"",
                .init("X-Content-Type-Options")!: "nosniff", .contentSecurityPolicy: "sandbox",
            ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
