import Approval
import BenchmarkSupport
import Certificates
import Foundation
import GRDB
import Kernel
import Supervision
import WebApp

// The database behind Scripts/load-scans.sh: vehicle certificates of 建筑垃圾处置核准 permits and
// the scans inspectors recorded of them, built on the whole service's wiring (AppServices), so
// that `shenguan serve --demo --db <it>` serves it.
//
//   ScanLoadSeed --db FILE --codes-out FILE [--certificates 100000] [--scans 1000000] [--codes 12000] [--days 20]
//
// 1. Certificates, through the real path: disposal applications of ≈158 vehicles each (as the seed:
//    29 sites per 26 firms), each submitted as the capability's route submits it, accepted, approved
//    by city-management and confirmed by 汉川 (`ApprovalService.meetCondition`, which seals the
//    permit and issues one certificate per vehicle, with tasks, audit, outbox), one application at
//    a time. The clock stands `--days` days back while they are issued, so the scans that follow
//    fall between issuance and now.
// 2. Scans, through the same store code as `ScanService.record` but in large transactions (5,000
//    scans each) and without the signature check: per scan the `scans` row (a `Scan` document), the
//    `certificate.scanned` audit record and `ScanRecorded` published on the service's bus, so every
//    subscriber runs as it does for a live scan (the trips kept by waste disposal's TripKeeper, the
//    running volumes, the outbox). Every certificate is scanned the same number of times (10 for
//    the defaults), as four closed trips: 硚口 origin → 东西湖 transit → 汉川 disposal twice, then
//    origin → disposal twice; times are spread evenly from issuance to now. All scans are of valid
//    certificates in regions on their route, so none raises a finding (ScanService would not either).
// 3. `--codes-out`: `--codes` distinct certificates spread over the register, one line each,
//    "<inspector username>\t<checkpoint>\t<QR text>", the three regions' inspectors in turn (what
//    the wrk script sends).
//
// Progress goes to stderr.

struct Arguments {
    var database = ""
    var codesOut = ""
    var certificates = 100_000
    var scans = 1_000_000
    var codes = 12_000
    var days = 20

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw BenchmarkFailure("\(flag) needs a value") }
            switch flag {
            case "--db": database = value
            case "--codes-out": codesOut = value
            case "--certificates": certificates = Int(value) ?? -1
            case "--scans": scans = Int(value) ?? -1
            case "--codes": codes = Int(value) ?? -1
            case "--days": days = Int(value) ?? -1
            default: throw BenchmarkFailure("unknown option \(flag)")
            }
        }
        guard !database.isEmpty, !codesOut.isEmpty, certificates > 0, scans >= 0, codes > 0, codes <= certificates, (1...60).contains(days) else {
            throw BenchmarkFailure("usage: ScanLoadSeed --db FILE --codes-out FILE [--certificates N] [--scans N] [--codes N ≤ certificates] [--days 1–60]")
        }
    }
}

/// The demo's inspectors (SampleProjects/accounts.yaml) at the checkpoints of the seed's route.
struct Inspector {
    let username: String
    let actor: Actor
    let checkpoint: Checkpoint

    static let origin = Inspector(username: "inspector-cg-qk", actor: Actor(id: "seed-inspector-cg-qk", username: "inspector-cg-qk", name: "胡斌",
                                                                            role: .inspector, department: "city-management", region: "420104"),
                                  checkpoint: .origin)
    static let transitCityManagement = Inspector(
        username: "inspector-cg-dxh", actor: Actor(id: "seed-inspector-cg-dxh", username: "inspector-cg-dxh", name: "郭涛", role: .inspector,
                                                   department: "city-management", region: "420112"), checkpoint: .transit)
    static let transitTraffic = Inspector(
        username: "inspector-jj-dxh", actor: Actor(id: "seed-inspector-jj-dxh", username: "inspector-jj-dxh", name: "梁成", role: .inspector,
                                                   department: "traffic-police", region: "420112"), checkpoint: .transit)
    static let disposal = Inspector(username: "inspector-cg-hc", actor: Actor(id: "seed-inspector-cg-hc", username: "inspector-cg-hc", name: "罗勇",
                                                                              role: .inspector, department: "city-management", region: "420984"),
                                    checkpoint: .disposal)
    /// Ten scans, four closed trips.
    static let pattern: [Inspector] = [origin, transitTraffic, disposal, origin, transitCityManagement, disposal, origin, disposal, origin, disposal]
}

/// A `Scan` as ScanService stores it (same keys; checked against `Scan` once).
struct StoredScan: Encodable {
    let id: String
    let at: Date
    let inspectorID: String
    let inspectorName: String
    let department: String
    let region: String
    let checkpoint: Checkpoint
    let certificateNumber: String?
    let valid: Bool
    let outcome: String
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("scan-seed: \(message)\n".utf8))
}

let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
guard !FileManager.default.fileExists(atPath: arguments.database) else { throw BenchmarkFailure("\(arguments.database) exists: seed a fresh path") }
let realStart = Date()
let issuedAt = realStart.addingTimeInterval(-Double(arguments.days) * 86_400)
let clock = ContinuousClock()
let began = clock.now
func elapsed() -> String { String(format: "%.0f s", Double(microseconds(clock.now - began)) / 1e6) }

// ---- 1. certificates, through the real path ------------------------------------------------------
let configuration = AppConfiguration(
    databasePath: arguments.database, catalogDirectory: catalogDirectory, openAPIFile: repositoryRoot.appendingPathComponent("openapi.yaml"),
    templatesDirectory: repositoryRoot.appendingPathComponent("Templates"), bcryptCost: 4,
    dependencies: Dependencies(now: { issuedAt }, makeID: Dependencies.live.makeID, randomBytes: Dependencies.live.randomBytes))
let services = try await AppServices(configuration: configuration)
let siteCount = (arguments.certificates + 157) / 158
let sites = try await DisposalSites(services: services, siteCount: siteCount, firmCount: max(1, siteCount * 26 / 29), codeBase: 700_000)
let today = services.catalog.calendar.today(at: issuedAt)
var plate = 0
var confirmTimes: [Int] = []
for (site, vehicles) in zip(sites.sites, DisposalSites.split(arguments.certificates, over: siteCount)) {
    let id = try await sites.awaitingConfirmation(site, plates: plate..<(plate + vehicles), validFrom: today, validTo: today.adding(days: 89))
    let start = clock.now
    let issued = try await sites.confirm(id)
    confirmTimes.append(microseconds(clock.now - start))
    guard issued.status == .issued else { throw BenchmarkFailure("application \(id) ended \(issued.status)") }
    plate += vehicles
    if (site.index + 1) % 50 == 0 || site.index + 1 == siteCount {
        let recent = confirmTimes.suffix(50).sorted()
        log("\(site.index + 1)/\(siteCount) applications issued, \(plate) certificates, \(elapsed()); confirmation p50 of the last " +
            "\(recent.count): \(recent[recent.count / 2] / 1_000) ms")
    }
}

let certificates = try await services.database.read { db in
    try Row.fetchAll(db, sql: "SELECT number, application_id FROM certificates WHERE number LIKE '%-LJ-%-%' ORDER BY number")
        .map { (number: $0["number"] as String, applicationID: $0["application_id"] as String) }
}
guard certificates.count == arguments.certificates else {
    throw BenchmarkFailure("expected \(arguments.certificates) vehicle certificates, the register holds \(certificates.count)")
}

// ---- 2. scans, in large transactions -------------------------------------------------------------
let events = services.engines.events
let perCertificate = max(1, arguments.scans / certificates.count)
// From a minute after issuance to an hour before the seed started.
let step = (realStart.timeIntervalSince(issuedAt) - 3_660) / Double(max(arguments.scans, 1))
let batch = 5_000
var written = 0
while written < arguments.scans {
    let range = written..<min(written + batch, arguments.scans)
    try await services.database.write { db in
        for index in range {
            let certificate = certificates[(index / perCertificate) % certificates.count]
            let inspector = Inspector.pattern[(index % perCertificate) % Inspector.pattern.count]
            let at = issuedAt.addingTimeInterval(60 + Double(index) * step)
            let scan = StoredScan(id: UUID().uuidString.lowercased(), at: at, inspectorID: inspector.actor.id, inspectorName: inspector.actor.name,
                                  department: inspector.actor.department!, region: inspector.actor.region!, checkpoint: inspector.checkpoint,
                                  certificateNumber: certificate.number, valid: true, outcome: "valid")
            let document = try StoredJSON.encode(scan)
            if index == 0 {
                let decoded = try StoredJSON.decode(Scan.self, from: document)
                guard decoded.certificateNumber == certificate.number, decoded.checkpoint == inspector.checkpoint else {
                    throw BenchmarkFailure("a seeded scan does not read back as a Scan: \(document)")
                }
            }
            let event = ScanRecorded(scanID: scan.id, certificateNumber: certificate.number, applicationID: certificate.applicationID, valid: true,
                                     checkpoint: inspector.checkpoint.rawValue, inspector: inspector.actor.name, department: scan.department,
                                     region: scan.region)
            try db.execute(sql: """
                INSERT INTO scans (id, at, certificate_number, inspector_id, region, valid, document) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [scan.id, scan.at, scan.certificateNumber, scan.inspectorID, scan.region, scan.valid, document])
            try AuditLog.append(AuditEntry(actor: inspector.actor, action: "certificate.scanned", subject: event.subject,
                                           detail: ["checkpoint": inspector.checkpoint.rawValue, "outcome": scan.outcome]), in: db, at: at)
            try events.publish(event, in: db, at: at)
        }
    }
    written = range.upperBound
    if written % 100_000 == 0 || written == arguments.scans { log("\(written)/\(arguments.scans) scans, \(elapsed())") }
}

// ---- 3. the codes the load test scans ------------------------------------------------------------
let chosen = (0..<arguments.codes).map { certificates[$0 * certificates.count / arguments.codes].number }
let jws = try await services.database.read { db in
    try chosen.map { number in
        guard let jws = try CertificateRegistry.certificate(number: number, in: db)?.jws else { throw BenchmarkFailure("\(number) vanished") }
        return jws
    }
}
let walk = [Inspector.origin, Inspector.transitCityManagement, Inspector.transitTraffic, Inspector.disposal]
let lines = jws.enumerated().map { index, jws in
    let inspector = walk[index % walk.count]
    return "\(inspector.username)\t\(inspector.checkpoint.rawValue)\thttps://sg.example.cn/v/\(jws)"
}
try (lines.joined(separator: "\n") + "\n").write(toFile: arguments.codesOut, atomically: true, encoding: .utf8)

let counts = try await services.database.read { db in
    try ["certificates", "scans", "waste_trips", "audit_log", "domain_events", "supervision_tasks", "applications"].map { table in
        "\(table) \(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0)"
    }
}
// Everything into the main file, so that the database is one file to copy.
try services.database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
log("done in \(elapsed()): " + counts.joined(separator: ", ") + "; \(lines.count) codes")
