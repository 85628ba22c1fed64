import Foundation
import Hummingbird
import Testing

@Suite("证照查验 and 证照公告: anyone finds a certificate's public status by its number or QR, and reads the register of what was issued")
struct CertificateLookupTests {
    static func query(_ text: String) -> String {
        "/public/certificates?q=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text)
    }

    @Test("the printed number, in any case and with spaces around it, and the QR's address both lead to the certificate's /v/ page, which shows it valid")
    func numberAndQRFindTheCertificate() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup
            let issued = try await client.issuedApplication()
            let number = try #require(issued.certificate["number"]?.string)
            let qr = try #require(issued.certificate["qr"]?.string)
            let jws = try #require(qr.components(separatedBy: "/v/").last)
            // MUT
            let byNumber = try await client.request(.get, Self.query("  \(number.lowercased()) "))
            let byQR = try await client.request(.get, Self.query(qr))
            let byBareText = try await client.request(.get, Self.query(jws))
            // validate
            for found in [byNumber, byQR, byBareText] {
                #expect(found.status == .seeOther && found.headers[.location] == "/v/\(jws)", "\(found.status) \(found.text)")
            }
            let page = try await client.request(.get, "/v/\(jws)")
            #expect(page.status == .ok && page.text.contains(number) && page.text.contains("有效"))
        }
    }

    @Test("the register lists every certificate issued, newest first, one district's or all, each once across pages, with its status today; an unknown district is named")
    func registerListsWhatWasIssued() async throws {
        let app = try await TestApp()
        try await app.run { client in
            // setup: three permits issued an hour apart, the second later suspended
            let firm = try await client.login("chongren"), issuer = try await client.login("issuer")
            var numbers: [String] = []
            for (serial, name) in [(318_562, "崇仁路023地块项目"), (318_563, "汉正街024地块项目"), (318_564, "古田路025地块项目")] {
                let project = try await client.request(.post, "/api/v1/projects", token: firm, json: """
                    {"code":"2401-420104-04-01-\(serial)","name":"\(name)","district":"420104","address":"武汉市硚口区","category":"房屋建筑工程",
                     "builder":{"name":"武汉崇仁置业有限公司","uscc":"\(TestApp.firmA)"},
                     "contractor":{"name":"中建三局第一建设工程有限责任公司","uscc":"\(TestApp.contractor)"}}
                    """)
                let id = try await client.approvedApplication(projectID: try #require(project.body?["id"]?.string, "\(project.text)"), firm: firm)
                let issued = try await client.request(.post, "/api/v1/applications/\(id)/issuance", token: issuer)
                numbers.append(try #require(issued.body?["certificates"]?[0]?["number"]?.string, "\(issued.text)"))
                app.clock.advance(minutes: 60)
            }
            let suspended = try await client.request(.post, "/api/v1/certificates/\(numbers[1])/suspension", token: try await client.login("admin"),
                                                     json: #"{"reason":"现场存在重大安全隐患"}"#)
            #expect(suspended.status == .ok, "\(suspended.text)")
            // MUT
            let pages = try await ApplicationListTests.allPages("/api/v1/public/certificates?limit=2", token: nil, key: "number", in: client)
            let district = try await client.request(.get, "/api/v1/public/certificates?district=420104")
            let elsewhere = try await client.request(.get, "/api/v1/public/certificates?district=420984")
            let page = try await client.request(.get, "/public/register?district=420104")
            // validate
            #expect(pages == [[numbers[2], numbers[1]], [numbers[0]]])
            #expect(district.body?.array.compactMap { $0["number"]?.string } == numbers.reversed())
            #expect(district.body?[1]?["status"]?.string == "suspended" && district.body?[0]?["status"]?.string == "valid")
            #expect(elsewhere.body?.array.isEmpty == true)
            #expect(page.status == .ok && page.text.contains("古田路025地块项目") && page.text.contains("已暂停"))
            #expect(page.text.components(separatedBy: #"<p class="title">"#).count == 4)
            let unknown = try await client.request(.get, "/api/v1/public/certificates?district=999999")
            #expect(unknown.status == .unprocessableContent && unknown.body?["error"]?["field"]?.string == "district")
        }
    }

    @Test("an unknown number comes back beside the field with what was typed; an empty query shows the form; an overlong one is refused")
    func badQueriesAreExplained() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let unknown = try await client.request(.get, Self.query("420104-2026-ZH-999999"))
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains(#"<p class="error" role="alert" id="q-error">未找到编号为“420104-2026-ZH-999999”的证照"#), "\(unknown.text)")
            #expect(unknown.text.contains(#"value="420104-2026-ZH-999999""#))
            let forged = try await client.request(.get, Self.query("https://example.cn/v/eyJhbGciOiJFZERTQSJ9.eyJuIjoiMSJ9.c2ln"))
            #expect(forged.status == .seeOther, "a QR's text goes to /v/, which says whether its signature holds")
            let empty = try await client.request(.get, "/public/certificates")
            #expect(empty.status == .ok && empty.text.contains(#"<input id="q" name="q" value="""#) && !empty.text.contains("q-error"))
            let overlong = try await client.request(.get, Self.query(String(repeating: "A", count: 4_001)))
            #expect(overlong.status == .unprocessableContent && overlong.text.contains("q-error"))
            let home = try await client.request(.get, "/")
            #expect(home.text.contains(#"<a href="/public/certificates">证照查验</a>"#))
        }
    }
}
