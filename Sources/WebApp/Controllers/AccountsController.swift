import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// 账号管理: an administrator creates and lists accounts.
struct AccountsController {
    let accounts: AccountService

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("accounts") { request, context -> Response in
            let input = try await JSON.decode(NewAccount.self, from: request)
            return try JSON.response(try await accounts.create(input, by: context.actor), status: .created)
        }
        router.get("accounts") { request, context -> Response in
            try JSON.response(try await accounts.summaries(for: context.actor, page: try request.pageRequest(keyCount: AccountService.summariesKeyCount)),
                              for: request)
        }
        router.post("accounts/:id/disable") { request, context -> Response in
            let input = try await JSON.decode(StatusChangeReason.self, from: request)
            return try JSON.response(try await accounts.setDisabled(try context.parameters.require("id"), true, reason: input.reason, by: context.actor))
        }
        router.post("accounts/:id/enable") { request, context -> Response in
            let input = try await JSON.decode(StatusChangeReason.self, from: request)
            return try JSON.response(try await accounts.setDisabled(try context.parameters.require("id"), false, reason: input.reason, by: context.actor))
        }
        router.post("firms") { request, context -> Response in
            let input = try await JSON.decode(FirmRegistration.self, from: request)
            return try JSON.response(try await accounts.registerFirm(uscc: input.uscc, name: input.name, by: context.actor), status: .created)
        }
        router.get("firms") { request, context -> Response in
            try JSON.response(try await accounts.firms(for: context.actor, page: try request.pageRequest(keyCount: AccountService.firmsKeyCount)), for: request)
        }
        router.get("firms/:uscc") { _, context -> Response in
            let uscc: String = try context.parameters.require("uscc")
            guard let firm = try await accounts.firm(uscc: uscc) else { throw KernelError.notFound("登记单位 \(uscc)") }
            return try JSON.response(firm)
        }
    }
}

struct FirmRegistration: Decodable {
    let uscc: String?
    let name: String?
}

struct StatusChangeReason: Decodable {
    let reason: String?
}
