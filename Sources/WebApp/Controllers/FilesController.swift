import CapabilityKit
import Foundation
import Hummingbird
import Kernel

struct FilesController {
    let files: FileStore

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("files") { request, context -> Response in
            let contentType = request.headers[.contentType] ?? "application/octet-stream"
            switch context.actor.role {
            case .applicant: break
            case .inspector where contentType.hasPrefix("image/"): break
            case .inspector: throw KernelError.invalidField(field: "Content-Type", message: "监管人员只能上传现场照片（image/*）")
            default: throw KernelError.forbidden("只有申请单位（申请材料）和监管人员（现场照片）可以上传文件")
            }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: files.sizeLimit)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw KernelError.fileTooLarge(limit: files.sizeLimit)
            }
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
