import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// Resolves `Authorization: Bearer <token>` to an actor. A bad token is refused at once rather
/// than treated as anonymous, so a client learns its session has expired.
struct BearerAuthenticator: RouterMiddleware {
    let accounts: AccountService

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        if header.hasPrefix("Bearer \(capabilityCredentialPrefix)") { return try await next(request, context) }
        guard header.lowercased().hasPrefix("bearer "), let actor = try await accounts.actor(forToken: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
            throw KernelError.unauthenticated
        }
        var context = context
        context.identity = actor
        return try await next(request, context)
    }
}
