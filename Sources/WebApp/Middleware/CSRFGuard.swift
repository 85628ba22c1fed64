import CapabilityKit
import HTTPTypes
import Hummingbird
import Kernel

/// Every form a signed-in page posts must carry the session's form token; one without it, or
/// with another session's, is refused before its handler runs, so nothing changes. A page's
/// script posting a raw body (a material file) sends the token in `X-CSRF-Token` instead: another
/// site cannot set that header on a request to us, and the body is left unread for its handler.
struct CSRFGuard: RouterMiddleware {
    static let header = HTTPField.Name("X-CSRF-Token")!

    struct Posted: Decodable {
        let csrf: String?
    }

    func handle(_ request: Request, context: SignedInPageContext, next: (Request, SignedInPageContext) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        let posted: String?
        if let header = request.headers[Self.header] {
            posted = header
        } else {
            let body = String(buffer: try await request.collectBody(upTo: PostedForm.bodyLimit))
            posted = (try? URLEncodedFormDecoder().decode(Posted.self, from: body))?.csrf
        }
        guard let session = WebSession.token(in: request), WebSession.acceptsCSRF(posted, session: session) else {
            throw KernelError.forbidden("表单已过期或并非来自本站页面，请返回页面刷新后重试")
        }
        return try await next(request, context)
    }
}
