import Foundation
import Hummingbird
import Testing

@Suite("证照查验: anyone finds a certificate's public status by its printed number or its QR's text")
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
