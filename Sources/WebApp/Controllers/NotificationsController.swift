import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// 短信提醒 as the account's inbox: every message addressed to the caller, and whether an SMS
/// gateway has delivered it yet.
struct NotificationsController {
    let database: AppDatabase

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.get("notifications") { request, context -> Response in
            let account = context.actor.id
            let page = try request.pageRequest(keyCount: OutboxNotifier.inboxKeyCount)
            return try JSON.response(try await database.read { db in try OutboxNotifier.inbox(account: account, page: page, in: db) }, for: request)
        }
    }
}
