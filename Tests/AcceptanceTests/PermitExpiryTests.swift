import Certificates
import Foundation
import GRDB
import Hummingbird
import Kernel
import Supervision
import Testing
import WebApp

/// Issue 11 §6: each permit inside a 综合许可证 keeps its own validity.
@Suite("A permit inside a comprehensive certificate expires on its own day, with its own event, and its work ends")
struct PermitExpiryTests {
    @Test("a permit that ends before its certificate is recorded expired once, its tasks end, a scan shows it expired beside the valid ones")
    func permitExpiresOnItsOwnDay() async throws {
        let app = try await TestApp()
        try await app.run { client in
            let firm = try await client.login("chongren")
            let (_, certificate) = try await WasteDisposalTests.comprehensiveWithSiteApproval(client, firm: firm)
            let number = try #require(certificate["number"]?.string)
            let sitePermit = try #require(certificate["permits"]?.array.first { $0["item"]?.string == "CG-JZLJ" })
            let permitEnds = try #require(sitePermit["validTo"]?.string.flatMap(CivilDate.init))
            let certificateEnds = certificate["validTo"]?.string.flatMap(CivilDate.init)
            #expect(certificateEnds.map { $0.dayNumber > permitEnds.dayNumber } ?? true, "the certificate outlasts the permit")
            let applicationID = try await app.services.database.read { db in
                try CertificateRegistry.certificate(number: number, in: db)!.applicationID
            }
            let tasks = { try await app.services.database.read { db in try SupervisionRouting.tasks(applicationID: applicationID, in: db) } }
            #expect(try await tasks().contains { $0.item == "CG-JZLJ" && $0.isActive }, "the site approval has its own supervision")
            #expect(try await app.services.certificates.recordExpiries() == 0)

            let today = app.services.catalog.calendar.today(at: app.clock.now)
            app.clock.advance(days: permitEnds.dayNumber - today.dayNumber + 1)
            #expect(try await app.services.certificates.recordExpiries() == 1, "the permit, not the certificate")
            #expect(try await app.services.certificates.recordExpiries() == 0, "once")
            let after = try await tasks()
            #expect(after.filter { $0.item == "CG-JZLJ" }.allSatisfy { !$0.isActive && $0.cancelReason?.contains("届满") == true }, "\(after)")
            #expect(after.contains { $0.item == "ZJ-SGXK" && $0.isActive }, "the building permit's work goes on")
            let audit = try await app.services.database.read { db in try AuditLog.records(subject: "certificate/\(number)", in: db) }
            #expect(audit.contains { $0.action == "certificate.permit-expired" && $0.detail?["item"] == "CG-JZLJ" })

            let inspector = try await client.login("inspector-cg-qk")
            let qr = try #require(certificate["qr"]?.string)
            let scan = try await client.request(.post, "/api/v1/scans", token: inspector, json: #"{"qr":"\#(qr)","checkpoint":"site"}"#)
            #expect(scan.body?["verification"]?["status"]?.string == "valid", "\(scan.text)")
            let statuses = scan.body?["verification"]?["certificate"]?["permits"]?.array.map { [$0["item"]?.string, $0["status"]?.string] }
            #expect(statuses == [["ZJ-SGXK", "valid"], ["CG-JZLJ", "expired"]], "\(scan.text)")
        }
    }
}
