import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("Over HTTP, a firm applies for two permits and the bureau takes it through to one certificate")
struct ApprovalJourneyTests {
    @Test("project, uploads, one application for two items, 容缺 acceptance, parallel reviews, issuance, and the firm's view")
    func fullJourney() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // Given a firm with a project and its material files
            let firm = try await client.login("chongren")
            let project = try await client.createProject(token: firm)
            #expect(project.status == .created)
            let projectID = try #require(project.body?["id"]?.string)
            var materials: [String] = []
            for material in ["construction-contract", "funding-commitment", "greenspace-location-map", "greenspace-restoration-plan"] {
                materials.append(#"{"material":"\#(material)","file":"\#(try await client.upload("\(material) 扫描件", token: firm))"}"#)
            }

            // When it applies for 施工许可 and 临时占用绿地 in one form, leaving out one deferrable material
            let submitted = try await client.request(.post, "/api/v1/applications", token: firm, json: """
                {"projectId":"\(projectID)","bundle":"comprehensive-permit","items":["ZJ-SGXK","YL-LDZY"],
                 "form":{"contactName":"张伟","contactPhone":"13871234567","contractorUscc":"\(TestApp.contractor)",
                         "contractPriceYuan":368000000,"totalAreaM2":86500.5,"structureType":"框架-剪力墙",
                         "startDate":"2026-12-01","endDate":"2028-06-30","greenspaceAreaM2":420},
                 "materials":[\(materials.joined(separator: ","))]}
                """)
            #expect(submitted.status == .created, "\(submitted.text)")
            #expect(submitted.body?["status"]?.string == "submitted")
            let id = try #require(submitted.body?["id"]?.string)

            // Reviewing before acceptance is a conflict naming the state
            let housing = try await client.login("reviewer-housing")
            let early = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: housing,
                                                 json: #"{"item":"ZJ-SGXK","decision":"approve","opinion":"同意"}"#)
            #expect(early.status == .conflict)
            #expect(early.body?["error"]?["code"]?.string == "invalid-state")
            #expect(early.body?["error"]?["message"]?.string?.contains("submitted") == true)

            // The clerk accepts once, deferring the missing material
            let clerk = try await client.login("clerk")
            let accepted = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: clerk, json: """
                {"decision":"accept","deferred":["tree-protection-plan"],"supplementDue":"2026-12-04"}
                """)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted.body?["status"]?.string == "accepted-with-deficiencies")
            #expect(accepted.body?["promisedBy"]?.string == "2026-11-30")

            // Each department reviews its own item
            let landscaping = try await client.login("reviewer-landscaping")
            for (token, item) in [(housing, "ZJ-SGXK"), (landscaping, "YL-LDZY")] {
                let review = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: token,
                                                      json: #"{"item":"\#(item)","decision":"approve","opinion":"经审查，符合法定条件"}"#)
                #expect(review.status == .ok, "\(review.text)")
            }

            // The firm supplies the deferred material; the issuer issues one certificate
            let plan = try await client.upload("树木保护方案", token: firm)
            let supplied = try await client.request(.post, "/api/v1/applications/\(id)/supplements", token: firm,
                                                    json: #"{"materials":[{"material":"tree-protection-plan","file":"\#(plan)"}]}"#)
            #expect(supplied.status == .ok, "\(supplied.text)")
            let issuer = try await client.login("issuer")
            let issued = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: issuer)
            #expect(issued.status == .ok, "\(issued.text)")
            let certificates = issued.body?["certificates"]?.array ?? []
            #expect(certificates.count == 1)
            #expect(certificates.first?["number"]?.string == "420104-2026-ZH-000001")
            #expect(certificates.first?["permits"]?.array.count == 2)

            // Then the firm sees status, promised date and a timeline naming every actor
            let view = try await client.request(.get, "/api/v1/applications/\(id)", token: firm)
            #expect(view.status == .ok)
            #expect(view.body?["status"]?.string == "issued")
            #expect(view.body?["promisedBy"]?.string == "2026-11-30")
            let timeline = view.body?["timeline"]?.array ?? []
            #expect(timeline.compactMap { $0["kind"]?.string } == [
                "application.submitted", "application.accepted", "item.reviewed", "item.reviewed", "application.decided",
                "materials.supplemented", "application.issued",
            ])
            let actors = Set(timeline.compactMap { $0["actor"]?["name"]?.string })
            #expect(actors.isSuperset(of: ["张伟", "王敏", "陈刚", "赵丽", "周平"]))
            #expect(timeline.first?["at"]?.string == "2026-11-23T10:00:00+08:00")

            // Another firm cannot see it; no token is refused
            let other = try await client.login("hanxi")
            #expect(try await client.request(.get, "/api/v1/applications/\(id)", token: other).status == .notFound)
            let anonymous = try await client.request(.get, "/api/v1/applications/\(id)")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.body?["error"]?["code"]?.string == "unauthenticated")
            #expect(try await client.request(.get, "/api/v1/applications/\(id)", token: "forged").status == .unauthorized)

            // The certificate is the holder's to read
            let number = try #require(certificates.first?["number"]?.string)
            #expect(try await client.request(.get, "/api/v1/certificates/\(number)", token: firm).status == .ok)
            #expect(try await client.request(.get, "/api/v1/certificates/\(number)", token: other).status == .notFound)
        }
    }

    @Test("an invalid credit code is refused with 422 naming the field, and nothing is stored")
    func invalidUSCC() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let response = try await client.createProject(token: firm, builderUSCC: "91420104MA4KX12340")
            #expect(response.status == .unprocessableContent)
            #expect(response.body?["error"]?["field"]?.string == "builder.uscc")
            #expect(response.body?["error"]?["message"]?.string?.contains("校验位") == true)
            let projects = try await client.request(.get, "/api/v1/projects", token: firm)
            #expect(projects.body?.array.isEmpty == true)
        }
    }

    @Test("malformed JSON is a 400 naming the field, and a wrong role is a 403")
    func malformedAndForbidden() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let wrongType = try await client.request(.post, "/api/v1/projects", token: firm, json: #"{"code":42}"#)
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.body?["error"]?["field"]?.string == "code")
            let notJSON = try await client.request(.post, "/api/v1/projects", token: firm, json: "{")
            #expect(notJSON.status == .badRequest)
            let notObject = try await client.request(.post, "/api/v1/projects", token: firm, json: "[]")
            #expect(notObject.status == .badRequest)
            #expect(notObject.body?["error"]?["field"] == nil)
            let clerk = try await client.login("clerk")
            let forbidden = try await client.createProject(token: clerk)
            #expect(forbidden.status == .forbidden)
        }
    }

    @Test("a wrong password is a 401 that does not reveal whether the user exists")
    func badLogin() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let wrong = try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"chongren","password":"nope-nope"}"#)
            let unknown = try await client.request(.post, "/api/v1/auth/login", json: #"{"username":"nobody","password":"nope-nope"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.text == unknown.text)
        }
    }

    @Test("an upload over the size limit is a 413 and leaves nothing behind")
    func oversizeUpload() async throws {
        let app = try await TestApp(uploadLimit: 1024)
        try await app.run { client in
            let firm = try await client.login("chongren")
            let response = try await client.request(.post, "/api/v1/files", token: firm, raw: Data(repeating: 0x25, count: 4096), contentType: "application/pdf")
            #expect(response.status == .contentTooLarge)
            #expect(response.body?["error"]?["code"]?.string == "file-too-large")
            let folder = app.configuration.filesDirectory
            let stored = ((try? FileManager.default.subpathsOfDirectory(atPath: folder.path)) ?? []).filter { path in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder) && !isFolder.boolValue
            }
            #expect(stored.isEmpty, "no partial upload: \(stored)")
        }
    }

    @Test("the catalog and the combined notice are public")
    func publicCatalog() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let items = try await client.request(.get, "/api/v1/catalog/items")
            #expect(items.status == .ok)
            #expect(items.body?.array.count ?? 0 >= 10)
            let item = try await client.request(.get, "/api/v1/catalog/items/ZJ-SGXK")
            #expect(item.body?["legalDays"] == .number(7))
            #expect(try await client.request(.get, "/api/v1/catalog/items/NO-SUCH").status == .notFound)
            let notice = try await client.request(.get, "/api/v1/bundles/comprehensive-permit/notice?items=ZJ-SGXK,ZJ-ZLAQ")
            let contract = notice.body?["materials"]?.array.filter { $0["id"]?.string == "construction-contract" } ?? []
            #expect(contract.count == 1)
            #expect(contract.first?["requiredBy"]?.array.count == 2)
            #expect(try await client.request(.get, "/healthz").status == .ok)
        }
    }
}
