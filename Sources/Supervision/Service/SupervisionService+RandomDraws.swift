import Certificates
import Crypto
import Foundation
import GRDB
import Kernel

public struct DrawRequest: Codable, Sendable {
    public let department: String
    public let region: String
    public let sampleSize: Int
    /// Refused when given: nobody chooses the seed.
    public let seed: String?

    public init(department: String, region: String, sampleSize: Int, seed: String? = nil) {
        self.department = department
        self.region = region
        self.sampleSize = sampleSize
        self.seed = seed
    }
}

/// A draw as the public sees it: with each pick's task and, once inspected, its result; the seed
/// and the picks only once `revealed`.
public struct PublishedDraw: Sendable {
    public let draw: RandomDraw
    public let tasks: [String: SupervisionTask]
    /// Every picked inspection is done (or the draw predates commit-reveal).
    public let revealed: Bool

    public init(draw: RandomDraw, tasks: [String: SupervisionTask], revealed: Bool) {
        self.draw = draw
        self.tasks = tasks
        self.revealed = revealed
    }
}

extension SupervisionService {
    /// 双随机, first step: the service draws a secret seed and salt, fixes the pools — the region's
    /// valid permits this department supervises, and the department's inspectors there — and
    /// publishes the seed's hash with them. No pick is made yet, and nobody chose the seed.
    public func commitDraw(_ request: DrawRequest, by actor: Actor) async throws -> RandomDraw {
        guard actor.role == .admin else { throw SupervisionError.forbidden("只有管理员可以组织双随机抽查") }
        guard request.seed == nil else {
            throw SupervisionError.invalidField(field: "seed", message: "随机种子由系统抽取，先公布其哈希、检查完成后公开，不接受指定")
        }
        guard catalog.departments[request.department] != nil else {
            throw SupervisionError.invalidField(field: "department", message: "未知部门 \(request.department)")
        }
        guard catalog.regions[request.region] != nil else { throw SupervisionError.invalidField(field: "region", message: "未知行政区划 \(request.region)") }
        guard (1...100).contains(request.sampleSize) else { throw SupervisionError.invalidField(field: "sampleSize", message: "应为1至100") }
        let seed = String(dependencies.randomBytes(8).reduce(0) { $0 << 8 | UInt64($1) })
        let salt = Data(dependencies.randomBytes(16)).hexString
        let (now, today, catalog, id) = (dependencies.now(), self.today, self.catalog, dependencies.makeID())
        return try await database.write { db in
            let routes = try Self.drawableCertificates(department: request.department, region: request.region, today: today, catalog: catalog, in: db)
            guard !routes.isEmpty else { throw SupervisionError.invalidField(field: "region", message: "该区域没有本部门监管的有效证照可供抽查") }
            let inspectors = try AccountDirectory.accounts(matching: Recipients(role: .inspector, department: request.department, region: request.region), in: db)
            guard !inspectors.isEmpty else { throw SupervisionError.invalidField(field: "department", message: "本部门在该区域没有监管人员") }
            let commitment = SHA256.hash(data: Data(RandomDraw.commitmentText(id: id, seed: seed, salt: salt).utf8)).hexString
            let draw = RandomDraw(id: id, at: now, drawnOn: today, department: request.department, region: request.region, seed: seed, salt: salt,
                                  commitment: commitment, status: .committed, drawnAt: nil, sampleSize: request.sampleSize,
                                  candidates: routes.map { $0.certificate.number.description },
                                  inspectorPool: inspectors.map { TaskAssignee(id: $0.id, name: $0.name) }, picks: [], drawnBy: actor.name)
            try db.execute(sql: "INSERT INTO random_draws (id, at, department, region, document) VALUES (?, ?, ?, ?, ?)",
                           arguments: [draw.id, draw.at, draw.department, draw.region, try StoredJSON.encode(draw)])
            try AuditLog.append(AuditEntry(actor: actor, action: "supervision.random-draw-committed", subject: "random-draw/\(draw.id)",
                                           detail: ["department": draw.department, "region": draw.region, "commitment": commitment,
                                                    "candidates": String(draw.candidates.count)]), in: db, at: now)
            return draw
        }
    }

    /// 双随机, second step: the picks, from the committed seed and pools, each a task claimed by
    /// its inspector. A picked certificate no longer valid gets no task, and says so.
    public func makePicks(of drawID: String, by actor: Actor) async throws -> RandomDraw {
        guard actor.role == .admin else { throw SupervisionError.forbidden("只有管理员可以组织双随机抽查") }
        let (now, today, catalog, events, makeID) = (dependencies.now(), self.today, self.catalog, self.events, dependencies.makeID)
        return try await database.write { db in
            guard let stored = try String.fetchOne(db, sql: "SELECT document FROM random_draws WHERE id = ?", arguments: [drawID]) else {
                throw SupervisionError.notFound("抽查 \(drawID)")
            }
            var draw = try StoredJSON.decode(RandomDraw.self, from: stored)
            guard draw.status == .committed, let seed = UInt64(draw.seed) else {
                throw SupervisionError.conflict(code: "already-drawn", message: "该次抽查已经抽取")
            }
            let routes = try Self.drawableCertificates(department: draw.department, region: draw.region, today: today, catalog: catalog, in: db)
            let drawable = Dictionary(routes.map { ($0.certificate.number.description, $0) }, uniquingKeysWith: { first, _ in first })
            var generator = SeededDraw(seed: seed)
            let scope = EventScope(db: db, date: now, bus: events)
            var picks: [RandomDraw.Pick] = []
            for (number, assignee) in generator.pick(draw.sampleSize, of: draw.candidates, inspectors: draw.inspectorPool) {
                guard let (certificate, item, route) = drawable[number] else {
                    let certificate = try CertificateRegistry.certificate(number: number, in: db)
                    picks.append(RandomDraw.Pick(certificateNumber: number, projectName: certificate?.projectName ?? "",
                                                 holderName: certificate?.holderName ?? "", inspector: assignee, taskID: nil))
                    continue
                }
                var task = SupervisionTask(
                    id: makeID(), certificateNumber: number, applicationID: certificate.applicationID, item: item,
                    projectCode: certificate.projectCode, projectName: certificate.projectName, holderName: certificate.holderName,
                    holderUSCC: certificate.holderUSCC, department: draw.department, region: draw.region, kind: "random-inspection",
                    title: "双随机抽查：\(route.name)", checklist: route.checklist, openedAt: now, openedOn: today,
                    dueOn: try catalog.calendar.date(addingWorkingDays: route.dueDays, to: today), firstInspection: false,
                    suspendsOnViolation: route.suspendsOnViolation, followUpOf: nil, drawID: draw.id, status: .open, claimedBy: nil,
                    closedAt: nil, closedOn: nil, result: nil, certificateStatus: certificate.status.rawValue, cancelReason: nil)
                try task.claim(by: assignee)
                try SupervisionRouting.open(task, in: scope)
                picks.append(RandomDraw.Pick(certificateNumber: number, projectName: task.projectName, holderName: task.holderName,
                                             inspector: assignee, taskID: task.id))
            }
            draw.picks = picks
            draw.status = .drawn
            draw.drawnAt = now
            try db.execute(sql: "UPDATE random_draws SET document = ? WHERE id = ?", arguments: [try StoredJSON.encode(draw), draw.id])
            try AuditLog.append(AuditEntry(actor: actor, action: "supervision.random-draw", subject: "random-draw/\(draw.id)",
                                           detail: ["picked": String(picks.count), "tasks": String(picks.compactMap(\.taskID).count)]),
                                in: db, at: now)
            return draw
        }
    }

    /// Draws newest first: a walk of `random_draws_by_time` (at, id) from the page's cursor.
    static let drawOrder = KeysetOrder("at", "id", descending: true)

    /// How many keys a cursor of the published draws carries.
    public static var drawsKeyCount: Int { drawOrder.keyCount }

    static func publishedDrawsStatement(page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        drawOrder.statement("SELECT at, id, document FROM random_draws", page: page)
    }

    /// A page of the published draws, newest first, with how each pick's inspection came out (一公开).
    public func publishedDraws(page: PageRequest = PageRequest()) async throws -> Page<PublishedDraw> {
        try await database.read { db in
            try Self.drawOrder.page(Self.publishedDrawsStatement(page: page), page, in: db) { row in
                let draw = try StoredJSON.decode(RandomDraw.self, from: row["document"] as String)
                var tasks: [String: SupervisionTask] = [:]
                for taskID in draw.picks.compactMap(\.taskID) { tasks[taskID] = try TaskQueue.task(id: taskID, in: db) }
                let done = tasks.values.allSatisfy { $0.status == .closed || $0.status == .cancelled }
                return PublishedDraw(draw: draw, tasks: tasks, revealed: draw.status == nil || (draw.status == .drawn && done))
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
