import CapabilityKit
import Crypto
import Foundation
import Hummingbird
import Kernel

/// A browser's session: the same bearer session the API opens at sign-in, carried in a cookie
/// the page's scripts cannot read. Forms carry a token derived from it, which another site
/// cannot know, so a form posted from elsewhere is refused.
struct WebSession: Sendable {
    static let cookieName = "shenguan_session"
    /// Set by the sign-in page and posted back with its form (double submit): the form is refused
    /// unless it came from that page, so no other site can sign a browser into its own account.
    static let signInCookieName = "shenguan_signin"

    /// Only over HTTPS when the service is reached over HTTPS (`AppConfiguration.publicURL`).
    let secure: Bool

    init(publicURL: String) {
        secure = publicURL.lowercased().hasPrefix("https://")
    }

    /// The session's bearer token, when the request carries one.
    static func token(in request: Request) -> String? {
        request.cookies[cookieName]?.value
    }

    func cookie(for session: Session, now: Date) -> Cookie {
        Cookie(name: Self.cookieName, value: session.token, maxAge: max(0, Int(session.expiresAt.timeIntervalSince(now))), path: "/",
               secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// Tells the browser to forget a cookie.
    func expired(_ name: String, path: String = "/") -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .lax)
    }

    func signInCookie(token: String) -> Cookie {
        Cookie(name: Self.signInCookieName, value: token, maxAge: 3600, path: "/login", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The forms' token: an HMAC keyed by the session token, so it ends with the session and
    /// reveals nothing of the token itself.
    static func csrfToken(forSession token: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data("shenguan-csrf/v1".utf8), using: SymmetricKey(data: Data(token.utf8)))).base64URLEncoded
    }

    static func acceptsCSRF(_ posted: String?, session token: String) -> Bool {
        guard let posted, let code = Data(base64URLEncoded: posted) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Data("shenguan-csrf/v1".utf8), using: SymmetricKey(data: Data(token.utf8)))
    }

    /// Where to go after signing in: the page asked for, if it is a path on this site, else the
    /// account's home. Anything that a browser could read as another host (`//evil`, `/\evil`,
    /// `https://…`) is ignored.
    static func localPath(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.count <= 2048,
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" })
        else { return nil }
        return next
    }
}
