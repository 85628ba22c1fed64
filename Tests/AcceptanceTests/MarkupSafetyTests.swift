import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("What firms type is shown, never run")
struct MarkupSafetyTests {
    @Test("a project name with markup is shown as text on the verification and print pages and in JSON")
    func markupInNames() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let name = "<img src=x onerror=alert(1)>崇仁路\"023\"地块&项目"
            let issued = try await client.issuedApplication(projectName: name)
            let jws = try #require(issued.certificate["qr"]?.string).components(separatedBy: "/v/").last!
            for path in ["/v/\(jws)", "/v/\(jws)/print"] {
                let page = try await client.request(.get, path)
                #expect(page.status == .ok)
                #expect(!page.text.contains("<img src=x"), "\(path) echoes markup")
                #expect(page.text.contains("&lt;img src=x onerror=alert(1)&gt;崇仁路"), "\(path)")
            }
            let json = try await client.request(.get, "/v/\(jws)", accept: "application/json")
            #expect(json.body?["certificate"]?["projectName"]?.string == name)
        }
    }

    @Test("a project name and a reviewer's opinion with markup are shown as text on the firm's pages")
    func markupOnFirmPages() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let name = "<script>alert(1)</script>崇仁路\"023\"地块&项目"
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm, name: name).body?["id"]?.string)
            let id = try await client.acceptedApplication(projectID: projectID, firm: firm)
            _ = try await client.request(.post, "/api/v1/applications/\(id)/reviews", token: try await client.login("reviewer-housing"),
                                         json: #"{"item":"ZJ-SGXK","decision":"deny","opinion":"<img src=x onerror=alert(2)>不符合"}"#)
            let browser = Browser(client)
            try await browser.signIn("chongren")
            for path in ["/firm/applications", "/firm/applications/\(id)", "/firm/projects"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("<script>alert(1)") && !page.text.contains("<img src=x"), "\(path) echoes markup")
                #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;崇仁路&quot;023&quot;地块&amp;项目"), "\(path)")
            }
            #expect(try await browser.get("/firm/applications/\(id)").text.contains("意见：&lt;img src=x onerror=alert(2)&gt;不符合"))
        }
    }
}
