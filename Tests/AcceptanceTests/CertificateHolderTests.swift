import Foundation
import Hummingbird
import Kernel
import Testing
import WebApp

/// Issue 11 §1: a signed certificate pairs a firm's code only with that firm's registered name,
/// and prints only text that reads as it was signed.
@Suite("The holder a certificate names: registered firms, parties of the project, printable text")
struct CertificateHolderTests {
    static let code = "2401-420104-04-01-318562"

    static func project(builder: String, builderName: String? = nil, contractor: String? = nil, name: String = "崇仁路023地块项目") -> String {
        let builderParty = builderName.map { #"{"name":"\#($0)","uscc":"\#(builder)"}"# } ?? #"{"uscc":"\#(builder)"}"#
        let contractorParty = contractor.map { #","contractor":{"name":"中建三局第一建设工程有限责任公司","uscc":"\#($0)"}"# } ?? ""
        return #"""
            {"code":"\#(code)","name":"\#(name)","district":"420104","address":"武汉市硚口区崇仁路与解放大道交汇处西北侧",
             "category":"房屋建筑工程","builder":\#(builderParty)\#(contractorParty)}
            """#
    }

    @Test("a firm registers only a project it builds or contracts, and nothing is stored when it tries another's")
    func registeringFirmMustBeAParty() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let hanxi = try await client.login("hanxi")
            let squat = try await client.request(.post, "/api/v1/projects", token: hanxi,
                                                 json: Self.project(builder: TestApp.firmA, contractor: TestApp.contractor))
            #expect(squat.status == .unprocessableContent)
            #expect(squat.body?["error"]?["field"]?.string == "builder.uscc", "\(squat.text)")
            #expect(try await client.request(.get, "/api/v1/projects", token: hanxi).body?.array.isEmpty == true)
            let own = try await client.request(.post, "/api/v1/projects", token: try await client.login("chongren"),
                                               json: Self.project(builder: TestApp.firmA, contractor: TestApp.contractor))
            #expect(own.status == .created, "the code was not taken: \(own.text)")
        }
    }

    @Test("a party is named by its registered name: another name beside the code is refused, an omitted one filled in and signed")
    func partiesCarryRegisteredNames() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let registered = try await client.request(.get, "/api/v1/firms/\(TestApp.firmA)", token: firm)
            let registeredName = try #require(registered.body?["name"]?.string, "\(registered.text)")

            let misnamed = try await client.request(.post, "/api/v1/projects", token: firm,
                                                    json: Self.project(builder: TestApp.firmA, builderName: "武汉某某集团有限公司"))
            #expect(misnamed.status == .unprocessableContent)
            #expect(misnamed.body?["error"]?["field"]?.string == "builder.name", "\(misnamed.text)")
            #expect(misnamed.body?["error"]?["message"]?.string?.contains(registeredName) == true)

            let named = try await client.request(.post, "/api/v1/projects", token: firm, json: Self.project(builder: TestApp.firmA, contractor: TestApp.contractor))
            #expect(named.body?["builder"]?["name"]?.string == registeredName, "\(named.text)")
            let projectID = try #require(named.body?["id"]?.string)
            let id = try await client.approvedApplication(projectID: projectID, firm: firm)
            let issued = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: try await client.login("issuer"))
            let qr = try #require(issued.body?["certificates"]?[0]?["qr"]?.string, "\(issued.text)")
            let verified = try await client.request(.get, "/v/" + qr.components(separatedBy: "/v/")[1], accept: "application/json")
            #expect(verified.body?["certificate"]?["holderName"]?.string == registeredName, "\(verified.text)")
            #expect(verified.body?["certificate"]?["holderUSCC"]?.string == TestApp.firmA)
        }
    }

    @Test("text holding a direction override, a zero-width or a control character is refused with the field named, wherever it would print")
    func unprintableTextIsRefused() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            // The name as a JSON escape and as the raw character: both are the same string once decoded.
            for name in [#"崇仁路\u202E目项块地"#, "崇仁路\u{200B}023地块项目", "崇仁路\u{2067}023\u{2069}地块项目"] {
                let refused = try await client.request(.post, "/api/v1/projects", token: firm, json: Self.project(builder: TestApp.firmA, name: name))
                #expect(refused.status == .unprocessableContent, "\(name.unicodeScalars.map(\.value)): \(refused.text)")
                #expect(refused.body?["error"]?["field"]?.string == "name", "\(refused.text)")
            }
            let newline = try await client.request(.post, "/api/v1/projects", token: firm, json: Self.project(builder: TestApp.firmA, name: #"崇仁路\n023地块项目"#))
            #expect(newline.body?["error"]?["field"]?.string == "name", "a name prints on one line: \(newline.text)")
            #expect(try await client.request(.get, "/api/v1/projects", token: firm).body?.array.isEmpty == true, "nothing stored")

            let admin = try await client.login("admin")
            let account = try await client.request(.post, "/api/v1/accounts", token: admin, json: #"""
                {"username":"spoof","password":"Long-enough-2026","role":"clerk","name":"王\u202E敏"}
                """#)
            #expect(account.status == .unprocessableContent)
            #expect(account.body?["error"]?["field"]?.string == "name", "\(account.text)")
            let firmName = try await client.request(.post, "/api/v1/firms", token: admin, json: #"""
                {"uscc":"\#(TestApp.contractor)","name":"中建三局\u200D第一建设工程有限责任公司"}
                """#)
            #expect(firmName.body?["error"]?["field"]?.string == "name", "\(firmName.text)")

            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let opinion = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-housing"),
                                                   json: #"{"item":"ZJ-SGXK","decision":"deny","opinion":"资料不全\u2066，请补正"}"#)
            #expect(opinion.status == .unprocessableContent)
            #expect(opinion.body?["error"]?["field"]?.string == "opinion", "\(opinion.text)")
            let details = try await client.request(.get, "/api/v1/applications/\(id)", token: firm)
            #expect(details.body?["items"]?.array.allSatisfy { $0["status"]?.string != "denied" } == true, "nothing decided: \(details.text)")
        }
    }

    @Test("a squatted project code: its builder contests it, the bureau reassigns it with audit, and the squatter's application is not issued in its name")
    func squattedCodeIsContestedAndReassigned() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let hanxi = try await client.login("hanxi")
            let squatted = try await client.request(.post, "/api/v1/projects", token: hanxi,
                                                    json: Self.project(builder: TestApp.firmB, contractor: TestApp.contractor))
            let projectID = try #require(squatted.body?["id"]?.string, "\(squatted.text)")
            let pending = try await client.approvedApplication(projectID: projectID, firm: hanxi)

            let chongren = try await client.login("chongren")
            let taken = try await client.createProject(token: chongren)
            #expect(taken.status == .conflict)
            #expect(taken.body?["error"]?["message"]?.string?.contains("异议") == true, "\(taken.text)")
            #expect(try await client.request(.post, "/api/v1/projects/contests", token: hanxi,
                                             json: #"{"code":"\#(Self.code)","reason":"本单位即建设单位"}"#).status == .conflict)
            let contest = try await client.request(.post, "/api/v1/projects/contests", token: chongren,
                                                   json: #"{"code":"\#(Self.code)","reason":"本单位为该项目建设单位，有立项批复为证"}"#)
            #expect(contest.status == .created, "\(contest.text)")
            #expect(try await client.request(.post, "/api/v1/projects/contests", token: chongren,
                                             json: #"{"code":"\#(Self.code)","reason":"再次提出"}"#).status == .conflict, "one open contest per firm")

            let admin = try await client.login("admin")
            let open = try await client.request(.get, "/api/v1/projects/contests?status=open", token: admin)
            #expect(open.body?.array.map { $0["firm"]?.string } == [TestApp.firmA], "\(open.text)")
            #expect(try await client.request(.get, "/api/v1/projects/contests", token: chongren).status == .forbidden)
            #expect(try await client.request(.post, "/api/v1/projects/\(projectID)/reassignment", token: try await client.login("clerk"),
                                             json: #"{"builder":"\#(TestApp.firmA)","reason":"核实"}"#).status == .forbidden)
            let unregistered = try await client.request(.post, "/api/v1/projects/\(projectID)/reassignment", token: admin,
                                                        json: #"{"builder":"\#(TestApp.firmA)","contractor":"\#(TestApp.contractor)","reason":"核实"}"#)
            #expect(unregistered.body?["error"]?["field"]?.string == "contractor", "only registered firms: \(unregistered.text)")

            let reassigned = try await client.request(.post, "/api/v1/projects/\(projectID)/reassignment", token: admin,
                                                      json: #"{"builder":"\#(TestApp.firmA)","reason":"经核实立项批复，建设单位为武汉崇仁置业有限公司"}"#)
            #expect(reassigned.status == .ok, "\(reassigned.text)")
            #expect(reassigned.body?["builder"]?["name"]?.string == "武汉崇仁置业有限公司")
            #expect(reassigned.body?["ownerFirm"]?.string == TestApp.firmA)
            #expect(try await client.request(.get, "/api/v1/projects/\(projectID)", token: chongren).status == .ok)
            #expect(try await client.request(.get, "/api/v1/projects/\(projectID)", token: hanxi).status == .notFound)
            let settled = try await client.request(.get, "/api/v1/projects/contests?status=upheld", token: admin)
            #expect(settled.body?.array.count == 1, "\(settled.text)")

            let refused = try await client.request(.post, "/api/v1/applications/\(pending)/issuance", token: try await client.login("issuer"))
            #expect(refused.status == .conflict)
            #expect(refused.body?["error"]?["code"]?.string == "holder-not-party", "\(refused.text)")

            let audit = try await app.services.database.read { db in try AuditLog.records(subject: "project/\(projectID)", in: db) }
            let reassignment = try #require(audit.first { $0.action == "project.reassigned" })
            #expect(reassignment.before?["builder"] == TestApp.firmB)
            #expect(reassignment.after?["builder"] == TestApp.firmA)
            #expect(audit.map(\.action).contains("project.contested"))
        }
    }
}
