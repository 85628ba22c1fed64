import Foundation
import Hummingbird
import Kernel

struct HealthController {
    let database: AppDatabase
    let openAPIFile: URL

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ -> Response in
            guard await database.isHealthy() else {
                return ErrorBody(code: "database-unavailable", message: "数据库无响应", field: nil).response(status: .serviceUnavailable)
            }
            return try JSON.response(["status": "ok"])
        }
        router.get("openapi.yaml") { _, _ -> Response in
            let data = try Data(contentsOf: openAPIFile)
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
