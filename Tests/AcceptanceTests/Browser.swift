import Foundation
import Hummingbird
import Synchronization
import Testing

/// A browser over the test client: it keeps the cookies the service sets, sends them back, and
/// posts forms as a browser does.
final class Browser: Sendable {
    let client: TestApp.Client
    private let jar = Mutex<[String: String]>([:])

    init(_ client: TestApp.Client) {
        self.client = client
    }

    var cookies: [String: String] { jar.withLock { $0 } }

    func get(_ path: String) async throws -> TestResponse {
        keep(try await client.request(.get, path, headers: cookieHeader()))
    }

    func post(_ path: String, form: [(String, String)]) async throws -> TestResponse {
        let body = form.map { "\(Self.encoded($0.0))=\(Self.encoded($0.1))" }.joined(separator: "&")
        return keep(try await client.request(.post, path, raw: Data(body.utf8), contentType: "application/x-www-form-urlencoded", headers: cookieHeader()))
    }

    /// Opens the sign-in page (asking to return to `next`) and posts its form.
    @discardableResult
    func signIn(_ username: String, password: String = TestApp.password, next: String? = nil) async throws -> TestResponse {
        let page = try await get("/login" + (next.map { "?next=\(Self.encoded($0))" } ?? ""))
        #expect(page.status == .ok, "\(page.text)")
        var form = [("csrf", try Self.formToken(in: page)), ("username", username), ("password", password)]
        if let returnTo = Self.hidden("next", in: page) { form.append(("next", returnTo)) }
        return try await post("/login", form: form)
    }

    /// The form token a page's forms carry.
    static func formToken(in page: TestResponse) throws -> String {
        try #require(hidden("csrf", in: page), "no form token in \(page.text)")
    }

    static func hidden(_ name: String, in page: TestResponse) -> String? {
        page.text.firstMatch(of: try! Regex<(Substring, Substring)>(#"name="\#(name)" value="([^"]*)""#)).map { String($0.1) }
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }

    /// Each `Set-Cookie` of a response: its value and its attributes as sent.
    static func setCookies(_ response: TestResponse) -> [String: (value: String, attributes: [String])] {
        var cookies: [String: (String, [String])] = [:]
        for header in response.headers[values: .setCookie] {
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { continue }
            cookies[String(pair[..<equals])] = (String(pair[pair.index(after: equals)...]), Array(parts.dropFirst()))
        }
        return cookies
    }

    private func cookieHeader() -> [String: String] {
        let cookies = jar.withLock { $0 }
        return cookies.isEmpty ? [:] : ["Cookie": cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
    }

    private func keep(_ response: TestResponse) -> TestResponse {
        for (name, cookie) in Self.setCookies(response) {
            jar.withLock { jar in
                if cookie.value.isEmpty || cookie.attributes.contains("Max-Age=0") { jar[name] = nil } else { jar[name] = cookie.value }
            }
        }
        return response
    }
}
