import Foundation
import GRDB
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

    @Test("a reviewer reads only the materials its department's items ask for; another firm reads none; staff reads are audited")
    func materialDownloads() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let materials = try await client.request(.get, "/api/v1/applications/\(id)", token: firm).body?["materials"]?.array ?? []
            let file = { (material: String) in try #require(materials.first { $0["material"]?.string == material }?["file"]?.string) }
            let contract = try file("construction-contract"), map = try file("greenspace-location-map")

            let own = try await client.request(.get, "/api/v1/files/\(contract)", token: firm)
            #expect(own.status == .ok)
            #expect(own.text.hasPrefix("%PDF-"))
            let housing = try await client.login("reviewer-housing"), landscaping = try await client.login("reviewer-landscaping")
            #expect(try await client.request(.get, "/api/v1/files/\(contract)", token: housing).status == .ok, "施工许可 asks for the contract")
            #expect(try await client.request(.get, "/api/v1/files/\(map)", token: housing).status == .notFound, "not housing's material")
            #expect(try await client.request(.get, "/api/v1/files/\(map)", token: landscaping).status == .ok)
            #expect(try await client.request(.get, "/api/v1/files/\(contract)", token: landscaping).status == .notFound)
            #expect(try await client.request(.get, "/api/v1/files/\(contract)", token: try await client.login("hanxi")).status == .notFound)
            #expect(try await client.request(.get, "/api/v1/files/\(contract)", token: try await client.login("clerk")).status == .ok)
            let headers = try await client.client.execute(uri: "/api/v1/files/\(contract)", method: .get, headers: [.authorization: "Bearer \(firm)"]) { $0.headers }
            #expect(headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect(headers[.contentSecurityPolicy] == "sandbox")

            let reads = try await app.services.database.read { db in try AuditLog.records(subject: "file/\(contract)", in: db) }
            #expect(reads.map(\.actorName) == ["陈刚", "王敏"])
        }
    }

    @Test("an upload is judged by its bytes: HTML sent as PDF is refused, a PNG sent as anything is stored as a PNG, an OFD package is accepted, an inspector sends photos only")
    func uploadsAreJudgedByContent() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let html = try await client.request(.post, "/api/v1/files", token: firm, raw: Data("<html><script>alert(1)</script></html>".utf8),
                                                contentType: "application/pdf")
            #expect(html.status == .unprocessableContent)
            #expect(html.body?["error"]?["field"]?.string == "body", "\(html.text)")
            let pngBytes = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0, count: 64)
            let png = try await client.request(.post, "/api/v1/files", token: firm, raw: pngBytes, contentType: "application/octet-stream")
            #expect(png.body?["contentType"]?.string == "image/png", "\(png.text)")
            let ofdBytes = Data([0x50, 0x4B, 0x03, 0x04]) + Data(repeating: 0x20, count: 26) + Data("OFD.xml".utf8) + Data(repeating: 0x20, count: 40)
            let ofd = try await client.request(.post, "/api/v1/files", token: firm, raw: ofdBytes, contentType: "application/zip")
            #expect(ofd.body?["contentType"]?.string == "application/ofd", "\(ofd.text)")
            let zip = Data([0x50, 0x4B, 0x03, 0x04]) + Data("payload.exe".utf8)
            #expect(try await client.request(.post, "/api/v1/files", token: firm, raw: zip, contentType: "application/zip").status == .unprocessableContent,
                    "a ZIP that is no OFD")
            let inspector = try await client.login("inspector-cg-qk")
            let pdf = try await client.request(.post, "/api/v1/files", token: inspector, raw: DemoPDF.document(label: "x", title: "x"), contentType: "image/jpeg")
            #expect(pdf.status == .unprocessableContent, "\(pdf.text)")
        }
    }

    @Test("a firm's uploads stop at its quota with 413, and the refused file is not kept")
    func uploadQuota() async throws {
        let app = try await TestApp(firmQuota: 3_000)
        try await app.run { client in
            let firm = try await client.login("chongren")
            let first = DemoPDF.document(label: "first", title: String(repeating: "甲", count: 400))
            #expect(try await client.request(.post, "/api/v1/files", token: firm, raw: first, contentType: "application/pdf").status == .created)
            let second = DemoPDF.document(label: "second", title: String(repeating: "乙", count: 400))
            let refused = try await client.request(.post, "/api/v1/files", token: firm, raw: second, contentType: "application/pdf")
            #expect(refused.status == .contentTooLarge)
            #expect(refused.body?["error"]?["code"]?.string == "quota-exceeded", "\(refused.text)")
            let count = try await app.services.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM files")! }
            #expect(count == 1)
            #expect(try await client.request(.post, "/api/v1/files", token: try await client.login("hanxi"), raw: second,
                                             contentType: "application/pdf").status == .created, "another firm has its own quota")
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
