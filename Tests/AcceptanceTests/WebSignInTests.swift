import Foundation
import Hummingbird
import Kernel
import Testing
@testable import WebApp

/// Issue 13 §1: a browser signs in through the API's own sign-in, holds its session in a cookie
/// no script can read, and every form it posts carries a token another site cannot know.
@Suite("Signing in on the web: a safe session cookie, forms with tokens, sign-out, no open redirects")
struct WebSignInTests {
    @Test("signing in sets an HttpOnly, SameSite=Lax session cookie for the whole site, Secure under an https address, holding the API's own session")
    func signInSetsTheCookie() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let browser = Browser(client)
            // MUT
            let signedIn = try await browser.signIn("chongren")
            // validate
            #expect(signedIn.status == .seeOther, "\(signedIn.text)")
            #expect(signedIn.headers[.location] == "/firm/applications")
            let cookie = try #require(Browser.setCookies(signedIn)[WebSession.cookieName], "\(signedIn.headers)")
            #expect(Set(cookie.attributes).isSuperset(of: ["HttpOnly", "SameSite=Lax", "Path=/", "Secure"]), "\(cookie.attributes)")
            #expect(cookie.attributes.contains("Max-Age=43200"), "the API's 12-hour session: \(cookie.attributes)")
            let me = try await client.request(.get, "/api/v1/me", token: cookie.value)
            #expect(me.body?["username"]?.string == "chongren", "the cookie holds a session of the API's store: \(me.text)")
            let page = try await browser.get("/firm/applications")
            #expect(page.status == .ok)
            #expect(page.text.contains("武汉崇仁置业有限公司 · 张伟（申请单位）"), "\(page.text)")
            #expect(page.text.contains(#"<form method="post" action="/logout">"#))
        }
        #expect(!WebSession(publicURL: "http://127.0.0.1:8080").secure, "no Secure over plain http")
    }

    @Test("a page asked for without a session sends the browser to sign in (303), and back to that page afterwards")
    func anonymousVisitorsSignInFirst() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let browser = Browser(client)
            let asked = try await browser.get("/firm/projects?limit=5")
            #expect(asked.status == .seeOther)
            let location = try #require(asked.headers[.location])
            #expect(location == "/login?next=/firm/projects%3Flimit%3D5", "\(location)")
            let page = try await browser.get(location)
            #expect(Browser.hidden("next", in: page) == "/firm/projects?limit=5")
            let signedIn = try await browser.signIn("chongren", next: "/firm/projects?limit=5")
            #expect(signedIn.headers[.location] == "/firm/projects?limit=5")
            #expect(try await browser.get("/firm/projects?limit=5").status == .ok)
        }
    }

    @Test("a wrong password shows the sign-in page again with the reason in Chinese, status 401, and sets no session")
    func wrongPasswordShowsTheError() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let browser = Browser(client)
            let refused = try await browser.signIn("chongren", password: "Wrong-pass-2026")
            #expect(refused.status == .unauthorized)
            #expect(refused.text.contains("用户名或密码不正确"))
            #expect(refused.text.contains(#"value="chongren""#), "the name stays filled in")
            #expect(browser.cookies[WebSession.cookieName] == nil)
            #expect(try await browser.get("/firm/applications").status == .seeOther)
            // The failures count with the API's: the same throttling locks the name.
            for _ in 0..<4 { _ = try await browser.signIn("chongren", password: "Wrong-pass-2026") }
            let locked = try await browser.signIn("chongren")
            #expect(locked.status == .tooManyRequests, "\(locked.text)")
            #expect(locked.text.contains("后重试"))
            #expect(locked.headers[.retryAfter] != nil)
        }
    }

    @Test("a sign-in form not posted from the sign-in page is refused with 403 and opens no session")
    func signInNeedsItsPage() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let browser = Browser(client)
            let forged = try await browser.post("/login", form: [("username", "chongren"), ("password", TestApp.password)])
            #expect(forged.status == .forbidden)
            #expect(browser.cookies[WebSession.cookieName] == nil)
        }
    }

    @Test("a form posted without its token, or with another session's, is refused with 403 and changes nothing")
    func formsNeedTheirToken() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: a submitted application, and a second browser signed in as the same firm
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.submittedApplication(projectID: projectID, firm: firm)
            let browser = Browser(client), other = Browser(client)
            try await browser.signIn("chongren")
            try await other.signIn("chongren")
            let page = try await browser.get("/firm/applications/\(id)")
            let token = try Browser.formToken(in: page)
            let othersToken = try Browser.formToken(in: try await other.get("/firm/applications/\(id)"))
            #expect(token != othersToken)
            // MUT
            let without = try await browser.post("/firm/applications/\(id)/withdrawal", form: [])
            let wrong = try await browser.post("/firm/applications/\(id)/withdrawal", form: [("csrf", othersToken)])
            let signOut = try await browser.post("/logout", form: [("csrf", "")])
            // validate
            #expect(without.status == .forbidden && wrong.status == .forbidden && signOut.status == .forbidden)
            #expect(without.text.contains("表单已过期或并非来自本站页面"))
            let unchanged = try await client.request(.get, "/api/v1/applications/\(id)", token: firm)
            #expect(unchanged.body?["status"]?.string == "submitted")
            #expect(try await browser.get("/firm/applications").status == .ok, "the session is still open")
            // With its own token the same form works.
            let withdrawn = try await browser.post("/firm/applications/\(id)/withdrawal", form: [("csrf", token)])
            #expect(withdrawn.status == .seeOther && withdrawn.headers[.location] == "/firm/applications/\(id)")
            #expect(try await browser.get("/firm/applications/\(id)").text.contains("已撤回"))
        }
    }

    @Test("signing out ends the session: the old cookie opens neither a page nor the API")
    func signOutEndsTheSession() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let browser = Browser(client)
            try await browser.signIn("chongren")
            let old = try #require(browser.cookies[WebSession.cookieName])
            let token = try Browser.formToken(in: try await browser.get("/firm/applications"))
            // MUT
            let signedOut = try await browser.post("/logout", form: [("csrf", token)])
            // validate
            #expect(signedOut.status == .seeOther && signedOut.headers[.location] == "/login")
            #expect(browser.cookies[WebSession.cookieName] == nil, "the browser is told to forget the cookie")
            let replayed = try await client.request(.get, "/firm/applications", headers: ["Cookie": "\(WebSession.cookieName)=\(old)"])
            #expect(replayed.status == .seeOther && replayed.headers[.location]?.hasPrefix("/login") == true)
            #expect(try await client.request(.get, "/api/v1/me", token: old).status == .unauthorized)
        }
    }

    @Test("a sign-in asked to return to another site (https://evil.example, //evil.example, /\\evil.example) lands on a local page")
    func noOpenRedirect() async throws {
        let app = try await TestApp()
        try await app.run { client in
            for target in ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"] {
                let browser = Browser(client)
                let page = try await browser.get("/login?next=\(Browser.encoded(target))")
                #expect(Browser.hidden("next", in: page) == nil, "\(target) is not offered back")
                let signedIn = try await browser.post("/login", form: [("csrf", try Browser.formToken(in: page)), ("username", "chongren"),
                                                                      ("password", TestApp.password), ("next", target)])
                #expect(signedIn.status == .seeOther)
                #expect(signedIn.headers[.location] == "/firm/applications", "\(target) → \(signedIn.headers[.location] ?? "")")
                #expect(try await browser.get("/login?next=\(Browser.encoded(target))").headers[.location] == "/firm/applications",
                        "signed in already, \(target) still lands at home")
            }
        }
    }

    @Test("staff sign in to their work queue, an inspector to its task queue; the firm's pages are not theirs (403)")
    func staffLandOnTheirQueue() async throws {
        let app = try await TestApp()
        try await app.run { client in
            for (username, home) in [("clerk", "/console/acceptance"), ("reviewer-housing", "/console/reviews"), ("issuer", "/console/issuance"),
                                     ("admin", "/console/acceptance"), ("inspector-yl-qk", "/inspector/tasks")] {
                let browser = Browser(client)
                let signedIn = try await browser.signIn(username)
                #expect(signedIn.headers[.location] == home, "\(username)")
                #expect(try await browser.get(home).status == .ok, "\(username)")
            }
            let browser = Browser(client)
            try await browser.signIn("reviewer-housing")
            let account = try await browser.get("/account")
            #expect(account.status == .ok)
            #expect(account.text.contains("陈刚") && account.text.contains("部门审查"))
            #expect(try await browser.get("/firm/applications").status == .forbidden)
        }
    }
}
