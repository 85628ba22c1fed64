import CapabilityKit
import Foundation
import Hummingbird
import Kernel

struct AuthController {
    let accounts: AccountService

    struct Credentials: Decodable {
        let username: String
        let password: String
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
        router.post("auth/login") { request, _ -> Response in
            let credentials = try await JSON.decode(Credentials.self, from: request)
            let session = try await accounts.login(username: credentials.username, password: credentials.password)
            let actor = session.actor
            return try JSON.response(SessionResponse(token: session.token, expiresAt: session.expiresAt, role: actor.role, username: actor.username,
                                                     name: actor.name, firm: actor.firm, department: actor.department, region: actor.region))
        }
        authenticated.post("auth/logout") { request, _ -> Response in
            let token = request.headers[.authorization].map { String($0.dropFirst(7)) } ?? ""
            try await accounts.logout(token: token)
            return Response(status: .noContent)
        }
        authenticated.get("me") { _, context -> Response in
            try JSON.response(context.actor)
        }
    }
}
