import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// Waste disposal over HTTP: the firm's one-step application, and the office's view of its
/// vehicles' trips. Decodes, asks the service, encodes; the rules are the service's.
struct WasteDisposalController {
    let service: WasteDisposalService

    func register(_ routes: CapabilityRoutes) {
        routes.authenticated.post("waste-disposal/applications") { request, context -> Response in
            try JSON.response(try await service.apply(try await JSON.decode(DisposalApplicationInput.self, from: request), by: context.actor),
                              status: .created)
        }
        routes.authenticated.get("waste-disposal/applications/:id/trips") { request, context -> Response in
            let page = try request.pageRequest(keyCount: TripLog.tripOrder.keyCount)
            let (view, next) = try await service.trips(of: try context.parameters.require("id"), for: context.actor, page: page)
            return try JSON.response(view, next: next, for: request)
        }
        routes.authenticated.get("waste-disposal/applications/:id") { _, context -> Response in
            try JSON.response(try await service.progress(of: try context.parameters.require("id"), for: context.actor))
        }
        routes.authenticated.post("waste-disposal/applications/:id/confirmation") { _, context -> Response in
            try JSON.response(try await service.confirm(try context.parameters.require("id"), by: context.actor))
        }
        routes.authenticated.post("waste-disposal/vehicles") { request, context -> Response in
            let input = try await JSON.decode(VehicleRegistration.self, from: request)
            return try JSON.response(try await service.register(input, by: context.actor), status: .created)
        }
        routes.authenticated.get("waste-disposal/vehicles") { request, _ -> Response in
            try JSON.response(try await service.fleet(of: request.uri.queryParameters.get("transporter")))
        }
        routes.authenticated.delete("waste-disposal/vehicles/:plate") { _, context -> Response in
            // A plate starts with a Chinese character, so it arrives percent-encoded.
            let raw: String = try context.parameters.require("plate")
            try await service.deregister(plate: raw.removingPercentEncoding ?? raw, by: context.actor)
            return Response(status: .noContent)
        }
        routes.authenticated.get("waste-disposal/firms/:uscc") { _, context -> Response in
            try JSON.response(try await service.firmView(try context.parameters.require("uscc"), for: context.actor))
        }
        routes.api.get("waste-disposal/sites") { _, _ -> Response in
            try JSON.response(try await service.siteRegister())
        }
        routes.authenticated.get("waste-disposal/confirmations") { request, context -> Response in
            try JSON.response(try await service.confirmations(for: context.actor, page: try request.pageRequest(keyCount: Confirmations.queueOrder.keyCount)),
                              for: request)
        }
        routes.authenticated.post("waste-disposal/applications/:id/vehicles") { request, context -> Response in
            let input = try await JSON.decode(WasteDisposalService.VehicleChange.self, from: request)
            return try JSON.response(try await service.change(input, on: try context.parameters.require("id"), by: context.actor), status: .created)
        }
    }
}
