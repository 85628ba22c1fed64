import CapabilityKit
import Foundation
import Hummingbird
import Kernel

struct FilesController {
    let files: FileStore

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("files") { request, context -> Response in
            let stored = try await files.store(chunks: request.body.map { $0.readableBytesView }, by: context.actor)
            return try JSON.response(stored, status: .created)
        }
        router.get("files/:id") { _, context -> Response in
            try await download(try context.parameters.require("id"), by: context.actor)
        }
    }

    /// The same download for a signed-in page, whose link carries the session cookie, not a bearer
    /// token: the file store's rules decide (a reviewer reads only its department's materials).
    /// And the same upload for a page's script (the form token in `X-CSRF-Token`, see `CSRFGuard`),
    /// which shows a refusal's message beside the file it chose.
    func register(pages: RouterGroup<SignedInPageContext>) {
        pages.get("files/:id") { _, context -> Response in
            try await download(try context.parameters.require("id"), by: context.actor)
        }
        pages.post("files") { request, context -> Response in
            do {
                let stored = try await files.store(chunks: request.body.map { $0.readableBytesView }, by: context.actor)
                return try JSON.response(stored, status: .created)
            } catch let error as any DomainError where error.kind != .unauthenticated {
                return Response(status: error.kind.status,
                                headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                                body: .init(byteBuffer: ByteBuffer(string: FormRefusal(error).message)))
            }
        }
    }

    func download(_ id: String, by actor: Actor) async throws -> Response {
        let (file, data) = try await files.download(id: id, by: actor)
        // Served as an attachment in a sandbox: an uploaded HTML file must never run as our page.
        return Response(status: .ok, headers: [
            .contentType: file.contentType, .contentDisposition: "attachment; filename=\"\(file.sha256.prefix(16))\"",
            .init("X-Content-Type-Options")!: "nosniff", .contentSecurityPolicy: "sandbox",
        ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
