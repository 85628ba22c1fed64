import Approval
import Certificates
import Foundation
import GRDB
import Kernel
import Supervision
import Synchronization

/// What a city accumulates over years, built through the services' own code — submission with
/// its materials, acceptance, both departments' reviews, issuance with its certificate, the
/// supervision tasks it opens, inspections and QR scans, each with its audit records and events —
/// in large transactions (`AppDatabase` bulk mode). The same seed builds the same city.
public struct CityGenerator {
    public struct Plan: Sendable {
        public var applications: Int
        public var scansPerApplication: Int
        public var firms: Int
        public var seed: UInt64
        /// The city's history runs from `start` to `end`; the last weeks are still in progress.
        public var start: Date
        public var end: Date

        public init(applications: Int, scansPerApplication: Int = 10, firms: Int? = nil, seed: UInt64 = 1, start: Date, end: Date) {
            self.applications = applications
            self.scansPerApplication = scansPerApplication
            self.firms = firms ?? max(20, applications / 500)
            self.seed = seed
            self.start = start
            self.end = end
        }
    }

    public struct Report: Sendable, CustomStringConvertible {
        public let counts: [(table: String, rows: Int)]
        public let seconds: Double
        public let bytes: Int64

        public var description: String {
            let rows = counts.map { "\($0.table) \($0.rows)" }.joined(separator: ", ")
            return String(format: "%@; %.1f MB; %.0f s", rows, Double(bytes) / 1_048_576, seconds)
        }
    }

    /// Where the generated city's accounts sign in; the benchmark uses it.
    public static let password = "Shenguan-City-2026!"
    static let items = ["ZJ-SGXK", "YL-LDZY"]
    static let materials = ["construction-contract", "funding-commitment", "greenspace-location-map", "greenspace-restoration-plan", "tree-protection-plan"]
    /// How long after issuance a permit's first inspection is recorded, with its scans.
    static let inspectedAfter: TimeInterval = 20 * 86_400

    let plan: Plan
    let services: AppServices
    let clock: GeneratorClock

    /// Builds the city into a new database at `configuration.databasePath`.
    public static func generate(_ plan: Plan, configuration: AppConfiguration,
                                progress: @Sendable (_ done: Int, _ of: Int) -> Void) async throws -> Report {
        let began = ContinuousClock.now
        let clock = GeneratorClock(plan.start)
        let random = SeededRandom(seed: plan.seed)
        var configuration = configuration
        configuration.dependencies = Dependencies(now: { clock.now }, makeID: { random.uuid() }, randomBytes: { random.bytes($0) })
        configuration.bcryptCost = 4
        configuration.bulkCommitEvery = 20_000
        let generator = CityGenerator(plan: plan, services: try await AppServices(configuration: configuration), clock: clock)
        try await generator.run(progress: progress)
        try await generator.services.database.commitBulk()
        // Into the database file, so that its size is the city's and a copy of it is whole.
        try await generator.services.database.writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        let counts = try await generator.services.database.read { db in
            try ["projects", "applications", "certificates", "supervision_tasks", "inspections", "scans", "audit_log", "domain_events"].map { table in
                (table, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0)
            }
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: configuration.databasePath)[.size] as? Int64) ?? 0
        let elapsed = ContinuousClock.now - began
        return Report(counts: counts, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, bytes: size)
    }

    func run(progress: @Sendable (Int, Int) -> Void) async throws {
        let people = try await CityPeople.create(plan: plan, services: services)
        var uploads: [String: [MaterialUpload]] = [:]
        var inspections: [(due: Date, applicationID: String)] = []
        var nextInspection = 0
        let regions = services.catalog.regions.keys.sorted()
        let span = plan.end.timeIntervalSince(plan.start)
        var projectID = ""
        for index in 0..<plan.applications {
            let now = plan.start.addingTimeInterval(span * Double(index) / Double(plan.applications))
            clock.set(now)
            while nextInspection < inspections.count, inspections[nextInspection].due <= now {
                try await inspect(inspections[nextInspection].applicationID, people: people)
                nextInspection += 1
            }
            // Two applications a project; a prime stride spreads each firm's projects over the years.
            let serial = index / 2
            let firm = people.firms[(serial * 7_919) % people.firms.count]
            let contractor = people.firms[(serial * 7_919 + 1) % people.firms.count]
            if index % 2 == 0 {
                projectID = try await project(serial, district: regions[serial % regions.count], firm: firm, contractor: contractor, at: now).id
            }
            if uploads[firm.id] == nil { uploads[firm.id] = try await upload(by: firm) }
            let application = try await submit(projectID, firm: firm, contractor: contractor, materials: uploads[firm.id] ?? [])
            if try await advance(application.id, of: firm, index: index, at: now, people: people) {
                inspections.append((now.addingTimeInterval(Self.inspectedAfter), application.id))
            }
            if index % max(1, plan.applications / 100) == 0 { progress(index, plan.applications) }
        }
        progress(plan.applications, plan.applications)
    }

    func project(_ serial: Int, district: String, firm: Actor, contractor: Actor, at now: Date) async throws -> Project {
        let month = CivilDate(now, in: services.catalog.calendar.timeZone).components
        let code = String(format: "%02d%02d-%@-04-01-%06d", month.year % 100, month.month, district, serial % 1_000_000)
        return try await services.approval.createProject(
            NewProject(code: code, name: String(format: "城市规模示范项目%06d号地块", serial), district: district,
                       address: "\(services.catalog.regions[district]?.name ?? district)示范路\(serial % 997 + 1)号", category: "房屋建筑工程",
                       builder: NewParty(uscc: firm.firm ?? ""), contractor: NewParty(uscc: contractor.firm ?? "")),
            by: firm)
    }

    /// One set of materials per firm, used on each of its applications as a firm reuses its files.
    func upload(by firm: Actor) async throws -> [MaterialUpload] {
        var uploads: [MaterialUpload] = []
        for material in Self.materials {
            let stored = try await services.files.store(DemoPDF.document(label: material, title: material), by: firm)
            uploads.append(MaterialUpload(material: material, file: stored.id))
        }
        return uploads
    }

    func submit(_ projectID: String, firm: Actor, contractor: Actor, materials: [MaterialUpload]) async throws -> Application {
        let form: [String: FormValue] = [
            "contactName": .string(firm.name), "contactPhone": .string("13871234567"), "contractorUscc": .string(contractor.firm ?? ""),
            "contractPriceYuan": .number(368_000_000), "totalAreaM2": .number(86_500.5), "structureType": .string("框架-剪力墙"),
            "startDate": .string("2026-12-01"), "endDate": .string("2028-06-30"), "greenspaceAreaM2": .number(420),
        ]
        return try await services.approval.submit(
            NewApplication(projectId: projectID, bundle: "comprehensive-permit", items: Self.items, form: form, materials: materials), by: firm)
    }

    /// Takes an application as far as its age says: the old ones to issuance (a few refused or
    /// withdrawn), the last weeks' spread over every stage. True when it was issued.
    func advance(_ id: String, of firm: Actor, index: Int, at now: Date, people: CityPeople) async throws -> Bool {
        let recent = plan.end.timeIntervalSince(now) < 30 * 86_400
        let stage = recent ? index % 5 : 4
        let clerk = people.clerks[index % people.clerks.count]
        if index % 50 == 7 {
            _ = try await services.approval.withdraw(id, by: firm)
            return false
        }
        guard stage >= 1 else { return false }
        if index % 40 == 3 {
            _ = try await services.approval.accept(id, AcceptanceDecision(decision: .refuse, reason: "材料不符合法定形式"), by: clerk)
            return false
        }
        _ = try await services.approval.accept(id, AcceptanceDecision(decision: .accept), by: clerk)
        for (item, department) in zip(Self.items, ["housing", "landscaping"]).prefix(stage - 1) {
            _ = try await services.approval.review(id, ReviewDecision(item: item, decision: .approve, opinion: "符合许可条件"),
                                                   by: try people.reviewer(department))
        }
        guard stage == 4 else { return false }
        _ = try await services.approval.issue(id, by: people.issuer)
        return true
    }

    /// The first inspection of each of the permit's tasks, with the site's QR scanned meanwhile.
    func inspect(_ applicationID: String, people: CityPeople) async throws {
        let tasks = try await services.database.read { db in try SupervisionRouting.tasks(applicationID: applicationID, in: db) }
        guard let certificate = try await services.certificates.certificates(applicationID: applicationID).first else { return }
        let inspectors = try tasks.map { try people.inspector($0.department, $0.region) }
        for scan in 0..<plan.scansPerApplication where !inspectors.isEmpty {
            _ = try await services.scans.record(qr: certificate.jws, checkpoint: .site, location: nil, by: inspectors[scan % inspectors.count])
        }
        for (task, inspector) in zip(tasks, inspectors) where task.isActive {
            _ = try await services.supervision.record(InspectionDraft(result: .pass, findings: nil), task: task.id, idempotencyKey: nil, by: inspector)
        }
    }
}

/// The clock the generated city's services read: moved forward as its history is written.
final class GeneratorClock: Sendable {
    private let instant: Mutex<Date>

    init(_ start: Date) {
        instant = Mutex(start)
    }

    var now: Date { instant.withLock { $0 } }

    func set(_ date: Date) {
        instant.withLock { $0 = date }
    }
}

/// SplitMix64: ids and random bytes that the seed alone decides.
final class SeededRandom: Sendable {
    private let state: Mutex<UInt64>

    init(seed: UInt64) {
        state = Mutex(seed)
    }

    func next() -> UInt64 {
        state.withLock { state in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    func uuid() -> String {
        let (high, low) = (next(), next())
        let hex = String(format: "%016llx%016llx", high, low)
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
