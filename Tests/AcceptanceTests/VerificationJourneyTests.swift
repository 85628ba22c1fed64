import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("Anyone can verify a certificate by its QR, online or offline, and sees its live status")
struct VerificationJourneyTests {
    func path(_ qr: String) -> String { "/v/" + qr.components(separatedBy: "/v/").last! }

    @Test("the issued certificate's QR opens a green page and a JSON verdict; a suspension shows at once, in red, with its reason")
    func verifyOnline() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (firm, issuer, certificate) = try await client.issuedCertificate()
            let qr = try #require(certificate["qr"]?.string)
            #expect(qr.hasPrefix("https://sg.example.cn/v/"))
            let number = try #require(certificate["number"]?.string)

            let page = try await client.request(.get, path(qr))
            #expect(page.status == .ok)
            #expect(page.text.contains("verdict ok"))
            #expect(page.text.contains("有效"))
            #expect(page.text.contains("崇仁路023地块项目"))
            #expect(page.text.contains("临时占用城市绿地审批"))
            // Dates as people write them: 2026年11月23日, not 2026-11-23.
            let validFrom = try #require(certificate["validFrom"]?.string)
            let parts = validFrom.split(separator: "-").compactMap { Int($0) }
            #expect(parts.count == 3 && page.text.contains("\(parts[0])年\(parts[1])月\(parts[2])日 至"), "\(page.text)")
            #expect(!page.text.contains(validFrom))

            let suspend = try await client.request(.post, "/api/v1/certificates/\(number)/suspension", token: issuer, json: #"{"reason":"施工现场扬尘治理不达标，暂停施工"}"#)
            #expect(suspend.status == .ok, "\(suspend.text)")
            let suspendedPage = try await client.request(.get, path(qr))
            #expect(suspendedPage.text.contains("verdict bad"))
            #expect(suspendedPage.text.contains("已暂停"))
            #expect(suspendedPage.text.contains("施工现场扬尘治理不达标"))

            let notAllowed = try await client.request(.post, "/api/v1/certificates/\(number)/revocation", token: firm, json: #"{"reason":"x"}"#)
            #expect(notAllowed.status == .forbidden)
            let revoke = try await client.request(.post, "/api/v1/certificates/\(number)/revocation", token: issuer, json: #"{"reason":"以欺骗手段取得许可"}"#)
            #expect(revoke.body?["status"]?.string == "revoked")
            let again = try await client.request(.post, "/api/v1/certificates/\(number)/reinstatement", token: issuer, json: #"{"reason":"申诉"}"#)
            #expect(again.status == .conflict)
        }
    }

    @Test("a genuine certificate prints as a page with its QR as SVG; a forgery prints only the verdict")
    func printable() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (_, _, certificate) = try await client.issuedCertificate()
            let path = path(try #require(certificate["qr"]?.string))
            let page = try await client.request(.get, path + "/print")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>建筑工程综合许可证</h1>"))
            #expect(page.text.contains("<svg"))
            #expect(page.text.contains("武汉市硚口区行政审批局"))
            #expect(!page.text.contains("class=\"watermark\""))
            let forged = try await client.request(.get, String(path.dropLast(4)) + "/print")
            #expect(forged.text.contains("verdict bad"))
            #expect(!forged.text.contains("<svg"))
        }
    }

    @Test("JSON verification answers valid, or invalid with a reason code, and never fails on garbage")
    func verifyJSON() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (_, _, certificate) = try await client.issuedCertificate()
            let jws = try #require(certificate["qr"]?.string).components(separatedBy: "/v/").last!
            let verdict = try #require(try await client.request(.get, "/v/\(jws)", accept: "application/json").body)
            #expect(verdict["valid"] == .bool(true))
            #expect(verdict["status"]?.string == "valid")
            #expect(verdict["certificate"]?["authority"]?.string == "硚口区行政审批局")

            for (text, reason) in [(String(jws.dropLast(5)), "bad-signature"), ("abc.def", "malformed"), (String(repeating: "a.", count: 3000) + "a", "too-long")] {
                let response = try await client.request(.get, "/v/\(text)", accept: "application/json")
                #expect(response.status == .ok)
                #expect(response.body?["valid"] == .bool(false))
                #expect(response.body?["reason"]?.string == reason)
            }
        }
    }

    @Test("the published keys verify a certificate offline with shenguan verify; exit 1 for a forgery, 2 for garbage")
    func verifyOffline() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (_, _, certificate) = try await client.issuedCertificate()
            let qr = try #require(certificate["qr"]?.string)
            let jwks = try await client.request(.get, "/.well-known/jwks.json")
            #expect(jwks.body?["keys"]?[0]?["alg"]?.string == "EdDSA")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
            try Data(jwks.text.utf8).write(to: file)

            let valid = try CommandLine.run(["verify", qr, "--jwks", file.path])
            #expect(valid.status == 0, "\(valid.output)")
            #expect(valid.output.contains("临时占用城市绿地审批 YL-LDZY"))
            let parts = qr.components(separatedBy: "/v/").last!.components(separatedBy: ".")
            let forged = parts[0] + "." + parts[1] + "." + String(parts[2].reversed())
            #expect(try CommandLine.run(["verify", forged, "--jwks", file.path]).status == 1)
            #expect(try CommandLine.run(["verify", "not a certificate", "--jwks", file.path]).status == 2)
        }
    }

    @Test("shenguan verify names each signed fact of a waste vehicle's and a night-work permit's QR as the catalog names it, not by its short key")
    func verifyNamesSignedFacts() async throws {
        // Each permit on a service of its own: both register the same project.
        for permit in ["vehicle", "night"] {
            let app = try await TestApp()
            try await app.run { client in
                let qr = try #require(permit == "vehicle" ? try await WasteDisposalTests.issuedPermit(client).certificates.first?["qr"]?.string
                                                          : try await NightWorkTests.siteWithNightPermit(client).certificate["qr"]?.string)
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json")
                try Data(try await client.request(.get, "/.well-known/jwks.json").text.utf8).write(to: file)
                let verified = try CommandLine.run(["verify", qr, "--jwks", file.path, "--catalog", TestApp.root.appendingPathComponent("Modules").path])
                let facts = permit == "vehicle" ? ["核定容积（立方米）：", "消纳场编号："] : ["作业夜：", "作业时段：", "夜间施工原因："]
                #expect(verified.status == 0 && facts.allSatisfy(verified.output.contains), "\(verified.output)")
                #expect(!verified.output.contains(" c：") && !verified.output.contains(" nights："), "\(verified.output)")
            }
        }
    }
}
