import CapabilityKit
import Foundation
import Hummingbird
import Kernel
import Logging

/// Errors on pages as pages: the status the API would give, its Chinese message in the layout.
/// A visitor who must sign in is sent to the sign-in page, and back afterwards.
struct PageErrorMiddleware: RouterMiddleware {
    let renderer: PageRenderer

    struct ErrorPage {
        let status: Int
        let message: String
    }

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any DomainError where error.kind == .unauthenticated {
            return PageRenderer.redirect(to: Self.signInAddress(returningTo: request))
        } catch let error as any DomainError {
            var response = try renderer.response("page-error", ErrorPage(status: Int(error.kind.status.code), message: error.message),
                                                 status: error.kind.status)
            if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        } catch let error as any HTTPResponseError {
            return try renderer.response("page-error", ErrorPage(status: Int(error.status.code), message: ErrorMiddleware<AppRequestContext>.describe(error.status).1),
                                         status: error.status)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return try renderer.response("page-error", ErrorPage(status: 500, message: "服务器内部错误，请稍后重试"), status: .internalServerError)
        }
    }

    /// `/login?next=…` naming the page asked for; a form's target is not a page to return to.
    static func signInAddress(returningTo request: Request) -> String {
        guard request.method == .get || request.method == .head else { return "/login" }
        let asked = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
        return "/login?next=" + (asked.addingPercentEncoding(withAllowedCharacters: nextAllowed) ?? "/")
    }

    private static let nextAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
}
