import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("一人帮办: every bundle application gets a helper, whom the firm sees and can write to")
struct HelperTests {
    @Test("helpers are assigned by load; the firm sees its helper; a helper lists its own applications; firm and helper exchange messages")
    func helperAndMessages() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm).body?["id"]?.string)
            let first = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let second = try await client.acceptedApplication(projectID: projectID, firm: firm)
            let seen = try await client.request(.get, "/api/v1/applications/\(first)", token: firm)
            #expect(seen.body?["helper"]?["name"]?.string == "王敏")
            #expect(try await client.request(.get, "/api/v1/applications/\(second)", token: firm).body?["helper"]?["name"]?.string == "李娜")

            let helper = try await client.login("clerk-2")
            let mine = try await client.request(.get, "/api/v1/applications?helper=me", token: helper)
            #expect(mine.body?.array.compactMap { $0["id"]?.string } == [second])
            #expect(try await client.request(.get, "/api/v1/applications?helper=someone", token: helper).status == .unprocessableContent)

            let asked = try await client.request(.post, "/api/v1/applications/\(second)/messages", token: helper,
                                                 json: #"{"text":"您好，我是本项目帮办专员李娜。施工合同扫描件第3页不清晰，建议补充清晰版本。"}"#)
            #expect(asked.status == .created, "\(asked.text)")
            #expect(try await client.request(.post, "/api/v1/applications/\(second)/messages", token: firm,
                                             json: #"{"text":"收到，今天下午上传。"}"#).status == .created)
            let thread = try await client.request(.get, "/api/v1/applications/\(second)/messages", token: firm)
            #expect(thread.body?.array.compactMap { $0["fromName"]?.string } == ["李娜", "张伟"])

            #expect(try await client.request(.post, "/api/v1/applications/\(second)/messages", token: try await client.login("clerk"),
                                             json: #"{"text":"非帮办人员"}"#).status == .forbidden)
            #expect(try await client.request(.get, "/api/v1/applications/\(second)/messages", token: try await client.login("hanxi")).status == .notFound)
            let empty = try await client.request(.post, "/api/v1/applications/\(second)/messages", token: firm, json: #"{"text":"  "}"#)
            #expect(empty.body?["error"]?["field"]?.string == "text")
        }
    }
}
