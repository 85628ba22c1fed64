import Foundation
import GRDB
import Hummingbird
import Kernel
import Testing
@testable import WebApp

/// Issue 11 §2: sign-in a bureau can defend — throttled, silent about which names exist, with
/// sessions that end when they should.
@Suite("Sign-in: throttled failures, no hint of which names exist, sessions that end")
struct SignInTests {
    static func attempt(_ client: TestApp.Client, _ username: String, _ password: String) async throws -> TestResponse {
        try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    @Test("five wrong passwords lock the name: the sixth try, even the right one, gets 429 with when to retry; after the window it signs in")
    func repeatedFailuresLockTheName() async throws {
        let app = try await TestApp()
        try await app.run { client in
            for _ in 0..<5 {
                #expect(try await Self.attempt(client, "chongren", "Wrong-pass-2026").status == .unauthorized)
            }
            let locked = try await Self.attempt(client, "chongren", TestApp.password)
            #expect(locked.status == .tooManyRequests, "\(locked.text)")
            #expect(locked.body?["error"]?["code"]?.string == "sign-in-locked")
            let seconds = try #require(locked.headers[.retryAfter].flatMap { Int($0) }, "Retry-After")
            #expect((1...900).contains(seconds), "\(seconds)")
            #expect(locked.body?["error"]?["message"]?.string?.contains("后重试") == true)
            #expect(try await Self.attempt(client, "hanxi", TestApp.password).status == .ok, "another name is not locked")

            app.clock.advance(minutes: 16)
            #expect(try await Self.attempt(client, "chongren", TestApp.password).status == .ok)
        }
    }

    @Test("many failures from one address lock that address, whichever names they tried")
    func repeatedFailuresLockTheAddress() async throws {
        let app = try await TestApp()
        try await app.run { client in
            for index in 0..<20 {
                let guess = try await Self.attempt(client, "guess-\(index)", "Wrong-pass-2026")
                #expect(guess.status == .unauthorized)
            }
            let locked = try await Self.attempt(client, "hanxi", TestApp.password)
            #expect(locked.status == .tooManyRequests, "\(locked.text)")
        }
    }

    @Test("an unknown name gets the same answer as a wrong password, after the same bcrypt work")
    func unknownNamesAreIndistinguishable() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let unknown = try await Self.attempt(client, "nobody-here", "Wrong-pass-2026")
            let wrong = try await Self.attempt(client, "chongren", "Wrong-pass-2026")
            #expect(unknown.status == wrong.status)
            #expect(unknown.text == wrong.text)
        }
        // Timed at a real cost, so the check dominates: without a decoy an unknown name answers at once.
        let accounts = AccountService(store: SQLiteAccountStore(database: app.services.database), catalog: app.services.catalog,
                                      dependencies: .live, bcryptCost: 10)
        let clock = ContinuousClock()
        func median(_ username: String) async throws -> Duration {
            var times: [Duration] = []
            for _ in 0..<3 {
                let start = clock.now
                await #expect(throws: KernelError.unauthenticated) { try await accounts.login(username: username, password: "Wrong-pass-2026", address: "test") }
                times.append(clock.now - start)
            }
            return times.sorted()[1]
        }
        _ = try await accounts.create(NewAccount(username: "stopwatch", password: "Timed-pass-2026", role: .clerk, name: "计时"), by: .system)
        let known = try await median("stopwatch"), unknown = try await median("no-such-name")
        #expect(unknown * 2 > known, "unknown \(unknown) against known \(known)")
    }

    @Test("behind a trusted proxy the client is the address it forwards; anyone else's X-Forwarded-For is ignored")
    func forwardedAddresses() async throws {
        let app = try await TestApp()
        let auth = AuthController(accounts: app.services.accounts, trustedProxies: ["10.0.0.2"])
        #expect(auth.clientAddress(peer: "10.0.0.2", forwardedFor: "198.51.100.7, 10.0.0.2") == "198.51.100.7")
        #expect(auth.clientAddress(peer: "10.0.0.2", forwardedFor: "203.0.113.9, 198.51.100.7") == "198.51.100.7", "the proxy's own hop counts, a client's claim does not")
        #expect(auth.clientAddress(peer: "203.0.113.9", forwardedFor: "198.51.100.7") == "203.0.113.9", "a client cannot pick its own address")
        #expect(auth.clientAddress(peer: "10.0.0.2", forwardedFor: nil) == "10.0.0.2")
    }

    @Test("an administrator disables an account: its sessions end at once and it cannot sign in until enabled")
    func disabledAccountsLoseTheirSessions() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let token = try await client.login("hanxi")
            let admin = try await client.login("admin")
            let accounts = try await client.request(.get, "/api/v1/accounts", token: admin)
            let id = try #require(accounts.body?.array.first { $0["username"]?.string == "hanxi" }?["id"]?.string, "\(accounts.text)")
            #expect(try await client.request(.post, "/api/v1/accounts/\(id)/disable", token: admin, json: "{}").body?["error"]?["field"]?.string == "reason")
            #expect(try await client.request(.post, "/api/v1/accounts/\(id)/disable", token: token, json: #"{"reason":"离职"}"#).status == .forbidden)
            let disabled = try await client.request(.post, "/api/v1/accounts/\(id)/disable", token: admin, json: #"{"reason":"经办人离职"}"#)
            #expect(disabled.body?["disabledAt"]?.string != nil, "\(disabled.text)")
            #expect(try await client.request(.get, "/api/v1/me", token: token).status == .unauthorized)
            let refused = try await Self.attempt(client, "hanxi", TestApp.password)
            #expect(refused.status == .forbidden)
            #expect(refused.body?["error"]?["code"]?.string == "account-disabled")

            #expect(try await client.request(.post, "/api/v1/accounts/\(id)/enable", token: admin, json: "{}").status == .ok)
            #expect(try await Self.attempt(client, "hanxi", TestApp.password).status == .ok)
            let audit = try await app.services.database.read { db in try AuditLog.records(subject: "account/\(id)", in: db) }
            #expect(audit.map(\.action).suffix(2) == ["account.disabled", "account.enabled"])
        }
    }

    @Test("a user ends all its sessions at once; expired sessions are purged by the sweep")
    func sessionsEnd() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let phone = try await client.login("chongren")
            let desk = try await client.login("chongren")
            #expect(try await client.request(.post, "/api/v1/auth/logout-all", token: phone).status == .noContent)
            #expect(try await client.request(.get, "/api/v1/me", token: desk).status == .unauthorized)
            #expect(try await client.request(.get, "/api/v1/me", token: phone).status == .unauthorized)

            _ = try await client.login("hanxi")
            let count = { try await app.services.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions")! } }
            #expect(try await count() == 1)
            app.clock.advance(minutes: 12 * 60 + 1)
            #expect(try await app.services.accounts.purgeExpired() == 1)
            #expect(try await count() == 0)
        }
    }

    @Test("passwords meet the bureau's policy; changing one's own ends the other sessions")
    func passwordPolicy() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let admin = try await client.login("admin")
            for weak in ["short-1A", "alllowercase", "clerk-x-Password1", "aaaaaaaaaaaA1"] {
                let refused = try await client.request(.post, "/api/v1/accounts", token: admin,
                                                       json: #"{"username":"clerk-x","password":"\#(weak)","role":"clerk","name":"王敏"}"#)
                #expect(refused.body?["error"]?["field"]?.string == "password", "\(weak): \(refused.text)")
            }
            let other = try await client.login("chongren")
            let this = try await client.login("chongren")
            let wrongCurrent = try await client.request(.post, "/api/v1/me/password", token: this,
                                                        json: #"{"currentPassword":"nope","newPassword":"Brand-new-2027"}"#)
            #expect(wrongCurrent.body?["error"]?["field"]?.string == "currentPassword")
            let weakNew = try await client.request(.post, "/api/v1/me/password", token: this,
                                                   json: #"{"currentPassword":"\#(TestApp.password)","newPassword":"password"}"#)
            #expect(weakNew.body?["error"]?["field"]?.string == "newPassword")
            #expect(try await client.request(.post, "/api/v1/me/password", token: this,
                                             json: #"{"currentPassword":"\#(TestApp.password)","newPassword":"Brand-new-2027"}"#).status == .noContent)
            #expect(try await client.request(.get, "/api/v1/me", token: this).status == .ok, "this session stays")
            #expect(try await client.request(.get, "/api/v1/me", token: other).status == .unauthorized, "the others end")
            #expect(try await Self.attempt(client, "chongren", TestApp.password).status == .unauthorized)
            #expect(try await Self.attempt(client, "chongren", "Brand-new-2027").status == .ok)
        }
    }
}
