import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("分阶段施工许可: a foundation-pit stage permit ahead of the full permit, which reuses its data and supersedes it")
struct StagedPermitTests {
    static let stageForm = """
        {"contactName":"张伟","contactPhone":"13871234567","contractorUscc":"\(TestApp.contractor)","excavationDepthM":8.5,
         "stageScope":"基坑支护和土方开挖","startDate":"2026-12-01","endDate":"2027-04-30","supervisorUscc":"\(TestApp.firmB)",
         "projectManagerName":"李建国","totalAreaM2":86500.5,"contractPriceYuan":368000000}
        """

    static func submitStage(projectID: String, firm: String, expertReview: Bool, in client: TestApp.Client) async throws -> TestResponse {
        var names = ["construction-contract", "supervision-contract", "pit-support-design", "staged-construction-commitment", "funding-commitment",
                     "major-hazard-list"]
        if expertReview { names.append("pit-expert-review") }
        var materials: [String] = []
        for name in names { materials.append(#"{"material":"\#(name)","file":"\#(try await client.upload(name, token: firm))"}"#) }
        return try await client.request(.post, "/api/v1/applications", token: firm, json: """
            {"projectId":"\(projectID)","bundle":"staged-permit","items":["ZJ-JKTF","ZJ-ZLAQ"],"form":\(stageForm),
             "materials":[\(materials.joined(separator: ","))]}
            """)
    }

    @Test("refused without a contractor, or without the expert review a deep pit needs, each named")
    func refusals() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let bare = try await client.request(.post, "/api/v1/projects", token: firm, json: """
                {"code":"2405-420104-04-01-527194","name":"汉西142地块项目","district":"420104","address":"武汉市硚口区汉西一路142号",
                 "category":"房屋建筑工程","builder":{"name":"武汉崇仁置业有限公司","uscc":"\(TestApp.firmA)"}}
                """)
            let bareID = try #require(bare.body?["id"]?.string, "\(bare.text)")
            let noContractor = try await Self.submitStage(projectID: bareID, firm: firm, expertReview: true, in: client)
            #expect(noContractor.status == .unprocessableContent)
            #expect(noContractor.body?["error"]?["field"]?.string == "contractor")
            #expect(noContractor.body?["error"]?["message"]?.string?.contains("施工总承包单位") == true)

            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let noReview = try await Self.submitStage(projectID: projectID, firm: firm, expertReview: false, in: client)
            #expect(noReview.status == .unprocessableContent)
            #expect(noReview.body?["error"]?["code"]?.string == "material-missing")
            #expect(noReview.body?["error"]?["message"]?.string?.contains("pit-expert-review") == true)
        }
    }

    @Test("issued with its scope; work outside the stage can only be a violation; the full permit asks nothing twice and supersedes it")
    func stageThenFullPermit() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let stage = try await Self.submitStage(projectID: projectID, firm: firm, expertReview: true, in: client)
            let stageID = try #require(stage.body?["id"]?.string, "\(stage.text)")
            _ = try await client.request(.post, "/api/v1/applications/\(stageID)/acceptance", token: try await client.login("clerk"), json: #"{"decision":"accept"}"#)
            for (reviewer, item) in [("reviewer-housing", "ZJ-JKTF"), ("reviewer-quality-station", "ZJ-ZLAQ")] {
                _ = try await client.request(.post, "/api/v1/applications/\(stageID)/reviews", token: try await client.login(reviewer),
                                             json: #"{"item":"\#(item)","decision":"approve"}"#)
            }
            let issuer = try await client.login("issuer")
            let issued = try await client.request(.post, "/api/v1/applications/\(stageID)/issuance", token: issuer)
            let stageQR = try #require(issued.body?["certificates"]?[0]?["qr"]?.string, "\(issued.text)")
            let stageNumber = try #require(issued.body?["certificates"]?[0]?["number"]?.string)
            #expect(stageNumber.contains("-JD-"))
            let verified = try await AmendmentTests.verify(stageQR, in: client)
            #expect(verified?["certificate"]?["permits"]?[0]?["scope"]?.string == "基坑支护和土方开挖（不含桩基础施工）")
            let page = try await client.request(.get, "/v/" + stageQR.components(separatedBy: "/v/").last!)
            #expect(page.text.contains("基坑支护和土方开挖（不含桩基础施工）"))

            let quality = try await client.login("inspector-zaz-qk")
            let task = try await SupervisionLoopTests.task("stage-inspection", in: client, token: quality)
            let taskID = try #require(task["id"]?.string)
            let softened = try await client.request(.post, "/api/v1/supervision/tasks/\(taskID)/inspections", token: quality, json: """
                {"result":"rectify","findings":"已开始桩基础施工","rectifyBy":"2026-11-30","checklist":[{"id":"within-stage","answer":"no"}]}
                """)
            #expect(softened.status == .unprocessableContent)
            #expect(softened.body?["error"]?["field"]?.string == "checklist[0].answer")
            let violation = try await client.request(.post, "/api/v1/supervision/tasks/\(taskID)/inspections", token: quality, json: """
                {"result":"violation","findings":"超出阶段许可范围，已开始桩基础施工","checklist":[{"id":"within-stage","answer":"no"}]}
                """)
            #expect(violation.status == .created, "\(violation.text)")
            #expect(try await AmendmentTests.verify(stageQR, in: client)?["status"]?.string == "suspended")

            let full = try await client.request(.post, "/api/v1/applications", token: firm, json: """
                {"projectId":"\(projectID)","bundle":"comprehensive-permit","items":["ZJ-SGXK"],"form":{"structureType":"框架-剪力墙"},"materials":[]}
                """)
            #expect(full.status == .created, "\(full.text)")
            #expect(full.body?["supersedes"]?.array.compactMap(\.string) == [stageID])
            #expect(full.body?["form"]?["contractorUscc"]?.string == TestApp.contractor)
            #expect(full.body?["materials"]?.array.first { $0["material"]?.string == "construction-contract" }?["state"]?.string == "submitted")
            let fullID = try #require(full.body?["id"]?.string)
            _ = try await client.request(.post, "/api/v1/applications/\(fullID)/acceptance", token: try await client.login("clerk"), json: #"{"decision":"accept"}"#)
            _ = try await client.request(.post, "/api/v1/applications/\(fullID)/reviews", token: try await client.login("reviewer-housing"),
                                         json: #"{"item":"ZJ-SGXK","decision":"approve"}"#)
            let permit = try await client.request(.post, "/api/v1/applications/\(fullID)/issuance", token: issuer)
            let fullNumber = try #require(permit.body?["certificates"]?[0]?["number"]?.string, "\(permit.text)")
            let old = try await AmendmentTests.verify(stageQR, in: client)
            #expect(old?["status"]?.string == "superseded")
            #expect(old?["certificate"]?["supersededBy"]?.string == fullNumber)
            #expect(old?["certificate"]?["statusReason"]?.string?.contains(fullNumber) == true)
        }
    }
}
