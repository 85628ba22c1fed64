import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing
import WebApp

@Suite("Administrators manage accounts; material files are for their firm and the bureau's staff")
struct AccountsAndFilesTests {
    @Test("an admin creates an inspector, who can then log in; other roles may not create accounts")
    func adminCreatesAccounts() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let admin = try await client.login("admin")
            let created = try await client.request(.post, "/api/v1/accounts", token: admin, json: """
                {"username":"inspector-dxh","password":"\(TestApp.password)","role":"inspector","name":"吴强",
                 "department":"city-management","region":"420112"}
                """)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.body?["region"]?.string == "420112")
            #expect(try await client.login("inspector-dxh").isEmpty == false)

            let noRegion = try await client.request(.post, "/api/v1/accounts", token: admin, json: """
                {"username":"inspector-x","password":"\(TestApp.password)","role":"inspector","name":"某某","department":"city-management"}
                """)
            #expect(noRegion.status == .unprocessableContent)
            #expect(noRegion.body?["error"]?["field"]?.string == "region")

            let clerk = try await client.login("clerk")
            let forbidden = try await client.request(.post, "/api/v1/accounts", token: clerk, json: """
                {"username":"sneaky","password":"\(TestApp.password)","role":"admin","name":"某某"}
                """)
            #expect(forbidden.status == .forbidden)
        }
    }

    @Test("a firm and a reviewer can download a material; another firm cannot, and the reviewer's read is audited")
    func materialDownloads() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let id = try await client.upload("<script>alert(1)</script>施工合同", token: firm)
            let own = try await client.request(.get, "/api/v1/files/\(id)", token: firm)
            #expect(own.status == .ok)
            #expect(own.text == "<script>alert(1)</script>施工合同")

            let reviewer = try await client.login("reviewer-housing")
            #expect(try await client.request(.get, "/api/v1/files/\(id)", token: reviewer).status == .ok)
            let other = try await client.login("hanxi")
            #expect(try await client.request(.get, "/api/v1/files/\(id)", token: other).status == .notFound)
            let headers = try await client.client.execute(uri: "/api/v1/files/\(id)", method: .get, headers: [.authorization: "Bearer \(firm)"]) { $0.headers }
            #expect(headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(headers[.contentSecurityPolicy] == "sandbox")

            let reads = try await app.services.database.read { db in try AuditLog.records(subject: "file/\(id)", in: db) }
            #expect(reads.map(\.actorName) == ["陈刚"])
        }
    }

    @Test("an inspector reads back the photo it uploaded; another inspector cannot; a body of null is refused as not an object")
    func inspectorsOwnEvidence() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let inspector = try await client.login("inspector-cg-qk")
            let uploaded = try await client.request(.post, "/api/v1/files", token: inspector, raw: Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data("现场照片".utf8),
                                                    contentType: "image/jpeg")
            let photo = try #require(uploaded.body?["id"]?.string, "\(uploaded.text)")
            #expect(try await client.request(.get, "/api/v1/files/\(photo)", token: inspector).status == .ok)
            #expect(try await client.request(.get, "/api/v1/files/\(photo)", token: try await client.login("inspector-cg-hc")).status == .notFound)
            let null = try await client.request(.post, "/api/v1/projects", token: try await client.login("chongren"), json: "null")
            #expect(null.status == .badRequest)
            #expect(null.body?["error"]?["field"] == nil, "\(null.text)")
        }
    }
}
