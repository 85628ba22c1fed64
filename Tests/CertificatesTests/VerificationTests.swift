import Certificates
import Crypto
import Foundation
import GRDB
import Kernel
import Testing

@Suite("A QR text is a genuine certificate only if our key signed exactly these claims")
struct VerificationTests {
    @Test("a certificate verifies, and its claims are the register's")
    func genuine() async throws {
        let harness = try await CertificateHarness()
        let certificate = try await harness.issue()
        #expect(certificate.number.description == "420104-2026-LJ-000001")
        let verification = try await harness.service.verify("https://sg.example.cn/v/\(certificate.jws)")
        #expect(verification.isValid)
        #expect(verification.claims?.holderUSCC == "91420104MA4KX12345")
        #expect(verification.claims?.permits.map(\.item) == ["CG-JZLJ"])
        #expect(verification.claims?.validTo == "2027-02-20")
    }

    @Test("every kind of forged or broken text is refused with its reason",
          arguments: ["truncated", "altered", "re-signed", "unknown-kid", "alg-none", "alg-none-signed", "hmac", "oversize", "not-a-jws"])
    func forgeries(kind: String) async throws {
        let harness = try await CertificateHarness()
        let jws = try await harness.issue().jws
        let parts = Forgery.parts(jws)
        let kid = harness.keys.active.kid
        let alteredPayload = Forgery.base64URL(String(decoding: Data(base64URLEncoded: parts[1])!, as: UTF8.self)
            .replacingOccurrences(of: "CG-JZLJ", with: "CG-DLWJ"))
        let (text, expected): (String, VerificationFailure) = switch kind {
        case "truncated": (String(jws.dropLast(12)), .badSignature)
        case "altered": ("\(parts[0]).\(alteredPayload).\(parts[2])", .badSignature)
        case "re-signed": (try Forgery.signed(header: #"{"alg":"EdDSA","kid":"\#(kid)"}"#, payload: alteredPayload, with: Curve25519.Signing.PrivateKey()), .badSignature)
        case "unknown-kid": (try Forgery.signed(header: #"{"alg":"EdDSA","kid":"ZZZZZZZZ"}"#, payload: parts[1], with: Curve25519.Signing.PrivateKey()), .unknownKey)
        case "alg-none": ("\(Forgery.base64URL(#"{"alg":"none","kid":"\#(kid)"}"#)).\(parts[1]).", .malformed)
        case "alg-none-signed": ("\(Forgery.base64URL(#"{"alg":"none","kid":"\#(kid)"}"#)).\(parts[1]).\(parts[2])", .unsupportedAlgorithm)
        case "hmac": ("\(Forgery.base64URL(#"{"alg":"HS256","kid":"\#(kid)"}"#)).\(parts[1]).\(parts[2])", .unsupportedAlgorithm)
        case "oversize": (jws + String(repeating: "A", count: 5000), .tooLong)
        default: ("https://sg.example.cn/v/<script>alert(1)</script>", .malformed)
        }
        let verification = try await harness.service.verify(text)
        #expect(!verification.isValid)
        #expect(verification.failure == expected)
        #expect(verification.certificate == nil)
    }

    @Test("after a key rotation old certificates still verify and new ones are signed with the new key")
    func rotation() async throws {
        let first = try await CertificateHarness()
        let old = try await first.issue()
        let keysFolder = first.folder.appendingPathComponent("keys")
        let rotated = try SigningKeys.rotate(in: keysFolder, now: Date(timeIntervalSince1970: 1_795_500_000))
        let second = try await CertificateHarness(keys: try SigningKeys.load(from: keysFolder, now: Date()), folder: first.folder)
        #expect(second.keys.keys.count == 2)
        #expect(second.keys.active.kid == rotated.kid)
        let new = try await second.issue()
        #expect(new.kid == rotated.kid)
        #expect(old.kid != rotated.kid)
        #expect(try await second.service.verify(old.jws).isValid)
        #expect(try await second.service.verify(new.jws).isValid)
        #expect(second.keys.jwks.keys.map(\.kid).sorted() == [old.kid, rotated.kid].sorted())
    }

    @Test("key files are readable by the service's user only")
    func keyFileMode() async throws {
        let harness = try await CertificateHarness()
        let file = harness.folder.appendingPathComponent("keys/\(harness.keys.active.kid).key")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("a genuine signature on a number the register does not hold is not valid")
    func unknownCertificate() async throws {
        let harness = try await CertificateHarness()
        let jws = try await harness.issue().jws
        try await harness.database.write { db in try db.execute(sql: "DELETE FROM certificates") }
        let verification = try await harness.service.verify(jws)
        #expect(verification.failure == .unknownCertificate)
    }
}

@Suite("A certificate's status is live: suspended, reinstated, revoked, expired")
struct CertificateStatusTests {
    @Test("suspension shows at once with its reason, reinstatement restores it, revocation is final")
    func statusChanges() async throws {
        let harness = try await CertificateHarness()
        let certificate = try await harness.issue()
        let number = certificate.number.description
        let suspended = try await harness.service.change(number, .suspend, reason: "运输车辆未密闭，责令整改", by: CertificateHarness.issuer)
        #expect(suspended.statusReason == "运输车辆未密闭，责令整改")
        #expect(try await harness.service.verify(certificate.jws).status == .suspended)
        _ = try await harness.service.change(number, .reinstate, reason: "整改完成", by: CertificateHarness.issuer)
        #expect(try await harness.service.verify(certificate.jws).status == .valid)
        _ = try await harness.service.change(number, .revoke, reason: "以欺骗手段取得许可", by: CertificateHarness.issuer)
        #expect(try await harness.service.verify(certificate.jws).status == .revoked)
        await #expect(throws: CertificateError.invalidTransition(from: .revoked, action: "恢复")) {
            try await harness.service.change(number, .reinstate, reason: "申诉", by: CertificateHarness.issuer)
        }
        let events = try await harness.database.read { db in try RecordedEvent.all(subject: "certificate/\(number)", in: db) }
        #expect(events.map(\.name) == ["CertificateIssued"] + Array(repeating: "CertificateStatusChanged", count: 3))
    }

    @Test("a verification's certificate is taken again only while its register row is unchanged")
    func knownEntry() async throws {
        // setup
        let harness = try await CertificateHarness()
        let certificate = try await harness.issue()
        let other = try await harness.issue()
        let number = certificate.number.description
        let verification = try await harness.service.verify(certificate.jws)
        #expect(verification.registerRevision == 0)
        // MUT, validate: unchanged, the verified copy; another number or no verification, the row
        let reused = try await harness.database.read { db in try CertificateRegistry.certificate(number: number, in: db, known: verification) }
        #expect(reused == verification.certificate)
        let otherEntry = try await harness.database.read { db in
            try CertificateRegistry.certificate(number: other.number.description, in: db, known: verification)
        }
        #expect(otherEntry?.number == other.number)
        #expect(try await harness.database.read { db in try CertificateRegistry.certificate(number: "420104-2026-LJ-999999", in: db, known: verification) } == nil)
        // a suspension after the verification: the row as it is now
        _ = try await harness.service.change(number, .suspend, reason: "运输车辆未密闭，责令整改", by: CertificateHarness.issuer)
        let current = try await harness.database.read { db in try CertificateRegistry.certificate(number: number, in: db, known: verification) }
        #expect(current?.status == .suspended)
        #expect(current?.statusReason == "运输车辆未密闭，责令整改")
        #expect(current == (try await harness.database.read { db in try CertificateRegistry.certificate(number: number, in: db) }))
    }

    @Test("a status change needs a reason and an issuer")
    func statusChangeRules() async throws {
        let harness = try await CertificateHarness()
        let number = try await harness.issue().number.description
        await #expect(throws: CertificateError.invalidField(field: "reason", message: "请说明原因")) {
            try await harness.service.change(number, .suspend, reason: " ", by: CertificateHarness.issuer)
        }
        let inspector = Actor(id: "x", username: "inspector", name: "吴强", role: .inspector, department: "city-management", region: "420104")
        await #expect(throws: CertificateError.forbidden("只有出证人员或管理员可以变更证照状态")) {
            try await harness.service.change(number, .revoke, reason: "违规", by: inspector)
        }
    }

    @Test("a certificate past its last day verifies as genuine but expired")
    func expiry() async throws {
        let harness = try await CertificateHarness()
        let certificate = try await harness.issue(validityDays: 90)  // 2026-11-23 to 2027-02-20
        harness.advance(days: 89)
        #expect(try await harness.service.verify(certificate.jws).status == .valid)
        harness.advance(days: 1)
        let verification = try await harness.service.verify(certificate.jws)
        #expect(verification.status == .expired)
        #expect(verification.failure == nil)
        #expect(try await harness.service.recordExpiries() == 1)
        #expect(try await harness.service.recordExpiries() == 0)
        let events = try await harness.database.read { db in try RecordedEvent.all(subject: "certificate/\(certificate.number)", in: db) }
        #expect(events.map(\.name) == ["CertificateIssued", "CertificateStatusChanged"])
        #expect(events.last?.payload.contains(#""to":"expired""#) == true)
    }

    @Test("numbers are gap-free per region, year and kind")
    func numbering() async throws {
        let harness = try await CertificateHarness()
        var numbers: [String] = []
        for _ in 0..<3 { numbers.append(try await harness.issue().number.description) }
        numbers.append(try await harness.issue(bundle: "comprehensive-permit").number.description)
        #expect(numbers == ["420104-2026-LJ-000001", "420104-2026-LJ-000002", "420104-2026-LJ-000003", "420104-2026-ZH-000001"])
    }
}
