import Certificates
import Foundation
import GRDB
import Kernel

public struct DrawRequest: Codable, Sendable {
    public let department: String
    public let region: String
    public let sampleSize: Int
    /// Decimal 64-bit seed; drawn from the system's randomness when absent.
    public let seed: String?

    public init(department: String, region: String, sampleSize: Int, seed: String? = nil) {
        self.department = department
        self.region = region
        self.sampleSize = sampleSize
        self.seed = seed
    }
}

/// A draw as the public sees it: with each pick's task and, once inspected, its result.
public struct PublishedDraw: Sendable {
    public let draw: RandomDraw
    public let tasks: [String: SupervisionTask]

    public init(draw: RandomDraw, tasks: [String: SupervisionTask]) {
        self.draw = draw
        self.tasks = tasks
    }
}

extension SupervisionService {
    /// 双随机: a random sample of the region's valid permits that this department supervises, and
    /// a random inspector of the department and region for each; each pick becomes a task claimed
    /// by its inspector. The seed and both pools are recorded, so the draw can be repeated by anyone.
    public func draw(_ request: DrawRequest, by actor: Actor) async throws -> RandomDraw {
        guard actor.role == .admin else { throw SupervisionError.forbidden("只有管理员可以组织双随机抽查") }
        guard catalog.departments[request.department] != nil else {
            throw SupervisionError.invalidField(field: "department", message: "未知部门 \(request.department)")
        }
        guard catalog.regions[request.region] != nil else { throw SupervisionError.invalidField(field: "region", message: "未知行政区划 \(request.region)") }
        guard (1...100).contains(request.sampleSize) else { throw SupervisionError.invalidField(field: "sampleSize", message: "应为1至100") }
        let seed: UInt64
        if let text = request.seed {
            guard let parsed = UInt64(text) else { throw SupervisionError.invalidField(field: "seed", message: "应为0至18446744073709551615的十进制整数") }
            seed = parsed
        } else {
            seed = dependencies.randomBytes(8).reduce(0) { $0 << 8 | UInt64($1) }
        }
        let now = dependencies.now()
        let today = self.today
        let (catalog, events, makeID) = (self.catalog, self.events, dependencies.makeID)
        return try await database.write { db in
            let routes = try Self.drawableCertificates(department: request.department, region: request.region, today: today, catalog: catalog, in: db)
            guard !routes.isEmpty else { throw SupervisionError.invalidField(field: "region", message: "该区域没有本部门监管的有效证照可供抽查") }
            let inspectors = try AccountDirectory.accounts(matching: Recipients(role: .inspector, department: request.department, region: request.region), in: db)
            guard !inspectors.isEmpty else { throw SupervisionError.invalidField(field: "department", message: "本部门在该区域没有监管人员") }
            var generator = SeededDraw(seed: seed)
            let drawID = makeID()
            let scope = EventScope(db: db, date: now, bus: events)
            var picks: [RandomDraw.Pick] = []
            for ((certificate, item, route), inspector) in generator.pick(request.sampleSize, of: routes, inspectors: inspectors) {
                let assignee = TaskAssignee(id: inspector.id, name: inspector.name)
                var task = SupervisionTask(
                    id: makeID(), certificateNumber: certificate.number.description, applicationID: certificate.applicationID, item: item,
                    projectCode: certificate.projectCode, projectName: certificate.projectName, holderName: certificate.holderName,
                    holderUSCC: certificate.holderUSCC, department: request.department, region: request.region, kind: "random-inspection",
                    title: "双随机抽查：\(route.name)", checklist: route.checklist, openedAt: now, openedOn: today,
                    dueOn: try catalog.calendar.date(addingWorkingDays: route.dueDays, to: today), firstInspection: false,
                    suspendsOnViolation: route.suspendsOnViolation, followUpOf: nil, drawID: drawID, status: .open, claimedBy: nil,
                    closedAt: nil, closedOn: nil, result: nil, certificateStatus: certificate.status.rawValue, cancelReason: nil)
                try task.claim(by: assignee)
                try SupervisionRouting.open(task, in: scope)
                picks.append(RandomDraw.Pick(certificateNumber: task.certificateNumber, projectName: task.projectName, holderName: task.holderName,
                                             inspector: assignee, taskID: task.id))
            }
            let draw = RandomDraw(id: drawID, at: now, drawnOn: today, department: request.department, region: request.region, seed: String(seed),
                                  sampleSize: request.sampleSize, candidates: routes.map { $0.certificate.number.description },
                                  inspectorPool: inspectors.map { TaskAssignee(id: $0.id, name: $0.name) }, picks: picks, drawnBy: actor.name)
            try db.execute(sql: "INSERT INTO random_draws (id, at, department, region, document) VALUES (?, ?, ?, ?, ?)",
                           arguments: [draw.id, draw.at, draw.department, draw.region, try StoredJSON.encode(draw)])
            try AuditLog.append(AuditEntry(actor: actor, action: "supervision.random-draw", subject: "random-draw/\(draw.id)",
                                           detail: ["department": draw.department, "region": draw.region, "seed": draw.seed,
                                                    "candidates": String(draw.candidates.count), "picked": String(picks.count)]), in: db, at: now)
            return draw
        }
    }

    /// Published draws, newest first, with how each pick's inspection came out (一公开).
    public func publishedDraws(limit: Int = 50) async throws -> [PublishedDraw] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT document FROM random_draws ORDER BY at DESC, id LIMIT ?", arguments: [limit]).map { document in
                let draw = try StoredJSON.decode(RandomDraw.self, from: document)
                var tasks: [String: SupervisionTask] = [:]
                for pick in draw.picks { tasks[pick.taskID] = try TaskQueue.task(id: pick.taskID, in: db) }
                return PublishedDraw(draw: draw, tasks: tasks)
            }
        }
    }

    /// Valid certificates of the region with a permit this department supervises there, by number,
    /// each with the item and route a random inspection checks.
    static func drawableCertificates(department: String, region: String, today: CivilDate, catalog: Catalog,
                                     in db: Database) throws -> [(certificate: Certificate, item: String, route: SupervisionRoute)] {
        try CertificateRegistry.certificates(district: region, in: db).compactMap { certificate in
            guard certificate.status(on: today) == .valid else { return nil }
            for permit in certificate.permits {
                if let route = catalog.items[permit.item]?.supervision?.first(where: { $0.department == department && ($0.region == .project || $0.region == .origin) }) {
                    return (certificate, permit.item, route)
                }
            }
            return nil
        }
    }
}
