import Approval
import Foundation
import GRDB
import Hummingbird
import Kernel
import Testing
import WebApp

/// 自动用印 and 失信者处处受限: what is decided without a review is issued without an issuer, and a
/// firm below the credit gate loses the grants made on trust.
@Suite("A permit decided on a commitment is issued under the electronic seal with no issuer; a firm of poor credit may not commit")
struct AutomaticIssuanceTests {
    static func drainage(_ client: TestApp.Client, firm: String, projectID: String) async throws -> TestResponse {
        var materials: [String] = []
        for material in ["drainage-network-drawing", "pretreatment-facility", "drainage-quality-commitment"] {
            materials.append(#"{"material":"\#(material)","file":"\#(try await client.upload(material, token: firm))"}"#)
        }
        return try await client.request(.post, "/api/v1/applications", token: firm, json: """
            {"projectId":"\(projectID)","items":["SW-PSXK"],"commitment":true,
             "form":{"contactName":"张伟","contactPhone":"13871234567","wastewaterType":"基坑降水","dailyDischargeM3":800,
                     "dischargeOutlet":"崇仁路DN800污水管W-12检查井","startDate":"2026-12-07","endDate":"2027-06-30"},
             "materials":[\(materials.joined(separator: ","))]}
            """)
    }

    @Test("the clerk accepts a 告知承诺 application and the certificate is issued in the same step, by the seal, not a person")
    func commitmentIssuedWithoutIssuer() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let submitted = try await Self.drainage(client, firm: firm, projectID: projectID)
            let id = try #require(submitted.body?["id"]?.string, "\(submitted.text)")
            let accepted = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: try await client.login("clerk"),
                                                    json: #"{"decision":"accept"}"#)
            #expect(accepted.body?["status"]?.string == "issued", "\(accepted.text)")
            #expect(accepted.body?["items"]?[0]?["basis"]?.string == "commitment")
            #expect(accepted.body?["certificates"]?.array.count == 1)
            let issuedEntry = try #require(accepted.body?["timeline"]?.array.first { $0["kind"]?.string == "application.issued" })
            #expect(issuedEntry["actor"]?["name"]?.string == "智能审批")
            let reissue = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: try await client.login("issuer"))
            #expect(reissue.status == .conflict, "already issued: \(reissue.text)")
        }
    }

    @Test("a firm whose credit fell below B is refused 告知承诺 at submission, naming the field and its level")
    func poorCreditLosesCommitment() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let now = app.clock.now
            try await app.services.database.write { db in
                for index in 0..<2 {
                    try db.execute(sql: """
                        INSERT INTO credit_records (firm, kind, at, on_day, subject, source, note) VALUES (?, 'violation', ?, '2026-11-23', 'certificate/x', ?, '违规')
                        """, arguments: [TestApp.firmA, now, "inspection/test-\(index)"])
                }
            }
            let refused = try await Self.drainage(client, firm: firm, projectID: projectID)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body?["error"]?["code"]?.string == "credit-restricted")
            #expect(refused.body?["error"]?["field"]?.string == "commitment")
            #expect(refused.body?["error"]?["message"]?.string == "本单位信用等级为 C（重点关注），低于 B 级，不适用告知承诺制")
        }
    }

    /// Two violations in the window take the firm from A to C, below the gates' B.
    static func lowerCredit(of firm: String, in app: TestApp) async throws {
        let now = app.clock.now
        try await app.services.database.write { db in
            for index in 0..<2 {
                try db.execute(sql: """
                    INSERT INTO credit_records (firm, kind, at, on_day, subject, source, note) VALUES (?, 'violation', ?, '2026-11-23', 'certificate/x', ?, '违规')
                    """, arguments: [firm, now, "inspection/test-\(index)"])
            }
        }
    }

    @Test("a firm that fell below B after submitting is decided by a reviewer, not on its commitment, and the timeline says why")
    func commitmentWithdrawnAtAcceptance() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try #require(try await Self.drainage(client, firm: firm, projectID: projectID).body?["id"]?.string)
            try await Self.lowerCredit(of: TestApp.firmA, in: app)
            let accepted = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: try await client.login("clerk"),
                                                    json: #"{"decision":"accept"}"#)
            #expect(accepted.body?["status"]?.string == "accepted", "\(accepted.text)")
            #expect(accepted.body?["items"]?[0]?["status"]?.string == "pending")
            let withdrawn = try #require(accepted.body?["timeline"]?.array.first { $0["kind"]?.string == "application.commitment-withdrawn" })
            #expect(withdrawn["detail"]?["reason"]?.string == "本单位信用等级为 C（重点关注），低于 B 级，不适用告知承诺制")
        }
    }

    @Test("超时默认 approves an overdue item of a trusted firm, and leaves a firm below the gate to a person")
    func timeoutDefaultNeedsCredit() async throws {
        for trusted in [true, false] {
            let app = try await TestApp()
            try await app.run { client in
                let issued = try await client.issuedApplication()
                let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                    .body?["project"]?["id"]?.string)
                if !trusted { try await Self.lowerCredit(of: TestApp.firmA, in: app) }
                let first = try await client.request(.post, "/api/v1/night-work/applications", token: issued.firm,
                                                     json: NightWorkTests.request(projectID: projectID, first: "2026-12-10", last: "2026-12-11",
                                                                                  materials: try await NightWorkTests.evidence(client, firm: issued.firm)))
                let id = try #require(first.body?["applicationId"]?.string, "\(first.text)")
                #expect(first.body?["decision"]?.string == "review")
                app.clock.advance(days: 7)
                #expect(try await app.services.approval.applyTimeoutDefaults() == (trusted ? 1 : 0))
                let after = try await client.request(.get, "/api/v1/applications/\(id)", token: try await client.login("chongren"))
                #expect(after.body?["items"]?[0]?["status"]?.string == (trusted ? "approved" : "pending"), "trusted \(trusted): \(after.text)")
            }
        }
    }
}
