import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("一并审批: when one item is denied the firm chooses — the certificate without it, or correct and resubmit that item")
struct DeniedItemTests {
    /// An accepted 施工许可 + 临时占用绿地 application, housing approving and landscaping denying.
    static func partlyApproved(in client: TestApp.Client) async throws -> (id: String, firm: String) {
        let firm = try await client.login("chongren")
        let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
        let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
        _ = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-housing"),
                                     json: #"{"item":"ZJ-SGXK","decision":"approve"}"#)
        let denied = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-landscaping"),
                                              json: #"{"item":"YL-LDZY","decision":"deny","opinion":"树木保护方案未标明保留树木的位置"}"#)
        #expect(denied.body?["status"]?.string == "partly-approved", "\(denied.text)")
        return (id, firm)
    }

    @Test("taking the certificate without the denied item lists only the approved one")
    func withoutTheDeniedItem() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (id, _) = try await Self.partlyApproved(in: client)
            let issued = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: try await client.login("issuer"))
            #expect(issued.status == .ok, "\(issued.text)")
            #expect(issued.body?["certificates"]?[0]?["permits"]?.array.compactMap { $0["item"]?.string } == ["ZJ-SGXK"])
        }
    }

    @Test("resubmitting the corrected item sends only it back to its department; the approved item stays approved")
    func correctAndResubmit() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (id, firm) = try await Self.partlyApproved(in: client)
            let plan = try await client.upload("树木保护方案（修订，标明12株保留树木）", token: firm)
            let resubmitted = try await client.request(.post, "/api/v1/applications/\(id)/resubmissions", token: firm, json: """
                {"item":"YL-LDZY","materials":[{"material":"tree-protection-plan","file":"\(plan)"}],"note":"已标明保留树木位置及围护措施"}
                """)
            #expect(resubmitted.status == .ok, "\(resubmitted.text)")
            #expect(resubmitted.body?["status"]?.string == "under-review")
            let items = resubmitted.body?["items"]?.array ?? []
            #expect(items.first { $0["code"]?.string == "ZJ-SGXK" }?["status"]?.string == "approved")
            #expect(items.first { $0["code"]?.string == "YL-LDZY" }?["status"]?.string == "pending")
            #expect(resubmitted.body?["timeline"]?.array.contains { $0["kind"]?.string == "item.resubmitted" && $0["detail"]?["note"] != nil } == true)

            #expect(try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-housing"),
                                             json: #"{"item":"ZJ-SGXK","decision":"approve"}"#).status == .conflict)
            let approved = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-landscaping"),
                                                    json: #"{"item":"YL-LDZY","decision":"approve","opinion":"修订后符合要求"}"#)
            #expect(approved.body?["status"]?.string == "approved")
            let issued = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: try await client.login("issuer"))
            #expect(issued.body?["certificates"]?[0]?["permits"]?.array.compactMap { $0["item"]?.string } == ["ZJ-SGXK", "YL-LDZY"])
        }
    }

    @Test("only a denied item of the firm's own application can be resubmitted")
    func resubmissionRules() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (id, firm) = try await Self.partlyApproved(in: client)
            let approvedItem = try await client.request(.post, "/api/v1/applications/\(id)/resubmissions", token: firm, json: #"{"item":"ZJ-SGXK"}"#)
            #expect(approvedItem.status == .conflict)
            #expect(approvedItem.body?["error"]?["code"]?.string == "item-not-denied")
            let unknown = try await client.request(.post, "/api/v1/applications/\(id)/resubmissions", token: firm, json: #"{"item":"CG-DLZY"}"#)
            #expect(unknown.body?["error"]?["field"]?.string == "item")
            #expect(try await client.request(.post, "/api/v1/applications/\(id)/resubmissions", token: try await client.login("hanxi"),
                                             json: #"{"item":"YL-LDZY"}"#).status == .notFound)
            #expect(try await client.request(.post, "/api/v1/applications/\(id)/resubmissions", token: try await client.login("clerk"),
                                             json: #"{"item":"YL-LDZY"}"#).status == .forbidden)
        }
    }
}
