import Approval
import Benchmark
import BenchmarkSupport
import Certificates
import Foundation
import GRDB
import Kernel
import Synchronization
import WebApp

// 建筑垃圾处置核准: one certificate per vehicle (Sources/WasteDisposal, CertificateRegistry.issueSeries),
// on the whole service's wiring (AppServices: the capability's permit terms, seal on approval and
// subscribers, certificates, supervision tasks, credit, audit, outbox) and SQLite, fixed clock
// 2026-11-23 10:00 +08:00. See README.md for what each benchmark measures and the numbers.
//
// "DisposalIssue4589"   the seed's 4,589 vehicle certificates: 29 sites of 26 firms, one disposal
//                       application per site (7 × 159 + 22 × 158 vehicles), each taken unmeasured
//                       to its last approving step (submitted as the capability's route submits it,
//                       accepted, approved by city-management); then, measured, 汉川's 29
//                       confirmations one after another through `ApprovalService.meetCondition`,
//                       each of which seals its permit and issues its series in one transaction.
//                       In the same iteration, just before, the baseline: the same 4,589 vehicle
//                       claims signed (`CompactJWS.sign`) with their QR text, no database.
// "RenderVehicleCold"   one vehicle certificate drawn as PNG by `CertificateRenderer` (no cache), a
//                       different one every iteration.
// "RenderComprehensiveCold"  the same for a 综合许可证 (ZJ-SGXK + YL-LDZY), a different one every iteration.
// "RenderVehicleVsComprehensive"  both in every iteration, with the ratio.

/// The seed: 29 sites of 26 firms, 4,589 vehicle certificates.
let seedSites = 29, seedFirms = 26, seedVehicles = 4_589
/// Distinct certificates drawn by the render benchmarks (each iteration draws the next one).
let renderCount = 320
let qrPrefix = "https://sg.example.cn/v/"
let authority = "武汉市硚口区行政审批局"
let validFrom = benchmarkDay.adding(days: 1), validTo = benchmarkDay.adding(days: 92)

let benchmarks: @Sendable () -> Void = {
    Benchmark.teardown = { removeScratchFolders() }

    Benchmark("DisposalIssue4589", configuration: .init(
        metrics: [.wallClock, Issue.signOnly, Issue.issue, Issue.ratio, Issue.perApplication],
        timeUnits: .milliseconds,
        // Always 1 + 8 iterations; each builds its own service and 29 approved applications first
        // (unmeasured, about 10 s), so the time limit is only a guard.
        warmupIterations: 1,
        maxDuration: .seconds(300),
        maxIterations: 8
    )) { (benchmark: Benchmark, signer: VehicleSigner) async in
        do {
            let round = try await IssueRound()
            let clock = ContinuousClock()
            let start = clock.now
            blackHole(try signer.signAll())
            let signed = clock.now
            var latencies: [Int] = []
            benchmark.startMeasurement()
            for id in round.applications {
                let before = clock.now
                let issued = try await round.sites.confirm(id)
                latencies.append(microseconds(clock.now - before))
                guard issued.status == .issued else { throw BenchmarkFailure("application \(id) ended \(issued.status) after 汉川's confirmation") }
            }
            benchmark.stopMeasurement()
            let end = clock.now
            try await round.check()
            round.remove()
            let sign = microseconds(signed - start), issue = microseconds(end - signed)
            benchmark.measurement(Issue.signOnly, sign / 1_000)
            benchmark.measurement(Issue.issue, issue / 1_000)
            benchmark.measurement(Issue.ratio, issue * 100 / max(sign, 1))
            for latency in latencies { benchmark.measurement(Issue.perApplication, latency / 1_000) }
            IssueRound.trace("sign-only \(sign / 1_000) ms, issue \(issue / 1_000) ms (29 confirmations; slowest \(latencies.max()! / 1_000) ms, " +
                             "fastest \(latencies.min()! / 1_000) ms), issue/sign \(Double(issue) / Double(max(sign, 1)))")
        } catch {
            benchmark.error("disposal issuance failed: \(error)")
        }
    } setup: {
        try VehicleSigner()
    }

    let renderConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .milliseconds, warmupIterations: 10,
        maxDuration: .seconds(6), maxIterations: renderCount - 10)

    Benchmark("RenderVehicleCold", configuration: renderConfiguration) { (benchmark: Benchmark, fixture: RenderFixture) in
        do {
            blackHole(try fixture.renderVehicle())
        } catch {
            benchmark.error("render failed: \(error)")
        }
    } setup: {
        try await RenderFixture(vehicles: true, comprehensive: false)
    }

    Benchmark("RenderComprehensiveCold", configuration: renderConfiguration) { (benchmark: Benchmark, fixture: RenderFixture) in
        do {
            blackHole(try fixture.renderComprehensive())
        } catch {
            benchmark.error("render failed: \(error)")
        }
    } setup: {
        try await RenderFixture(vehicles: false, comprehensive: true)
    }

    var interleavedRender = renderConfiguration
    interleavedRender.metrics = [.wallClock, Render.vehicle, Render.comprehensive, Render.ratio]
    Benchmark("RenderVehicleVsComprehensive", configuration: interleavedRender) { (benchmark: Benchmark, fixture: RenderFixture) in
        do {
            let clock = ContinuousClock()
            let start = clock.now
            blackHole(try fixture.renderVehicle())
            let middle = clock.now
            blackHole(try fixture.renderComprehensive())
            let end = clock.now
            let vehicle = microseconds(middle - start), comprehensive = microseconds(end - middle)
            benchmark.measurement(Render.vehicle, vehicle)
            benchmark.measurement(Render.comprehensive, comprehensive)
            benchmark.measurement(Render.ratio, vehicle * 100 / max(comprehensive, 1))
        } catch {
            benchmark.error("render failed: \(error)")
        }
    } setup: {
        try await RenderFixture(vehicles: true, comprehensive: true)
    }
}

/// The custom metrics of "DisposalIssue4589".
enum Issue {
    static let signOnly = BenchmarkMetric.custom("Sign-only 4,589 claims (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    static let issue = BenchmarkMetric.custom("Issue 4,589 via 29 confirmations (ms)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Issue time over sign-only time, ×100.
    static let ratio = BenchmarkMetric.custom("Issue / sign-only (x100)", polarity: .prefersSmaller, useScalingFactor: false)
    /// One confirmation (≈ 158 certificates), one measurement per application.
    static let perApplication = BenchmarkMetric.custom("One confirmation, ~158 vehicles (ms)", polarity: .prefersSmaller, useScalingFactor: false)
}

/// The custom metrics of "RenderVehicleVsComprehensive".
enum Render {
    static let vehicle = BenchmarkMetric.custom("Vehicle certificate (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    static let comprehensive = BenchmarkMetric.custom("综合许可证 (μs)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Vehicle over comprehensive, ×100.
    static let ratio = BenchmarkMetric.custom("Vehicle / comprehensive (x100)", polarity: .prefersSmaller, useScalingFactor: false)
}

/// One iteration's service: a fresh database with 29 sites and one disposal application per site,
/// each approved and waiting only for 汉川's confirmation (built before the measurement).
final class IssueRound: Sendable {
    let folder: URL
    let sites: DisposalSites
    let applications: [String]

    init() async throws {
        folder = try scratchFolder("waste-disposal")
        let services = try await appServices(in: folder)
        sites = try await DisposalSites(services: services, siteCount: seedSites, firmCount: seedFirms)
        var applications: [String] = []
        var next = 0
        for (site, vehicles) in zip(sites.sites, DisposalSites.split(seedVehicles, over: seedSites)) {
            applications.append(try await sites.awaitingConfirmation(site, plates: next..<(next + vehicles), validFrom: validFrom, validTo: validTo))
            next += vehicles
        }
        self.applications = applications
    }

    /// After the measurement: every vehicle has its certificate, numbered in its application's
    /// series (…-LJ-000001-0001 … -000029-0158), and every series opened its supervision tasks.
    func check() async throws {
        let (certificates, series, first, last, tasks) = try await sites.services.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM certificates") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(DISTINCT application_id) FROM certificates") ?? 0,
             try String.fetchOne(db, sql: "SELECT min(number) FROM certificates") ?? "",
             try String.fetchOne(db, sql: "SELECT max(number) FROM certificates") ?? "",
             try Int.fetchOne(db, sql: "SELECT count(*) FROM supervision_tasks") ?? 0)
        }
        guard certificates == seedVehicles, series == seedSites, first == "420104-2026-LJ-000001-0001", last == "420104-2026-LJ-000029-0158",
              tasks >= seedSites * 4 else {
            throw BenchmarkFailure("the register holds \(certificates) certificates of \(series) applications (\(first) … \(last)), \(tasks) tasks")
        }
    }

    /// Deletes the iteration's files (the database stays open until the round is released).
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// WASTE_DISPOSAL_TRACE=FILE (an existing file) gets one line per iteration appended.
    static func trace(_ line: String) {
        guard let path = ProcessInfo.processInfo.environment["WASTE_DISPOSAL_TRACE"], let file = FileHandle(forWritingAtPath: path) else { return }
        file.seekToEndOfFile()
        file.write(Data((line + "\n").utf8))
        file.closeFile()
    }
}

/// The claims `CertificateRegistry.issueSeries` signs for the seed's 4,589 vehicles (numbers
/// 420104-2026-LJ-000001-0001 …, the permit's details, the vehicle's plate and capacity, the route),
/// signed with a key of the same kind; the baseline of "DisposalIssue4589".
final class VehicleSigner: Sendable {
    let key: SigningKeys.Key
    let claims: [CertificateClaims]

    init() throws {
        key = try SigningKeys.load(from: try scratchFolder("keys").appendingPathComponent("keys"), now: fixedNow).active
        let permit = CertifiedPermit(item: "CG-JZLJ", name: "城市建筑垃圾处置核准", department: "city-management", validTo: validTo,
                                     details: [PermitDetail(key: "w", label: "建筑垃圾种类", value: "工程渣土"),
                                               PermitDetail(key: "x", label: "消纳场编号", value: DisposalSites.disposalSite.id)])
        let route = PermitRoute(origin: DisposalSites.origin, transit: [DisposalSites.transit], disposal: DisposalSites.disposal)
        var claims: [CertificateClaims] = []
        var next = 0
        for (site, vehicles) in DisposalSites.split(seedVehicles, over: seedSites).enumerated() {
            let series = CertificateNumber(region: DisposalSites.origin, year: benchmarkDay.year, kind: "LJ", serial: site + 1)
            for part in 1...vehicles {
                let subject = PermitSubject(kind: "plate", id: DisposalSites.plate(next), details: [
                    PermitDetail(key: "c", label: "核定容积（立方米）", value: String(DisposalSites.capacity(next))),
                ])
                claims.append(CertificateClaims(number: series.inSeries(part: part), holderName: "武汉出土置业\(site % seedFirms)号有限公司",
                                                holderUSCC: try DisposalSites.firm(site % seedFirms),
                                                projectCode: String(format: "2411-420104-04-01-%06d", 620_000 + site), projectName: "硚口出土基准工地\(site)号",
                                                permits: [permit], validFrom: benchmarkDay, validTo: validTo, subject: subject, route: route))
                next += 1
            }
        }
        self.claims = claims
    }

    /// Signs every claim and builds its QR text; returns the total length.
    func signAll() throws -> Int {
        var total = 0
        for claim in claims {
            total &+= (qrPrefix + (try CompactJWS.sign(claim, with: key))).utf8.count
        }
        return total
    }
}

/// `renderCount` issued vehicle certificates (two disposal applications of 160 vehicles) and/or
/// `renderCount` issued 综合许可证 (one lifecycle each), with the service's renderer; each render
/// takes the next one, so no certificate is drawn twice in a run.
final class RenderFixture: Sendable {
    let renderer: CertificateRenderer
    let vehicles: [Certificate]
    let comprehensive: [Certificate]
    private let next = Mutex((vehicle: 0, comprehensive: 0))

    init(vehicles wantVehicles: Bool, comprehensive wantComprehensive: Bool) async throws {
        let lifecycle = try await LifecycleFixture()
        let services = lifecycle.services
        guard let renderer = services.certificates.renderer else { throw BenchmarkFailure("the service has no renderer") }
        self.renderer = renderer
        var vehicles: [Certificate] = []
        if wantVehicles {
            let sites = try await DisposalSites(services: services, siteCount: 2, firmCount: 2)
            for (index, site) in sites.sites.enumerated() {
                let id = try await sites.awaitingConfirmation(site, plates: (index * renderCount / 2)..<((index + 1) * renderCount / 2),
                                                              validFrom: validFrom, validTo: validTo)
                _ = try await sites.confirm(id)
                vehicles += try await services.certificates.certificates(applicationID: id)
            }
            // Drawn as the vehicle's card when the certificate has a subject (the catalog's subjectTemplate).
            guard vehicles.count == renderCount, vehicles.allSatisfy({ $0.subject != nil }) else {
                throw BenchmarkFailure("expected \(renderCount) vehicle certificates with a plate, got \(vehicles.count): " +
                                       "\(vehicles.first.map { "\($0.template), \($0.subject?.id ?? "no subject")" } ?? "")")
            }
        }
        var comprehensive: [Certificate] = []
        if wantComprehensive {
            for number in 0..<renderCount {
                let issued = try await lifecycle.lifecycle(number: number)
                comprehensive += try await services.certificates.certificates(applicationID: issued.id)
            }
            guard comprehensive.count == renderCount, comprehensive.allSatisfy({ $0.template == "comprehensive-permit" }) else {
                throw BenchmarkFailure("expected \(renderCount) 综合许可证, got \(comprehensive.count)")
            }
        }
        self.vehicles = vehicles
        self.comprehensive = comprehensive
        // WASTE_DISPOSAL_PNG_DIR=DIR (an existing folder): the first of each kind written there, to look at.
        if let folder = ProcessInfo.processInfo.environment["WASTE_DISPOSAL_PNG_DIR"] {
            for (name, certificate) in [("vehicle", vehicles.first), ("comprehensive", comprehensive.first)] {
                guard let certificate else { continue }
                try renderer.render(certificate, qrText: qrPrefix + certificate.jws, authority: authority)
                    .write(to: URL(fileURLWithPath: folder).appendingPathComponent("\(name).png"))
            }
        }
    }

    func renderVehicle() throws -> Data {
        let certificate = vehicles[next.withLock { $0.vehicle += 1; return $0.vehicle - 1 } % vehicles.count]
        return try renderer.render(certificate, qrText: qrPrefix + certificate.jws, authority: authority)
    }

    func renderComprehensive() throws -> Data {
        let certificate = comprehensive[next.withLock { $0.comprehensive += 1; return $0.comprehensive - 1 } % comprehensive.count]
        return try renderer.render(certificate, qrText: qrPrefix + certificate.jws, authority: authority)
    }
}
