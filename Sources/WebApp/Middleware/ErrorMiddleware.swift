import CapabilityKit
import Foundation
import Hummingbird
import Kernel
import Logging

/// The one place errors become responses: `{"error":{"code","message","field"?}}`. A 500 shows a
/// generic message and logs the detail.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any DomainError {
            var response = ErrorBody(code: error.code, message: error.message, field: error.field).response(status: error.kind.status)
            if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        } catch let error as any HTTPResponseError {
            let (code, message) = Self.describe(error.status)
            return ErrorBody(code: code, message: message, field: nil).response(status: error.status)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return ErrorBody(code: "internal-error", message: "服务器内部错误，请稍后重试", field: nil).response(status: .internalServerError)
        }
    }

    static func describe(_ status: HTTPResponse.Status) -> (String, String) {
        switch status {
        case .notFound: ("not-found", "未找到请求的地址")
        case .methodNotAllowed: ("method-not-allowed", "不支持该请求方法")
        case .contentTooLarge: ("too-large", "请求内容过大")
        case .badRequest: ("malformed", "请求格式错误")
        case .unsupportedMediaType: ("unsupported-media-type", "不支持的内容类型")
        default: ("http-\(status.code)", status.reasonPhrase)
        }
    }
}

struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
        let field: String?
    }

    let error: Detail

    init(code: String, message: String, field: String?) {
        error = Detail(code: code, message: message, field: field)
    }

    func response(status: HTTPResponse.Status) -> Response {
        let data = (try? JSON.encoder.encode(self)) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
