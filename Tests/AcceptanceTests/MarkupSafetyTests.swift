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
}
