import CapabilityKit
import Foundation
import Hummingbird
import Kernel

struct HealthController {
    let database: AppDatabase
    /// Read once at start-up, so a service started from another folder fails then, not per request.
    let openAPIDocument: Data

    init(database: AppDatabase, openAPIFile: URL) throws {
        self.database = database
        openAPIDocument = try Data(contentsOf: openAPIFile)
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ -> Response in
            guard await database.isHealthy() else {
                return ErrorBody(code: "database-unavailable", message: "数据库无响应", field: nil).response(status: .serviceUnavailable)
            }
            return try JSON.response(["status": "ok"])
        }
        router.get("openapi.yaml") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: openAPIDocument)))
        }
    }
}
