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
}
