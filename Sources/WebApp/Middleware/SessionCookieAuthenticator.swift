import CapabilityKit
import Hummingbird
import Kernel

/// Pages know their visitor by the session cookie alone: a bearer header does not open a page,
/// so every signed-in page has the session its forms' tokens are made from.
struct SessionCookieAuthenticator: RouterMiddleware {
    let accounts: AccountService

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = nil
        if let token = WebSession.token(in: request) {
            context.identity = try await accounts.actor(forToken: token)
        }
        return try await next(request, context)
    }
}
