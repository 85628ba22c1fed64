import Foundation
import Hummingbird
import Testing
import WebApp

@Suite("Inspectors scan certificates; every scan is recorded, and an inspector of the region sees whom to call")
struct ScanTests {
    @Test("an inspector of the site's region gets the certificate with the site contact; the public never sees the phone")
    func inspectorOfRegion() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let (_, _, certificate) = try await client.issuedCertificate()
            let qr = try #require(certificate["qr"]?.string)
            let inspector = try await client.login("inspector-cg-qk")
            let scan = try await client.request(.post, "/api/v1/scans", token: inspector, json: """
                {"qr":"\(qr)","checkpoint":"site","location":{"latitude":30.5838,"longitude":114.2369,"description":"崇仁路工地北门"}}
                """)
            #expect(scan.status == .created, "\(scan.text)")
            #expect(scan.body?["scan"]?["valid"] == .bool(true))
            #expect(scan.body?["scan"]?["inspectorName"]?.string == "黄磊")
            #expect(scan.body?["verification"]?["status"]?.string == "valid")
            #expect(scan.body?["verification"]?["site"]?["contactPhone"]?.string == "13871234567")
            // The whole site as the project and the form give it (read in SQLite, not decoded).
            let site = scan.body?["verification"]?["site"]
            #expect(site?["contactName"]?.string == "张伟")
            #expect(site?["address"]?.string == "武汉市硚口区崇仁路与解放大道交汇处西北侧")
            #expect(site?["builder"]?["name"]?.string == "武汉崇仁置业有限公司")
            #expect(site?["builder"]?["uscc"]?.string == TestApp.firmA)
            #expect(site?["contractor"]?["name"]?.string == "中建三局第一建设工程有限责任公司")
            #expect(site?["contractor"]?["uscc"]?.string == TestApp.contractor)

            let elsewhere = try await client.login("inspector-cg-hc")
            let far = try await client.request(.post, "/api/v1/scans", token: elsewhere, json: #"{"qr":"\#(qr)","checkpoint":"disposal"}"#)
            #expect(far.status == .created)
            #expect(far.body?["verification"]?["site"] == nil)
            #expect(far.body?["verification"]?["certificate"]?["number"] == certificate["number"])

            let publicView = try await client.request(.get, "/v/" + qr.components(separatedBy: "/v/").last!, accept: "application/json")
            #expect(publicView.body?["site"] == nil)
            #expect(!publicView.text.contains("13871234567"))
        }
    }

    @Test("a forged code is recorded as an invalid scan; only inspectors scan; a bad checkpoint or location is named")
    func rules() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let inspector = try await client.login("inspector-cg-qk")
            let forged = try await client.request(.post, "/api/v1/scans", token: inspector, json: #"{"qr":"https://sg.example.cn/v/aaa.bbb.ccc","checkpoint":"transit"}"#)
            #expect(forged.status == .created)
            #expect(forged.body?["scan"]?["valid"] == .bool(false))
            #expect(forged.body?["verification"]?["reason"]?.string == "malformed")

            let clerk = try await client.login("clerk")
            #expect(try await client.request(.post, "/api/v1/scans", token: clerk, json: #"{"qr":"x","checkpoint":"site"}"#).status == .forbidden)
            let checkpoint = try await client.request(.post, "/api/v1/scans", token: inspector, json: #"{"qr":"x","checkpoint":"kitchen"}"#)
            #expect(checkpoint.status == .badRequest)
            #expect(checkpoint.body?["error"]?["field"]?.string == "checkpoint")
            let location = try await client.request(.post, "/api/v1/scans", token: inspector, json: #"{"qr":"x","checkpoint":"site","location":{"latitude":120,"longitude":30}}"#)
            #expect(location.status == .unprocessableContent)
            #expect(location.body?["error"]?["field"]?.string == "location.latitude")
        }
    }
}
