import CapabilityKit
import Foundation
import Hummingbird
import Kernel
import Supervision

/// 外部推送: administrators connect the city's 互联网+监管 platform and other receivers.
struct WebhooksController {
    let webhooks: WebhookService

    struct CreatedView: Encodable {
        let subscription: WebhookSubscription
        /// Shown once: the receiver checks `X-Shenguan-Signature` with it.
        let secret: String
    }

    struct StatusView: Encodable {
        let subscription: WebhookSubscription
        let pending: Int
        let delivered: Int
        let failed: Int
        let lastError: String?
    }

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.post("webhooks") { request, context -> Response in
            let created = try await webhooks.create(try await JSON.decode(NewWebhook.self, from: request), by: context.actor)
            return try JSON.response(CreatedView(subscription: created.subscription, secret: created.secret), status: .created)
        }
        router.get("webhooks") { _, context -> Response in
            try JSON.response(try await webhooks.list(by: context.actor).map {
                StatusView(subscription: $0.subscription, pending: $0.pending, delivered: $0.delivered, failed: $0.failed, lastError: $0.lastError)
            })
        }
        router.get("webhooks/:id/deliveries") { request, context -> Response in
            let status = try request.uri.queryParameters.get("status").map { value throws(KernelError) in
                guard let status = WebhookDelivery.Status(rawValue: value) else {
                    throw KernelError.invalidField(field: "status", message: "应为 pending、delivered 或 failed")
                }
                return status
            }
            return try JSON.response(try await webhooks.deliveries(of: try context.parameters.require("id"), status: status,
                                                                   page: try request.pageRequest(keyCount: WebhookService.deliveryOrder.keyCount),
                                                                   by: context.actor), for: request)
        }
        router.delete("webhooks/:id") { _, context -> Response in
            try await webhooks.deactivate(try context.parameters.require("id"), by: context.actor)
            return Response(status: .noContent)
        }
    }
}
