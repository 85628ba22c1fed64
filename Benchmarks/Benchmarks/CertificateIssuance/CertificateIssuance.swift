import Benchmark
import BenchmarkSupport
import Certificates
import Crypto
import Foundation
import GRDB
import Kernel
import Synchronization

// The register's part of issuing, at the seed's figure: 4,589 certificates in ONE write
// transaction. Each is one 90-day 城市建筑垃圾处置核准 (CG-JZLJ, kind LJ) of its own application,
// published as a `PermitIssued` event on a bus where ONLY `CertificateRegistry` is subscribed: the
// event's outbox row, then the subscriber numbers the certificate (gap-free serial, upsert), builds
// and signs its claims (Ed25519 compact JWS), inserts it into the register and publishes
// `CertificateIssued` (a second outbox row). NOT the issuing path a user's request takes: no
// application, no state change, no supervision tasks, notifications, audit records, credit or
// other subscribers. The real path (applications confirmed by 汉川 on the whole service's wiring)
// is "DisposalIssue4589" in WasteDisposalBenchmarks; a whole application's lifecycle is
// ApprovalLifecycle.
//
// "RegisterBatch4589"  number + sign + register row + outbox rows, 4,589 times, in one
//                      `database.write` on a fresh database (created before the measurement
//                      starts, so numbering starts at 1).
// "SignOnly4589"       the same 4,589 claims signed with `CompactJWS.sign`, plus the QR text
//                      `https://sg.example.cn/v/<jws>`, no database: the baseline.
// "RegisterVsSign4589" both, one after the other, in every iteration; reports the per-iteration ratio.
//
// Verification. `CertificateService.verify` keeps two caches: `CertificateVerifier`'s verified
// tokens and `RegisterCache`'s decoded register entries, each up to 50,000 entries
// (`rememberedLimit`), emptied whole when full. A benchmark that passes the same token again and
// again measures those caches after its first iteration, so each check is measured twice:
// "…Warm"  the same QR text every iteration (a register of 4,589 certificates): the caches' figure,
//          what a certificate scanned again and again costs.
// "…Cold"  a register of `coldCount` = 60,000 certificates, more than either cache holds, and every
//          iteration the next of them in a fixed shuffled order: no certificate is checked twice in
//          a run (at most 50,100 iterations including warm-up), so every check misses both caches,
//          does the Ed25519 check and reads and decodes the register row.
// "VerifyWarm" / "VerifyCold"                    `CertificateService.verify` with what `/v/{jws}` passes (the bare JWS).
// "VerifySignatureWarm" / "VerifySignatureCold"  `CertificateVerifier.verify` alone (no database).
// "VerifyLookupOnly" / "VerifyLookupCold"        the register read on a cache miss
//                                                (`CertificateRegistry.certificate(number:)`: SELECT + decode; the
//                                                service's RegisterCache is internal to the module and not called):
//                                                one row again and again / a different row of 60,000 every time.
// "VerifyColdVsWarm"   on the 60,000 register, every iteration: the bare Ed25519 check, a warm
//                      verify and a cold verify, timed separately; reports cold / warm and
//                      cold / Ed25519 per iteration (the same-run ratios to quote).
// "VerifyForged"       a forgery (payload altered, signature kept): never cached (only successes are
//                      remembered), so always a full Ed25519 check. "VerifyOversize": 5,000 characters.
// The rest split the costs: "Ed25519VerifyRaw" (the bare signature check), "ExtractJWS"/
// "ExtractJWSFromURL" (finding the JWS in the text), "DecodeStoredCertificate" (the register row's
// JSON), "ParseCertificateNumber"; for signing, "Base64URLJWSParts" against "Base64JWSParts" (Kernel's
// base64url against plain base64) and "Ed25519SignRaw".
// "RenderPNGCold"   a 综合许可证 (3 permits) drawn as PNG from its layout, QR and seal included,
//                   every time (what a first request for the image costs).
// "RenderPNGCached" `CertificateService.image` once the image is cached on disk (every later request).
// See README.md for the numbers.

/// Certificates in one batch: the seed's figure.
let batchSize = 4_589

/// Certificates in the register of the cold verification benchmarks: more than either cache of
/// `CertificateService.verify` remembers (`CertificateVerifier.rememberedLimit` and
/// `RegisterCache.rememberedLimit`, 50,000 each, internal to the module).
let coldCount = 60_000

/// One operation per iteration (microseconds): the verification benchmarks and the breakdowns.
var microConfiguration: Benchmark.Configuration {
    .init(metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 100,
          maxDuration: .seconds(3), maxIterations: 50_000)
}

/// The cold benchmarks take one certificate per iteration: 100 warm-up + at most 50,000 measured
/// iterations stay below `coldCount`, so none is checked twice in a run.
var coldConfiguration: Benchmark.Configuration {
    var configuration = microConfiguration
    configuration.maxIterations = coldCount - 10_000
    return configuration
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

    // The register's share of issuing (see the header): not the issuing path, which is
    // WasteDisposalBenchmarks' "DisposalIssue4589".
    Benchmark("RegisterBatch4589") { benchmark, fixture in
        do {
            let database = try fixture.freshDatabase()
            benchmark.startMeasurement()
            try await fixture.issue(into: database.database)
            benchmark.stopMeasurement()
            try await fixture.check(database.database)
            database.remove()
        } catch {
            benchmark.error("registering failed: \(error)")
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
    Benchmark("RegisterVsSign4589", configuration: .init(
        metrics: [.wallClock, Interleaved.sign, Interleaved.register, Interleaved.ratio],
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
            let sign = microseconds(middle - start), register = microseconds(end - middle)
            benchmark.measurement(Interleaved.sign, sign / 1_000)
            benchmark.measurement(Interleaved.register, register / 1_000)
            benchmark.measurement(Interleaved.ratio, register * 100 / max(sign, 1))
        } catch {
            benchmark.error("interleaved run failed: \(error)")
        }
    } setup: {
        InterleavedFixtures(issue: try IssueFixture(), sign: try SignFixture())
    }

    // Verification: one QR text per iteration, against a register holding one batch (warm) or
    // 60,000 certificates (cold).
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

    // The same genuine QR every iteration: after the first, both caches answer (the verified
    // token, the decoded register entry); what is left is parsing the header, the two cache
    // look-ups and the row's revision read.
    Benchmark("VerifyWarm", configuration: verifyConfiguration) { benchmark, fixture in
        do {
            let verification = try await fixture.service.verify(fixture.genuine)
            guard verification.isValid else { throw BenchmarkFailure("a genuine certificate verified as \(verification)") }
        } catch {
            benchmark.error("verify failed: \(error)")
        }
    } setup: {
        try await VerifyFixture()
    }

    // A certificate never checked before in the run, every iteration (60,000 in the register, more
    // than either cache holds): the Ed25519 check, the register read and decode, every time.
    Benchmark("VerifyCold", configuration: coldConfiguration) { benchmark, fixture in
        do {
            let verification = try await fixture.service.verify(fixture.nextCold().jws)
            guard verification.isValid else { throw BenchmarkFailure("a genuine certificate verified as \(verification)") }
        } catch {
            benchmark.error("verify failed: \(error)")
        }
    } setup: {
        try await VerifyFixture(count: coldCount)
    }

    // Both, and the bare Ed25519 check, in every iteration on the same register of 60,000: the
    // ratios cold / warm and cold / Ed25519 of one moment of the machine.
    Benchmark("VerifyColdVsWarm", configuration: .init(
        metrics: [.wallClock, ColdWarm.raw, ColdWarm.warm, ColdWarm.cold, ColdWarm.coldOverWarm, ColdWarm.coldOverRaw],
        timeUnits: .microseconds,
        warmupIterations: 100,
        maxDuration: .seconds(5),
        maxIterations: coldCount - 10_000
    )) { (benchmark: Benchmark, fixture: VerifyFixture) async in
        do {
            let cold = fixture.nextCold().jws
            let clock = ContinuousClock()
            let start = clock.now
            let rawValid = fixture.publicKey.isValidSignature(fixture.signature, for: fixture.signingInput)
            let afterRaw = clock.now
            let warm = try await fixture.service.verify(fixture.genuine)
            let afterWarm = clock.now
            let fresh = try await fixture.service.verify(cold)
            let end = clock.now
            guard rawValid, warm.isValid, fresh.isValid else {
                throw BenchmarkFailure("a genuine certificate failed: raw \(rawValid), warm \(warm), cold \(fresh)")
            }
            let raw = nanoseconds(afterRaw - start), warmTime = nanoseconds(afterWarm - afterRaw), coldTime = nanoseconds(end - afterWarm)
            benchmark.measurement(ColdWarm.raw, raw)
            benchmark.measurement(ColdWarm.warm, warmTime)
            benchmark.measurement(ColdWarm.cold, coldTime)
            benchmark.measurement(ColdWarm.coldOverWarm, coldTime * 100 / max(warmTime, 1))
            benchmark.measurement(ColdWarm.coldOverRaw, coldTime * 100 / max(raw, 1))
        } catch {
            benchmark.error("verify failed: \(error)")
        }
    } setup: {
        try await VerifyFixture(count: coldCount)
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
    // verify` does offline). Warm: the same token, answered by the verifier's cache after the
    // first iteration (no Ed25519 check); cold: a token never checked before, every iteration.
    Benchmark("VerifySignatureWarm", configuration: verifyConfiguration) { benchmark, fixture in
        guard case .success = await fixture.service.verifier.verify(fixture.genuine) else {
            benchmark.error("the genuine certificate failed the signature check")
            return
        }
    } setup: {
        try await VerifyFixture()
    }

    Benchmark("VerifySignatureCold", configuration: coldConfiguration) { benchmark, fixture in
        guard case .success = await fixture.service.verifier.verify(fixture.nextCold().jws) else {
            benchmark.error("a genuine certificate failed the signature check")
            return
        }
    } setup: {
        try await VerifyFixture(count: coldCount)
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

    // The rest of a verification: the register read `RegisterCache` makes on a miss (one read:
    // SELECT the stored document by primary key, decode it; the cache itself is internal to the
    // module, so its hit, a revision read, is in VerifyWarm only), on one row again and again (its
    // pages stay in SQLite's cache) and on a different row of 60,000 every iteration; then its
    // decoding alone (no database).
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

    Benchmark("VerifyLookupCold", configuration: coldConfiguration) { benchmark, fixture in
        do {
            let number = fixture.nextCold().number
            let found = try await fixture.database.database.read { db in
                try CertificateRegistry.certificate(number: number, in: db)
            }
            guard found != nil else { throw BenchmarkFailure("certificate \(number) not found") }
        } catch {
            benchmark.error("lookup failed: \(error)")
        }
    } setup: {
        try await VerifyFixture(count: coldCount)
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

/// The custom metrics of "RegisterVsSign4589".
enum Interleaved {
    static let sign = BenchmarkMetric.custom("Sign-only batch (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    static let register = BenchmarkMetric.custom("Register batch (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Register-batch time over sign-only time, ×100: 250 means the batch costs 2.5 times the signing alone.
    static let ratio = BenchmarkMetric.custom("Register / sign-only (x100)", polarity: .prefersSmaller, useScalingFactor: false)
}

/// The custom metrics of "VerifyColdVsWarm" (nanoseconds per check; ratios ×100 per iteration).
enum ColdWarm {
    static let raw = BenchmarkMetric.custom("Ed25519 raw (ns)", polarity: .prefersSmaller, useScalingFactor: false)
    static let warm = BenchmarkMetric.custom("Verify warm (ns)", polarity: .prefersSmaller, useScalingFactor: false)
    static let cold = BenchmarkMetric.custom("Verify cold (ns)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Cold over warm, ×100: 1000 means a cold check costs 10 warm ones.
    static let coldOverWarm = BenchmarkMetric.custom("Cold / warm (x100)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Cold over the bare Ed25519 check, ×100.
    static let coldOverRaw = BenchmarkMetric.custom("Cold / Ed25519 (x100)", polarity: .prefersSmaller, useScalingFactor: false)
}

func nanoseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
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

/// The signing keys and the 4,589 (or `count`) `PermitIssued` events, built once; a fresh database
/// per iteration.
final class IssueFixture: Sendable {
    let keys: SigningKeys
    let events: EventBus
    let batch: [PermitIssued]

    init(count: Int = batchSize) throws {
        keys = try SigningKeys.load(from: try scratchFolder("keys").appendingPathComponent("keys"), now: fixedNow)
        let bus = EventBus()
        // No bundles: every permit gets a certificate of its own (kind LJ, from the event).
        CertificateRegistry.subscribe(to: bus, bundles: [:], keys: keys)
        events = bus
        batch = (1...count).map { index in
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

    /// After the measurement: the register holds the batch, numbered 1…4,589 (1…count) without gaps.
    func check(_ database: AppDatabase) async throws {
        let batchSize = batch.count
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

/// A register of one batch (4,589 certificates, or `count`) and the service over it, with a
/// genuine, a forged and an oversize QR text, and every certificate's number and JWS in a fixed
/// shuffled order for the cold benchmarks; built in each verification benchmark's setup (about a
/// second for 4,589, 10–20 s for 60,000), removed in its teardown.
final class VerifyFixture: Sendable {
    let database: ScratchDatabase
    /// Every certificate of the register (number, JWS), shuffled with a fixed seed so that
    /// consecutive cold checks read rows far apart, and the position of the next cold check.
    let register: [(number: String, jws: String)]
    private let position = Atomic<Int>(0)
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

    init(count: Int = batchSize) async throws {
        let issuing = try IssueFixture(count: count)
        database = try issuing.freshDatabase(in: try scratchFolder("verify"))
        try await issuing.issue(into: database.database)
        try await issuing.check(database.database)
        service = try await CertificateService(
            database: database.database, events: issuing.events, keys: issuing.keys,
            dependencies: Dependencies(now: { fixedNow }, makeID: { UUID().uuidString }, randomBytes: { Array(repeating: 7, count: $0) }),
            timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        // A certificate from the middle of the register, as its QR reads.
        let number = CertificateNumber(region: district, year: issuedOn.year, kind: wastePermit.kind, serial: count / 2).description
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
        var rows = try await database.database.read { db in
            try Row.fetchAll(db, sql: "SELECT number, json_extract(document, '$.jws') AS jws FROM certificates ORDER BY number")
                .map { (number: $0["number"] as String, jws: $0["jws"] as String) }
        }
        guard rows.count == count else { throw BenchmarkFailure("the register holds \(rows.count) certificates, expected \(count)") }
        var generator = SplitMix64(seed: 20_261_123)
        rows.shuffle(using: &generator)
        register = rows
    }

    /// The next certificate of the shuffled register, a different one each call (wrapping after `count`).
    func nextCold() -> (number: String, jws: String) {
        register[position.wrappingAdd(1, ordering: .relaxed).oldValue % register.count]
    }
}

/// A seeded generator, so every run checks the certificates in the same order.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
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
