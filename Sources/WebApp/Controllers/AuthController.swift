import CapabilityKit
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

struct AuthController {
    let accounts: AccountService
    let trustedProxies: Set<String>

    struct Credentials: Decodable {
        let username: String
        let password: String
    }

    struct PasswordChange: Decodable {
        let currentPassword: String?
        let newPassword: String?
    }

    struct SessionResponse: Encodable {
        let token: String
        let expiresAt: Date
        let role: Role
        let username: String
        let name: String
        let firm: String?
        let department: String?
        let region: String?
    }

    func register(public router: RouterGroup<AppRequestContext>, authenticated: RouterGroup<AuthenticatedContext>) {
        router.post("auth/login") { request, context -> Response in
            let credentials = try await JSON.decode(Credentials.self, from: request)
            let session = try await signIn(credentials, request: request, context: context)
            let actor = session.actor
            return try JSON.response(SessionResponse(token: session.token, expiresAt: session.expiresAt, role: actor.role, username: actor.username,
                                                     name: actor.name, firm: actor.firm, department: actor.department, region: actor.region))
        }
        authenticated.post("auth/logout") { request, _ -> Response in
            let token = request.headers[.authorization].map { String($0.dropFirst(7)) } ?? ""
            try await accounts.logout(token: token)
            return Response(status: .noContent)
        }
        authenticated.post("auth/logout-all") { _, context -> Response in
            _ = try await accounts.endAllSessions(of: context.actor)
            return Response(status: .noContent)
        }
        authenticated.get("me") { _, context -> Response in
            try JSON.response(context.actor)
        }
        authenticated.post("me/password") { request, context -> Response in
            let change = try await JSON.decode(PasswordChange.self, from: request)
            let token = request.headers[.authorization].map { String($0.dropFirst(7)) } ?? ""
            try await accounts.changePassword(of: context.actor, current: change.currentPassword, new: change.newPassword, keepingToken: token)
            return Response(status: .noContent)
        }
    }

    /// The API's and the sign-in page's one way in: failures counted per name and per client address.
    func signIn(_ credentials: Credentials, request: Request, context: AppRequestContext) async throws -> Session {
        let address = clientAddress(peer: context.remoteAddress, forwardedFor: request.headers[HTTPField.Name("X-Forwarded-For")!])
        return try await accounts.login(username: credentials.username, password: credentials.password, address: address)
    }

    /// The client's address: the peer's, or behind a trusted proxy the last address its
    /// `X-Forwarded-For` chain names that is not itself a trusted proxy.
    func clientAddress(peer: String?, forwardedFor: String?) -> String? {
        guard let peer, trustedProxies.contains(peer), let forwardedFor else { return peer }
        let chain = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return chain.last { !trustedProxies.contains($0) } ?? peer
    }
}
