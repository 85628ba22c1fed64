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

    @Test("a project name, an opinion and a reason posted back with markup are shown as text on the console's pages")
    func markupOnConsolePages() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let name = "<script>alert(1)</script>崇仁路\"023\"地块&项目"
            let firm = try await client.login("chongren")
            let projectID = try #require(try await client.createProject(token: firm, name: name).body?["id"]?.string)
            let submitted = try await client.submittedApplication(projectID: projectID, firm: firm)
            let reviewed = try await client.acceptedApplication(projectID: projectID, firm: firm)
            _ = try await client.request(.post, "/api/v1/applications/\(reviewed)/reviews", token: try await client.login("reviewer-housing"),
                                         json: #"{"item":"ZJ-SGXK","decision":"deny","opinion":"<img src=x onerror=alert(2)>不符合"}"#)
            let clerk = Browser(client)
            try await clerk.signIn("clerk")
            for path in ["/console/acceptance", "/console/applications/\(submitted)", "/console/applications/\(reviewed)"] {
                let page = try await clerk.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("<script>alert(1)") && !page.text.contains("<img src=x"), "\(path) echoes markup")
                #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;崇仁路&quot;023&quot;地块&amp;项目"), "\(path)")
            }
            #expect(try await clerk.get("/console/applications/\(reviewed)").text.contains("意见：&lt;img src=x onerror=alert(2)&gt;不符合"))
            // A reason too long is refused and shown again in its field: as text.
            let form = try await clerk.get("/console/applications/\(submitted)")
            let refused = try await clerk.post("/console/applications/\(submitted)/acceptance", form: [
                ("csrf", try Browser.formToken(in: form)), ("decision", "refuse"),
                ("reason", "</textarea><script>alert(3)</script>" + String(repeating: "长", count: 500)),
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(!refused.text.contains("<script>alert(3)") && refused.text.contains("&lt;/textarea&gt;&lt;script&gt;alert(3)"), "\(refused.text)")
        }
    }

    @Test("a project name and an inspector's findings with markup are shown as text on the inspector's pages")
    func markupOnInspectorPages() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let name = "<script>alert(1)</script>崇仁路\"023\"地块&项目"
            let issued = try await client.issuedApplication(projectName: name)
            let jws = try #require(issued.certificate["qr"]?.string).components(separatedBy: "/v/").last!
            let task = try #require(try await SupervisionLoopTests.task("greenspace-check", in: client, token: try await client.login("inspector-yl-qk"))["id"]?.string)
            let inspector = Browser(client)
            try await inspector.signIn("inspector-yl-qk")
            for path in ["/inspector/tasks", "/inspector/tasks/\(task)", "/v/\(jws)"] {
                let page = try await inspector.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("<script>alert(1)"), "\(path) echoes markup")
                #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;崇仁路&quot;023&quot;地块&amp;项目"), "\(path)")
            }
            // Findings posted back with a refusal, and findings recorded, are text.
            let token = try Browser.formToken(in: try await inspector.get("/inspector/tasks/\(task)"))
            let refused = try await inspector.post("/inspector/tasks/\(task)/inspections", form: [
                ("csrf", token), ("result", "rectify"), ("findings", "</textarea><script>alert(3)</script>"),
            ])
            #expect(refused.status == .unprocessableContent)
            #expect(!refused.text.contains("<script>alert(3)") && refused.text.contains("&lt;/textarea&gt;&lt;script&gt;alert(3)"), "\(refused.text)")
            _ = try await inspector.post("/inspector/tasks/\(task)/inspections", form: [
                ("csrf", token), ("result", "violation"), ("findings", "<img src=x onerror=alert(2)>超范围占用"),
            ])
            let recorded = try await inspector.get("/inspector/tasks/\(task)")
            #expect(!recorded.text.contains("<img src=x") && recorded.text.contains("检查发现：&lt;img src=x onerror=alert(2)&gt;超范围占用"), "\(recorded.text)")
        }
    }

    @Test("a project name with markup is shown as text on the console's dashboard, in its chart and its table")
    func markupOnTheDashboard() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let name = "<script>alert(1)</script>崇仁路\"023\"地块&项目"
            _ = try await client.issuedApplication(projectName: name)
            app.clock.advance(days: 8)
            let clerk = Browser(client)
            try await clerk.signIn("clerk")
            let page = try await clerk.get("/console/dashboard")
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert(1)"), "the overdue tasks echo markup")
            #expect(page.text.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;崇仁路&quot;023&quot;地块&amp;项目 · 首次监督检查"), "in the chart: \(page.text)")
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;崇仁路&quot;023&quot;地块&amp;项目 · 首次监督检查</a>"), "in the table")
        }
    }
}
