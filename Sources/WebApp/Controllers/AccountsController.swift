import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// 账号管理: an administrator creates and lists accounts.
struct AccountsController {
    let accounts: AccountService

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("accounts") { request, context -> Response in
            guard context.actor.role == .admin else { throw KernelError.forbidden("只有管理员可以创建账号") }
            let input = try await JSON.decode(NewAccount.self, from: request)
            return try JSON.response(try await accounts.create(input, by: context.actor), status: .created)
        }
        router.get("accounts") { _, context -> Response in
            guard context.actor.role == .admin else { throw KernelError.forbidden("只有管理员可以查看账号") }
            return try JSON.response(try await accounts.all())
        }
    }
}
