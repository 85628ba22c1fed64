import CapabilityKit
import Foundation
import Hummingbird
import Kernel

/// 登录 and 退出 for browsers, through the API's own sign-in (same throttling, same sessions),
/// and the account's own page.
struct SignInPagesController {
    let auth: AuthController
    let session: WebSession
    let frames: PageFrames
    let renderer: PageRenderer
    let dependencies: Dependencies

    struct SignInForm: Decodable {
        let username: String?
        let password: String?
        let next: String?
        let csrf: String?
    }

    struct SignInPage {
        let next: String?
        let username: String?
        let error: String?
        let csrf: String
    }

    struct AccountPage {
        struct Row {
            let label: String
            let value: String
        }

        let frame: PageFrame
        let rows: [Row]
    }

    func register(pages: RouterGroup<AppRequestContext>, signedIn: RouterGroup<SignedInPageContext>) {
        pages.get("login") { request, context -> Response in
            let next = WebSession.localPath(request.uri.queryParameters.get("next"))
            if let actor = context.identity { return PageRenderer.redirect(to: next ?? PageFrame.home(for: actor)) }
            return try signInPage(next: next, username: nil, error: nil, status: .ok)
        }
        pages.post("login") { request, context -> Response in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 16_384))
            let form = (try? URLEncodedFormDecoder().decode(SignInForm.self, from: body)) ?? SignInForm(username: nil, password: nil, next: nil, csrf: nil)
            let next = WebSession.localPath(form.next)
            guard let expected = request.cookies[WebSession.signInCookieName]?.value, !expected.isEmpty, form.csrf == expected else {
                return try signInPage(next: next, username: form.username, error: "登录页面已过期，请重新输入用户名和密码", status: .forbidden)
            }
            guard let username = form.username, !username.isEmpty, let password = form.password, !password.isEmpty else {
                return try signInPage(next: next, username: form.username, error: "请输入用户名和密码", status: .unprocessableContent)
            }
            let opened: Session
            do {
                opened = try await auth.signIn(.init(username: username, password: password), request: request, context: context)
            } catch KernelError.unauthenticated {
                return try signInPage(next: next, username: username, error: "用户名或密码不正确", status: .unauthorized)
            } catch let error as any DomainError {
                var response = try signInPage(next: next, username: username, error: error.message, status: error.kind.status)
                if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
                return response
            }
            // A session this browser held before ends: one browser, one session.
            if let previous = WebSession.token(in: request) { try await auth.accounts.logout(token: previous) }
            var response = PageRenderer.redirect(to: next ?? PageFrame.home(for: opened.actor))
            response.setCookie(session.cookie(for: opened, now: dependencies.now()))
            response.setCookie(session.expired(WebSession.signInCookieName, path: "/login"))
            return response
        }
        signedIn.post("logout") { request, _ -> Response in
            if let token = WebSession.token(in: request) { try await auth.accounts.logout(token: token) }
            var response = PageRenderer.redirect(to: "/login")
            response.setCookie(session.expired(WebSession.cookieName))
            return response
        }
        signedIn.get("account") { request, context -> Response in
            let actor = context.actor
            var rows = [AccountPage.Row(label: "姓名", value: actor.name), .init(label: "用户名", value: actor.username),
                        .init(label: "角色", value: PageText.role(actor.role))]
            if let unit = try await frames.unit(of: actor) { rows.append(.init(label: actor.firm == nil ? "所属部门" : "所属单位", value: unit)) }
            if let firm = actor.firm { rows.append(.init(label: "统一社会信用代码", value: firm)) }
            return try renderer.response("account", AccountPage(frame: try await frames.frame(for: actor, request: request), rows: rows))
        }
    }

    /// The form with a fresh token, set beside it in a cookie only this page's form posts back.
    func signInPage(next: String?, username: String?, error: String?, status: HTTPResponse.Status) throws -> Response {
        let token = Data(dependencies.randomBytes(32)).base64URLEncoded
        var response = try renderer.response("login", SignInPage(next: next, username: username, error: error, csrf: token), status: status)
        response.setCookie(session.signInCookie(token: token))
        return response
    }
}
