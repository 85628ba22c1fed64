import Foundation
import GRDB
import Hummingbird
import Kernel
import Testing
import WebApp

@Suite("增项: adding a permit to an issued bundle certificate issues a new version that supersedes the old")
struct AmendmentTests {
    static func verify(_ qr: String, in client: TestApp.Client) async throws -> JSONValue? {
        try await client.request(.get, "/v/" + qr.components(separatedBy: "/v/").last!, accept: "application/json").body
    }

    /// The firm's application adding 占用城市道路许可 to `original`; contact details come from the original.
    static func addRoadOccupation(to original: String, items: String = #"["CG-DLZY"]"#, projectID: String, firm: String,
                                  in client: TestApp.Client) async throws -> TestResponse {
        var materials: [String] = []
        for material in ["occupation-location-map", "traffic-organisation-plan", "site-plan"] {
            materials.append(#"{"material":"\#(material)","file":"\#(try await client.upload(material, token: firm))"}"#)
        }
        return try await client.request(.post, "/api/v1/applications", token: firm, json: """
            {"projectId":"\(projectID)","bundle":"comprehensive-permit","amends":"\(original)","items":\(items),
             "form":{"roadName":"崇仁路（解放大道至京汉大道段）","occupationAreaM2":180,"occupationPurpose":"施工围挡",
                     "startDate":"2026-12-01","endDate":"2027-03-31"},
             "materials":[\(materials.joined(separator: ","))]}
            """)
    }

    @Test("the new version lists every permit under a new number, the old QR says superseded and names it, and the queues follow")
    func newVersionSupersedes() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let oldNumber = try #require(issued.certificate["number"]?.string)
            let quality = try await client.login("inspector-zaz-qk")
            let first = try #require(try await SupervisionLoopTests.task("first-inspection", in: client, token: quality)["id"]?.string)
            #expect(try await client.request(.post, "/api/v1/supervision/tasks/\(first)/inspections", token: quality,
                                             json: #"{"result":"pass"}"#).status == .created)
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                .body?["project"]?["id"]?.string)

            let submitted = try await Self.addRoadOccupation(to: issued.applicationID, projectID: projectID, firm: issued.firm, in: client)
            #expect(submitted.status == .created, "\(submitted.text)")
            #expect(submitted.body?["amends"]?.string == issued.applicationID)
            #expect(submitted.body?["form"]?["contactPhone"]?.string == "13871234567")
            let id = try #require(submitted.body?["id"]?.string)
            _ = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: try await client.login("clerk"), json: #"{"decision":"accept"}"#)
            _ = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-city-management"),
                                         json: #"{"item":"CG-DLZY","decision":"approve","opinion":"同意"}"#)
            let reissued = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: issued.issuer)
            #expect(reissued.status == .ok, "\(reissued.text)")
            let newQR = try #require(reissued.body?["certificates"]?[0]?["qr"]?.string)

            let old = try await Self.verify(try #require(issued.certificate["qr"]?.string), in: client)
            #expect(old?["valid"] == .bool(false))
            #expect(old?["status"]?.string == "superseded")
            let newNumber = try #require(old?["certificate"]?["supersededBy"]?.string)
            #expect(newNumber != oldNumber && newNumber.hasSuffix("-ZH-000002"))
            #expect(old?["certificate"]?["statusReason"]?.string?.contains(newNumber) == true)
            let current = try await Self.verify(newQR, in: client)
            #expect(current?["status"]?.string == "valid")
            #expect(current?["certificate"]?["version"]?.number == 2)
            #expect(current?["certificate"]?["supersedes"]?.string == oldNumber)
            #expect(current?["certificate"]?["permits"]?.array.compactMap { $0["item"]?.string } == ["ZJ-SGXK", "YL-LDZY", "CG-DLZY"])
            // 一证多号: each permit keeps its own number across versions; one QR shows each one's status.
            let oldNumbers = old?["certificate"]?["permits"]?.array.compactMap { $0["number"]?.string } ?? []
            let newNumbers = current?["certificate"]?["permits"]?.array.compactMap { $0["number"]?.string } ?? []
            #expect(oldNumbers.count == 2 && Array(newNumbers.prefix(2)) == oldNumbers)
            #expect(newNumbers.count == 3 && Set(newNumbers).count == 3 && newNumbers[0].contains("-SG-"))
            #expect(current?["certificate"]?["permits"]?.array.allSatisfy { $0["status"]?.string == "valid" } == true)
            #expect(old?["certificate"]?["permits"]?.array.allSatisfy { $0["status"]?.string == "superseded" } == true)
            let page = try await client.request(.get, "/v/" + (try #require(issued.certificate["qr"]?.string)).components(separatedBy: "/v/").last!)
            #expect(page.text.contains("已被新版本取代") && page.text.contains(newNumber))

            let landscaping = try await client.request(.get, "/api/v1/supervision/tasks", token: try await client.login("inspector-yl-qk"))
            #expect(landscaping.body?.array.compactMap { $0["certificateNumber"]?.string } == [newNumber, newNumber])
            let cityManagement = try await client.request(.get, "/api/v1/supervision/tasks", token: try await client.login("inspector-cg-qk"))
            #expect(cityManagement.body?.array.compactMap { $0["kind"]?.string } == ["occupation-check"])
            #expect(cityManagement.body?[0]?["applicationID"]?.string == id)
            let closed = try await client.request(.get, "/api/v1/supervision/tasks?status=closed", token: quality)
            #expect(closed.body?[0]?["certificateNumber"]?.string == oldNumber)
            #expect(try await client.request(.get, "/api/v1/supervision/tasks", token: quality).body?.array.isEmpty == true)
        }
    }

    @Test("an added permit already held, a choice the menu's rules refuse with what is held, another firm's or an unissued original are named")
    func rules() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                .body?["project"]?["id"]?.string)
            let again = try await Self.addRoadOccupation(to: issued.applicationID, items: #"["YL-LDZY"]"#, projectID: projectID, firm: issued.firm, in: client)
            #expect(again.status == .unprocessableContent)
            #expect(again.body?["error"]?["code"]?.string == "item-already-permitted")
            let digging = try await Self.addRoadOccupation(to: issued.applicationID, items: #"["CG-DLWJ"]"#, projectID: projectID, firm: issued.firm, in: client)
            #expect(digging.body?["error"]?["code"]?.string == "bundle-item-requires")

            let stranger = try await Self.addRoadOccupation(to: issued.applicationID, projectID: projectID, firm: try await client.login("hanxi"), in: client)
            #expect(stranger.status == .unprocessableContent)
            #expect(stranger.body?["error"]?["field"]?.string == "projectId")

            let pending = try await Self.addRoadOccupation(to: issued.applicationID, projectID: projectID, firm: issued.firm, in: client)
            let pendingID = try #require(pending.body?["id"]?.string, "\(pending.text)")
            let twice = try await Self.addRoadOccupation(to: pendingID, projectID: projectID, firm: issued.firm, in: client)
            #expect(twice.status == .unprocessableContent)
            #expect(twice.body?["error"]?["code"]?.string == "item-pending")
            #expect(twice.body?["error"]?["message"]?.string?.contains(pendingID) == true)

            let unissued = try await client.approvedApplication(projectID: projectID, firm: issued.firm)
            let early = try await Self.addRoadOccupation(to: unissued, projectID: projectID, firm: issued.firm, in: client)
            #expect(early.status == .conflict, "\(early.text)")
        }
    }

    @Test("the same 增项 sent several times at once is taken once; the others are refused as pending, whatever their timing")
    func concurrentAmendmentsAreTakenOnce() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                .body?["project"]?["id"]?.string)
            let statuses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await Self.addRoadOccupation(to: issued.applicationID, projectID: projectID, firm: issued.firm, in: client) }
                }
                return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.status == .created }.count == 1, "\(statuses.map(\.text))")
            #expect(statuses.filter { $0.body?["error"]?["code"]?.string == "item-pending" }.count == 3, "\(statuses.map(\.text))")
            let lineage = try await app.services.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM applications WHERE json_extract(document, '$.amends') = ?", arguments: [issued.applicationID])!
            }
            #expect(lineage == 1)
        }
    }

    @Test("a suspended certificate gains no permits: the issuance is refused whole, and succeeds once it is reinstated")
    func suspendedCertificate() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let issued = try await client.issuedApplication()
            let number = try #require(issued.certificate["number"]?.string)
            let projectID = try #require(try await client.request(.get, "/api/v1/applications/\(issued.applicationID)", token: issued.firm)
                .body?["project"]?["id"]?.string)
            let id = try #require(try await Self.addRoadOccupation(to: issued.applicationID, projectID: projectID, firm: issued.firm, in: client)
                .body?["id"]?.string)
            _ = try await client.request(.post, "/api/v1/applications/\(id)/acceptance", token: try await client.login("clerk"), json: #"{"decision":"accept"}"#)
            _ = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-city-management"),
                                         json: #"{"item":"CG-DLZY","decision":"approve"}"#)
            _ = try await client.request(.post, "/api/v1/certificates/\(number)/suspension", token: issued.issuer, json: #"{"reason":"扬尘整治期间暂停"}"#)
            let refused = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: issued.issuer)
            #expect(refused.status == .conflict, "\(refused.text)")
            #expect(try await client.request(.get, "/api/v1/applications/\(id)", token: issued.firm).body?["status"]?.string == "approved")
            _ = try await client.request(.post, "/api/v1/certificates/\(number)/reinstatement", token: issued.issuer, json: #"{"reason":"整改完成"}"#)
            let granted = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: issued.issuer)
            #expect(granted.status == .ok, "\(granted.text)")
            #expect(granted.body?["certificates"]?[0]?["number"]?.string?.hasSuffix("-ZH-000002") == true)
        }
    }
}
