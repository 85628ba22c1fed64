import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("一表申请: what a firm already entered on a project fills its next form")
struct FormDefaultsTests {
    @Test("the merged form for a new choice of items comes filled with the firm's earlier answers on the project, each field once")
    func knownValuesFillTheForm() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                .body?["project"]?["id"]?.string)
            let form = try await client.request(.get, "/api/v1/projects/\(projectID)/form?items=CG-DLZY&bundle=comprehensive-permit", token: issued.firm)
            #expect(form.status == .ok, "\(form.text)")
            let fields = form.body?.array ?? []
            #expect(fields.first { $0["key"]?.string == "contactPhone" }?["value"]?.string == "13871234567")
            #expect(fields.first { $0["key"]?.string == "contractorUscc" }?["value"]?.string == TestApp.contractor)
            #expect(fields.first { $0["key"]?.string == "roadName" }?["value"] == nil)
            #expect(fields.filter { $0["key"]?.string == "contactName" }.count == 1)

            #expect(try await client.request(.get, "/api/v1/projects/\(projectID)/form?items=CG-DLZY", token: try await client.login("hanxi")).status == .notFound)
            let badMenu = try await client.request(.get, "/api/v1/projects/\(projectID)/form?items=CG-DLWJ&bundle=comprehensive-permit", token: issued.firm)
            #expect(badMenu.body?["error"]?["code"]?.string == "bundle-item-requires")
        }
    }

    @Test("a field's newest answer on the project wins, a number stays a number, and a withdrawn application's answers are not offered")
    func newestLiveAnswerWins() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: three applications on one project a minute apart, the last withdrawn
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            func submit(phone: String, area: Double) async throws -> String {
                app.clock.advance(minutes: 1)
                var materials: [String] = []
                for material in ["construction-contract", "funding-commitment"] {
                    materials.append(#"{"material":"\#(material)","file":"\#(try await client.upload(material, token: firm))"}"#)
                }
                let submitted = try await client.request(.post, "/api/v1/applications", token: firm, json: """
                    {"projectId":"\(projectID)","bundle":"comprehensive-permit","items":["ZJ-SGXK"],
                     "form":{"contactName":"张伟","contactPhone":"\(phone)","contractorUscc":"\(TestApp.contractor)","contractPriceYuan":368000000,
                             "totalAreaM2":\(area),"structureType":"框架-剪力墙","startDate":"2026-12-01","endDate":"2028-06-30"},
                     "materials":[\(materials.joined(separator: ","))]}
                    """)
                return try #require(submitted.body?["id"]?.string, "\(submitted.text)")
            }
            _ = try await submit(phone: "13871234567", area: 86500.5)
            _ = try await submit(phone: "13900000001", area: 90000.25)
            let withdrawn = try await submit(phone: "13900000002", area: 1)
            #expect(try await client.request(.post, "/api/v1/applications/\(withdrawn)/withdrawal", token: firm).status == .ok)
            // MUT
            let form = try await client.request(.get, "/api/v1/projects/\(projectID)/form?items=ZJ-SGXK&bundle=comprehensive-permit", token: firm)
            // validate
            let fields = form.body?.array ?? []
            #expect(fields.first { $0["key"]?.string == "contactPhone" }?["value"]?.string == "13900000001", "\(form.text)")
            #expect(fields.first { $0["key"]?.string == "totalAreaM2" }?["value"]?.number == 90000.25)
            #expect(fields.first { $0["key"]?.string == "structureType" }?["value"]?.string == "框架-剪力墙")
        }
    }
}
