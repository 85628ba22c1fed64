import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("一证制 end to end: menu, one notice, one form, one acceptance, one survey, parallel reviews, one certificate, one QR")
struct ComprehensivePermitJourneyTests {
    static let items = ["ZJ-SGXK", "ZJ-ZLAQ", "YL-LDZY", "CG-DLZY"]

    @Test("four permits on one certificate: shared material listed once, denied item corrected, every sub-permit shown by one QR, an added permit supersedes it")
    func journey() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // 一次告知: the contract is needed by two items and listed once.
            let notice = try await client.request(.get, "/api/v1/bundles/comprehensive-permit/notice?items=\(Self.items.joined(separator: ","))")
            let contract = notice.body?["materials"]?.array.filter { $0["id"]?.string == "construction-contract" } ?? []
            #expect(contract.count == 1)
            #expect(contract.first?["requiredBy"]?.array.compactMap(\.string).sorted() == ["ZJ-SGXK", "ZJ-ZLAQ"])
            #expect(notice.body?["fields"]?.array.filter { $0["key"]?.string == "contractorUscc" }.count == 1)
            #expect(notice.body?["survey"]?.array.compactMap(\.string) == ["housing", "landscaping"])

            // 一表申请: one form, each shared field once.
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            var materials: [String] = []
            for material in ["construction-contract", "funding-commitment", "supervision-contract", "major-hazard-list", "greenspace-location-map",
                             "greenspace-restoration-plan", "tree-protection-plan", "occupation-location-map", "traffic-organisation-plan", "site-plan"] {
                materials.append(#"{"material":"\#(material)","file":"\#(try await client.upload(material, token: firm))"}"#)
            }
            let submitted = try await client.request(.post, "/api/v1/applications", token: firm, json: """
                {"projectId":"\(projectID)","bundle":"comprehensive-permit","items":["ZJ-SGXK","ZJ-ZLAQ","YL-LDZY","CG-DLZY"],
                 "form":{"contactName":"张伟","contactPhone":"13871234567","contractorUscc":"\(TestApp.contractor)","supervisorUscc":"\(TestApp.firmB)",
                         "projectManagerName":"李建国","contractPriceYuan":368000000,"totalAreaM2":86500.5,"structureType":"框架-剪力墙",
                         "startDate":"2026-12-01","endDate":"2028-06-30","greenspaceAreaM2":420,
                         "roadName":"崇仁路","occupationAreaM2":180,"occupationPurpose":"施工围挡"},
                 "materials":[\(materials.joined(separator: ","))]}
                """)
            let id = try #require(submitted.body?["id"]?.string, "\(submitted.text)")
            #expect(submitted.body?["helper"]?["name"] != nil)

            // 一窗受理, 联合踏勘 with the two departments that need it.
            let clerk = try await client.login("clerk")
            #expect(try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: clerk, json: #"{"decision":"accept"}"#).status == .ok)
            #expect(try await client.request(.post, "/api/v1/applications/\(id)/survey", token: clerk, json: #"{"date":"2026-11-23"}"#).status == .ok)
            for reviewer in ["reviewer-housing", "reviewer-landscaping"] {
                let recorded = try await client.request(.post, "/api/v1/applications/\(id)/survey-findings", token: try await client.login(reviewer),
                                                        json: #"{"findings":"现场符合条件","meets":true}"#)
                #expect(recorded.status == .ok, "\(reviewer): \(recorded.text)")
            }

            // 一并审批: four departments in parallel, one denial, corrected and approved.
            for (reviewer, item, decision) in [("reviewer-landscaping", "YL-LDZY", "deny"), ("reviewer-city-management", "CG-DLZY", "approve"),
                                               ("reviewer-quality-station", "ZJ-ZLAQ", "approve"), ("reviewer-housing", "ZJ-SGXK", "approve")] {
                let reviewed = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login(reviewer),
                                                        json: #"{"item":"\#(item)","decision":"\#(decision)","opinion":"审查意见"}"#)
                #expect(reviewed.status == .ok, "\(item): \(reviewed.text)")
            }
            let plan = try await client.upload("树木保护方案（修订）", token: firm)
            #expect(try await client.request(.post, "/api/v1/applications/\(id)/resubmissions", token: firm,
                                             json: #"{"item":"YL-LDZY","materials":[{"material":"tree-protection-plan","file":"\#(plan)"}]}"#).status == .ok)
            let approved = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-landscaping"),
                                                    json: #"{"item":"YL-LDZY","decision":"approve"}"#)
            #expect(approved.body?["status"]?.string == "approved")

            // 一证开工, 一码查询: one certificate, four sub-permits, one QR showing each.
            let issued = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: try await client.login("issuer"))
            #expect(issued.body?["certificates"]?.array.count == 1)
            let qr = try #require(issued.body?["certificates"]?[0]?["qr"]?.string)
            let scanned = try await AmendmentTests.verify(qr, in: client)
            let permits = scanned?["certificate"]?["permits"]?.array ?? []
            #expect(Set(permits.compactMap { $0["item"]?.string }) == Set(Self.items))
            #expect(permits.count == 4 && permits.allSatisfy { $0["number"]?.string != nil && $0["status"]?.string == "valid" })
            // Each included permit's own department has its queue's work pointing at the one certificate.
            let number = try #require(issued.body?["certificates"]?[0]?["number"]?.string)
            for inspector in ["inspector-zaz-qk", "inspector-yl-qk", "inspector-cg-qk"] {
                let queue = try await client.request(.get, "/api/v1/supervision/tasks", token: try await client.login(inspector))
                #expect(queue.body?.array.isEmpty == false && queue.body?.array.allSatisfy { $0["certificateNumber"]?.string == number } == true, "\(inspector)")
            }

            // Adding a sub-permit later issues a new version; the old QR says so.
            var extra: [String] = []
            for material in ["excavation-plan", "excavation-location-map", "road-restoration-commitment", "pipeline-owner-opinion"] {
                extra.append(#"{"material":"\#(material)","file":"\#(try await client.upload(material, token: firm))"}"#)
            }
            let added = try await client.request(.post, "/api/v1/applications", token: firm, json: """
                {"projectId":"\(projectID)","bundle":"comprehensive-permit","amends":"\(id)","items":["CG-DLWJ"],
                 "form":{"excavationAreaM2":60,"excavationPurpose":"管线接驳"},"materials":[\(extra.joined(separator: ","))]}
                """)
            let addedID = try #require(added.body?["id"]?.string, "\(added.text)")
            _ = try await client.request(.post, "/api/v1/applications/\(addedID)/acceptance", token: clerk, json: #"{"decision":"accept"}"#)
            _ = try await client.request(.post, "/api/v1/applications/\(addedID)/reviews", token: try await client.login("reviewer-city-management"),
                                         json: #"{"item":"CG-DLWJ","decision":"approve"}"#)
            let reissued = try await client.request(.post, "/api/v1/applications/\(addedID)/issuance", token: try await client.login("issuer"))
            #expect(reissued.status == .ok, "\(reissued.text)")
            let old = try await AmendmentTests.verify(qr, in: client)
            #expect(old?["status"]?.string == "superseded")
            let next = try await AmendmentTests.verify(try #require(reissued.body?["certificates"]?[0]?["qr"]?.string), in: client)
            #expect(next?["certificate"]?["permits"]?.array.count == 5)
        }
    }
}
