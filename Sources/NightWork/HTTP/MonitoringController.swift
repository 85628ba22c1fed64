import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// Noise monitors: an admin registers and revokes them; a monitor sends its readings with its own
/// token, not an account's.
struct MonitoringController {
    let monitor: NoiseMonitor

    struct NewDevice: Decodable, Sendable {
        let projectId: String
        let name: String
    }

    func register(_ routes: CapabilityRoutes) {
        routes.authenticated.post("monitoring/devices") { request, context -> Response in
            let input = try await JSON.decode(NewDevice.self, from: request)
            return try JSON.response(try await monitor.register(projectID: input.projectId, name: input.name, by: context.actor), status: .created)
        }
        routes.authenticated.delete("monitoring/devices/:id") { _, context -> Response in
            try await monitor.revoke(try context.parameters.require("id"), by: context.actor)
            return Response(status: .noContent)
        }
        routes.api.post("monitoring/noise") { request, _ -> Response in
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw NightWorkError.unauthenticated }
            let device = try await monitor.device(token: String(header.dropFirst(7)))
            let batch = try await JSON.decode(ReadingBatch.self, from: request, limit: 256 * 1024)
            return try JSON.response(try await monitor.ingest(batch, from: device), status: .accepted)
        }
    }
}
