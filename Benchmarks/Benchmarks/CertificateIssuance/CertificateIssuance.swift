import Benchmark
import BenchmarkSupport
import Certificates
import Crypto
import Foundation
import GRDB
import Kernel
import Synchronization

// The seed's figure: 4,589 certificates issued in ONE write transaction. Each is one 90-day
// 城市建筑垃圾处置核准 (CG-JZLJ, kind LJ) of its own application, published as a `PermitIssued` event
// with `CertificateRegistry` subscribed, as the issuing transaction does it: the event goes to the
// outbox, the subscriber numbers the certificate (gap-free serial, upsert), builds and signs its
// claims (Ed25519 compact JWS) and inserts it into the register.
//
// "IssueBatch4589"  number + sign + persist, 4,589 times, in one `database.write` on a fresh
//                   database (created before the measurement starts, so numbering starts at 1).
// "SignOnly4589"    the same 4,589 claims signed with `CompactJWS.sign`, plus the QR text
//                   `https://sg.example.cn/v/<jws>`, no database: the baseline.
// "IssueVsSign4589" both, one after the other, in every iteration; reports the per-iteration ratio.
// "Verify…"         `CertificateService.verify` on a register of 4,589 certificates, with what
//                   `/v/{jws}` passes it (the bare JWS): a genuine certificate, a forgery (payload
//                   altered, signature kept), a 5,000-character string.
// The rest split the costs: "VerifySignatureOnly" (`CertificateVerifier`, no database),
// "Ed25519VerifyRaw" (the bare signature check), "ExtractJWS"/"ExtractJWSFromURL" (finding the JWS
// in the text), "VerifyLookupOnly" (the register read), "DecodeStoredCertificate" (its JSON),
// "ParseCertificateNumber"; for signing, "Base64URLJWSParts" against "Base64JWSParts" (Kernel's
// base64url against plain base64) and "Ed25519SignRaw".
// "RenderPNGCold"   a 综合许可证 (3 permits) drawn as PNG from its layout, QR and seal included,
//                   every time (what a first request for the image costs).
// "RenderPNGCached" `CertificateService.image` once the image is cached on disk (every later request).
// See README.md for the numbers.

/// Certificates in one batch: the seed's figure.
let batchSize = 4_589

/// One operation per iteration (microseconds): the verification benchmarks and the breakdowns.
var microConfiguration: Benchmark.Configuration {
    .init(metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 100,
          maxDuration: .seconds(3), maxIterations: 50_000)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .milliseconds,
        // One iteration is a whole batch (about a second): few iterations, bounded at 20 s.
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 8
    )
    Benchmark.teardown = { removeScratchFolders() }

    Benchmark("IssueBatch4589") { benchmark, fixture in
        do {
            let database = try fixture.freshDatabase()
            benchmark.startMeasurement()
            try await fixture.issue(into: database.database)
            benchmark.stopMeasurement()
            try await fixture.check(database.database)
            database.remove()
        } catch {
            benchmark.error("issuing failed: \(error)")
        }
    } setup: {
        try IssueFixture()
    }

    Benchmark("SignOnly4589") { benchmark, fixture in
        do {
            blackHole(try fixture.signAll())
        } catch {
            benchmark.error("signing failed: \(error)")
        }
    } setup: {
        try SignFixture()
    }

    // Where signing's time goes: CompactJWS encodes three parts per certificate (header, claims,
    // signature) with Kernel's `Data.base64URLEncoded`; here the same three, against Foundation's
    // plain base64 of the same bytes; and the raw Ed25519 signature of one signing input.
    // In nanoseconds: plain base64 takes well under a microsecond.
    var nanoConfiguration = microConfiguration
    nanoConfiguration.timeUnits = .nanoseconds
    Benchmark("Base64URLJWSParts", configuration: nanoConfiguration) { _, fixture in
        for part in fixture.jwsParts { blackHole(part.base64URLEncoded) }
    } setup: {
        try SignFixture()
    }

    Benchmark("Base64JWSParts", configuration: nanoConfiguration) { _, fixture in
        for part in fixture.jwsParts { blackHole(part.base64EncodedString()) }
    } setup: {
        try SignFixture()
    }

    Benchmark("Ed25519SignRaw", configuration: microConfiguration) { benchmark, fixture in
        do {
            blackHole(try fixture.rawKey.signature(for: fixture.signingInput))
        } catch {
            benchmark.error("signing failed: \(error)")
        }
    } setup: {
        try SignFixture()
    }

    // Both halves in every iteration, so both see the same machine: the per-iteration ratio is
    // steadier than the ratio of the two benchmarks above on a noisy machine.
    Benchmark("IssueVsSign4589", configuration: .init(
        metrics: [.wallClock, Interleaved.sign, Interleaved.issue, Interleaved.ratio],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 8
    )) { (benchmark: Benchmark, fixtures: InterleavedFixtures) async in
        do {
            let database = try fixtures.issue.freshDatabase()
            let clock = ContinuousClock()
            let start = clock.now
            blackHole(try fixtures.sign.signAll())
            let middle = clock.now
            try await fixtures.issue.issue(into: database.database)
            let end = clock.now
            try await fixtures.issue.check(database.database)
            database.remove()
            let sign = microseconds(middle - start), issue = microseconds(end - middle)
            benchmark.measurement(Interleaved.sign, sign / 1_000)
            benchmark.measurement(Interleaved.issue, issue / 1_000)
            benchmark.measurement(Interleaved.ratio, issue * 100 / max(sign, 1))
        } catch {
            benchmark.error("interleaved run failed: \(error)")
        }
    } setup: {
        InterleavedFixtures(issue: try IssueFixture(), sign: try SignFixture())
    }

    // Verification: one QR text per iteration, against a register holding one batch.
    let verifyConfiguration = microConfiguration

    Benchmark("RenderPNGCold", configuration: microConfiguration) { benchmark, fixture in
        do {
            blackHole(try fixture.renderer.render(fixture.certificate, qrText: fixture.qrText, authority: fixture.authority))
        } catch {
            benchmark.error("render failed: \(error)")
        }
    } setup: {
        try await ImageFixture()
    }

    Benchmark("RenderPNGCached", configuration: microConfiguration) { (benchmark: Benchmark, fixture: ImageFixture) async in
        do {
            blackHole(try await fixture.cachedImage())
        } catch {
            benchmark.error("cached image failed: \(error)")
        }
    } setup: {
        let fixture = try await ImageFixture()
        _ = try await fixture.cachedImage()
        return fixture
    }

    Benchmark("Verify", configuration: verifyConfiguration) { benchmark, fixture in
        do {
            let verification = try await fixture.service.verify(fixture.genuine)
            guard verification.isValid else { throw BenchmarkFailure("a genuine certificate verified as \(verification)") }
        } catch {
            benchmark.error("verify failed: \(error)")
        }
    } setup: {
        try await VerifyFixture()
    }

    Benchmark("VerifyForged", configuration: verifyConfiguration) { benchmark, fixture in
        do {
            let verification = try await fixture.service.verify(fixture.forged)
            guard verification.failure == .badSignature else { throw BenchmarkFailure("a forgery verified as \(verification)") }
        } catch {
            benchmark.error("verify failed: \(error)")
        }
    } setup: {
        try await VerifyFixture()
    }

    // Well under a microsecond: reported in nanoseconds.
    Benchmark("VerifyOversize", configuration: nanoConfiguration) { benchmark, fixture in
        do {
            let verification = try await fixture.service.verify(fixture.oversize)
            guard verification.failure == .tooLong else { throw BenchmarkFailure("a 5,000-character text verified as \(verification)") }
        } catch {
            benchmark.error("verify failed: \(error)")
        }
    } setup: {
        try await VerifyFixture()
    }

    // The genuine QR through the signature check alone (`CertificateVerifier`, what `shenguan
    // verify` does offline): Verify minus this is the register lookup.
    Benchmark("VerifySignatureOnly", configuration: verifyConfiguration) { benchmark, fixture in
        guard case .success = await fixture.service.verifier.verify(fixture.genuine) else {
            benchmark.error("the genuine certificate failed the signature check")
            return
        }
    } setup: {
        try await VerifyFixture()
    }

    // The Ed25519 check by itself (swift-crypto, no JWT parsing, no actor): the floor of any
    // verification that checks the signature.
    Benchmark("Ed25519VerifyRaw", configuration: verifyConfiguration) { benchmark, fixture in
        guard fixture.publicKey.isValidSignature(fixture.signature, for: fixture.signingInput) else {
            benchmark.error("the genuine signature does not verify")
            return
        }
    } setup: {
        try await VerifyFixture()
    }

    // The first step of every check: finding the JWS in the text (`CertificateVerifier.jws(in:)`:
    // trim, search for `/v/` from the end), on what `/v/{jws}` passes (the bare JWS) and on the
    // whole QR text (what a scan passes).
    Benchmark("ExtractJWS", configuration: verifyConfiguration) { _, fixture in
        blackHole(CertificateVerifier.jws(in: fixture.genuine))
    } setup: {
        try await VerifyFixture()
    }

    Benchmark("ExtractJWSFromURL", configuration: verifyConfiguration) { _, fixture in
        blackHole(CertificateVerifier.jws(in: fixture.qrText))
    } setup: {
        try await VerifyFixture()
    }

    // The rest of Verify: the register lookup (one read: SELECT the stored document by primary
    // key, decode it), and its decoding alone (no database).
    Benchmark("VerifyLookupOnly", configuration: verifyConfiguration) { benchmark, fixture in
        do {
            let found = try await fixture.database.database.read { [number = fixture.number] db in
                try CertificateRegistry.certificate(number: number, in: db)
            }
            guard found != nil else { throw BenchmarkFailure("certificate \(fixture.number) not found") }
        } catch {
            benchmark.error("lookup failed: \(error)")
        }
    } setup: {
        try await VerifyFixture()
    }

    // One certificate number parsed (`CertificateNumber(_:)`, which decoding the stored
    // certificate calls for its `number`).
    Benchmark("ParseCertificateNumber", configuration: nanoConfiguration) { benchmark, fixture in
        guard let number = CertificateNumber(fixture.number) else {
            benchmark.error("\(fixture.number) does not parse")
            return
        }
        blackHole(number)
    } setup: {
        try await VerifyFixture()
    }

    Benchmark("DecodeStoredCertificate", configuration: verifyConfiguration) { benchmark, fixture in
        do {
            blackHole(try StoredJSON.decode(Certificate.self, from: fixture.document))
        } catch {
            benchmark.error("decoding failed: \(error)")
        }
    } setup: {
        try await VerifyFixture()
    }
}

struct InterleavedFixtures: Sendable {
    let issue: IssueFixture
    let sign: SignFixture
}

/// The custom metrics of "IssueVsSign4589".
enum Interleaved {
    static let sign = BenchmarkMetric.custom("Sign-only batch (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    static let issue = BenchmarkMetric.custom("Issue batch (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Issue time over sign-only time, ×100: 250 means issuing costs 2.5 times the signing alone.
    static let ratio = BenchmarkMetric.custom("Issue / sign-only (x100)", polarity: .prefersSmaller, useScalingFactor: false)
}

let issuedOn = benchmarkDay
let district = "420104"
let holderName = "武汉崇仁置业有限公司"
let holderUSCC = uscc("91420104MA4KX1234")
let projectCode = "2401-420104-04-01-318562"
let projectName = "崇仁路023地块项目"
let wastePermit = (item: "CG-JZLJ", name: "城市建筑垃圾处置核准", department: "city-management", kind: "LJ",
                   template: "waste-disposal", validityDays: 90)
let qrPrefix = "https://sg.example.cn/v/"


/// A database of one iteration, in its own folder, removed after the iteration.
final class ScratchDatabase: @unchecked Sendable {
    private(set) var database: AppDatabase!
    let folder: URL

    /// `folder`: a scratch folder (removed by the teardown) to keep it for the whole benchmark.
    init(migrations: [any MigrationSet.Type], folder existing: URL? = nil) throws {
        // A scratch folder either way, so the teardown removes it if an iteration fails before `remove()`.
        folder = try existing ?? scratchFolder("issue")
        database = try AppDatabase(path: folder.appendingPathComponent("bench.sqlite").path, migrations: migrations)
    }

    /// Closes the pool (it closes when released), then deletes the files.
    func remove() {
        database = nil
        try? FileManager.default.removeItem(at: folder)
    }
}

/// The signing keys and the 4,589 `PermitIssued` events, built once; a fresh database per iteration.
final class IssueFixture: Sendable {
    let keys: SigningKeys
    let events: EventBus
    let batch: [PermitIssued]

    init() throws {
        keys = try SigningKeys.load(from: try scratchFolder("keys").appendingPathComponent("keys"), now: fixedNow)
        let bus = EventBus()
        // No bundles: every permit gets a certificate of its own (kind LJ, from the event).
        CertificateRegistry.subscribe(to: bus, bundles: [:], keys: keys)
        events = bus
        batch = (1...batchSize).map { index in
            PermitIssued(
                applicationID: "app-\(index)", bundle: nil, projectID: "p1", projectCode: projectCode, projectName: projectName,
                district: district, holderName: holderName, holderUSCC: holderUSCC,
                permits: [IssuedPermit(item: wastePermit.item, name: wastePermit.name, department: wastePermit.department,
                                       certificateKind: wastePermit.kind, certificateTemplate: wastePermit.template,
                                       validityDays: wastePermit.validityDays)],
                issuedAt: fixedNow, issuedOn: issuedOn)
        }
    }

    func freshDatabase(in folder: URL? = nil) throws -> ScratchDatabase {
        try ScratchDatabase(migrations: [CertificateMigrations.self], folder: folder)
    }

    /// The whole batch in one write transaction.
    func issue(into database: AppDatabase) async throws {
        try await database.write { [events, batch] db in
            for event in batch {
                try events.publish(event, in: db, at: event.issuedAt)
            }
        }
    }

    /// After the measurement: the register holds the batch, numbered 1…4,589 without gaps.
    func check(_ database: AppDatabase) async throws {
        let (count, last) = try await database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM certificates") ?? 0,
             try String.fetchOne(db, sql: "SELECT max(number) FROM certificates") ?? "")
        }
        let expected = CertificateNumber(region: district, year: issuedOn.year, kind: wastePermit.kind, serial: batchSize).description
        guard count == batchSize, last == expected else {
            throw BenchmarkFailure("the register holds \(count) certificates, the last \(last); expected \(batchSize), \(expected)")
        }
    }
}

/// The claims the register builds for the same batch (numbers 420104-2026-LJ-000001…004589).
final class SignFixture: Sendable {
    let key: SigningKeys.Key
    let claims: [CertificateClaims]
    /// The first certificate's JWS before base64url (header JSON, claims JSON, signature bytes)
    /// and its signing input (`header.payload`), for the breakdown benchmarks; a key of their own
    /// for the raw signature.
    let jwsParts: [Data]
    let signingInput: Data
    let rawKey = Curve25519.Signing.PrivateKey()

    init() throws {
        key = try SigningKeys.load(from: try scratchFolder("keys").appendingPathComponent("keys"), now: fixedNow).active
        let validTo = issuedOn.adding(days: wastePermit.validityDays - 1)
        let permit = CertifiedPermit(item: wastePermit.item, name: wastePermit.name, department: wastePermit.department, validTo: validTo)
        claims = (1...batchSize).map { serial in
            CertificateClaims(number: CertificateNumber(region: district, year: issuedOn.year, kind: wastePermit.kind, serial: serial),
                              holderName: holderName, holderUSCC: holderUSCC, projectCode: projectCode, projectName: projectName,
                              permits: [permit], validFrom: issuedOn, validTo: validTo)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let jws = try CompactJWS.sign(claims[0], with: key)
        let encoded = jws.split(separator: ".").map(String.init)
        guard encoded.count == 3, let header = Data(base64URLEncoded: encoded[0]), let signature = Data(base64URLEncoded: encoded[2]) else {
            throw BenchmarkFailure("not a compact JWS: \(jws)")
        }
        jwsParts = [header, try encoder.encode(claims[0]), signature]
        guard jwsParts[1].base64URLEncoded == encoded[1] else { throw BenchmarkFailure("the claims encode differently from CompactJWS") }
        signingInput = Data("\(encoded[0]).\(encoded[1])".utf8)
    }

    /// Signs every claim and builds its QR text; returns the total length (kept alive by blackHole).
    func signAll() throws -> Int {
        var total = 0
        for claim in claims {
            let qr = qrPrefix + (try CompactJWS.sign(claim, with: key))
            total &+= qr.utf8.count
        }
        return total
    }
}

/// A register of one batch and the service over it, with a genuine, a forged and an oversize QR
/// text; built in each verification benchmark's setup (about a second), removed in its teardown.
final class VerifyFixture: Sendable {
    let database: ScratchDatabase
    let service: CertificateService
    /// The genuine certificate's number and its stored JSON document.
    let number: String
    let document: String
    /// The genuine certificate's signature, what it signs, and the public key.
    let signature: Data
    let signingInput: Data
    let publicKey: Curve25519.Signing.PublicKey
    /// The genuine certificate's JWS, as `/v/{jws}` passes it to `verify`, and its whole QR text.
    let genuine: String
    let qrText: String
    let forged: String
    let oversize: String

    init() async throws {
        let issuing = try IssueFixture()
        database = try issuing.freshDatabase(in: try scratchFolder("verify"))
        try await issuing.issue(into: database.database)
        try await issuing.check(database.database)
        service = try await CertificateService(
            database: database.database, events: issuing.events, keys: issuing.keys,
            dependencies: Dependencies(now: { fixedNow }, makeID: { UUID().uuidString }, randomBytes: { Array(repeating: 7, count: $0) }),
            timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        // A certificate from the middle of the register, as its QR reads.
        let number = CertificateNumber(region: district, year: issuedOn.year, kind: wastePermit.kind, serial: batchSize / 2).description
        self.number = number
        let (jws, document) = try await database.database.read { db in
            (try CertificateRegistry.certificate(number: number, in: db)?.jws,
             try String.fetchOne(db, sql: "SELECT document FROM certificates WHERE number = ?", arguments: [number]))
        }
        guard let jws, let document else { throw BenchmarkFailure("certificate \(number) is not in the register") }
        self.document = document
        genuine = jws
        qrText = qrPrefix + jws
        // The forger's edit: another holder in the claims, the genuine signature kept.
        let parts = jws.split(separator: ".").map(String.init)
        guard parts.count == 3, let payload = Data(base64URLEncoded: parts[1]) else { throw BenchmarkFailure("not a compact JWS: \(jws)") }
        let altered = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: holderName, with: "武汉某某渣土运输有限公司")
        guard altered != String(decoding: payload, as: UTF8.self) else { throw BenchmarkFailure("the holder is not in the claims") }
        guard let signature = Data(base64URLEncoded: parts[2]) else { throw BenchmarkFailure("bad signature part: \(jws)") }
        self.signature = signature
        signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        publicKey = issuing.keys.active.publicKey
        forged = [parts[0], Data(altered.utf8).base64URLEncoded, parts[2]].joined(separator: ".")
        oversize = String(repeating: "A", count: 5_000)
    }
}


/// One issued 综合许可证 (ZJ-SGXK + YL-LDZY) on the whole service's wiring, with its renderer.
final class ImageFixture: Sendable {
    let lifecycle: LifecycleFixture
    let certificate: Certificate
    let renderer: CertificateRenderer
    let qrText: String
    let authority = "武汉市硚口区行政审批局"

    init() async throws {
        lifecycle = try await LifecycleFixture()
        let issued = try await lifecycle.lifecycle(number: 1)
        guard let certificate = try await lifecycle.services.certificates.certificates(applicationID: issued.id).first,
              let renderer = lifecycle.services.certificates.renderer else { throw BenchmarkFailure("no certificate or renderer") }
        self.certificate = certificate
        self.renderer = renderer
        qrText = qrPrefix + certificate.jws
    }

    func cachedImage() async throws -> Data {
        try await lifecycle.services.certificates.image(certificate.number.description, for: lifecycle.issuer, qrText: qrText, authority: authority)
    }
}
