import Certificates
import Foundation
import Kernel

/// The inspectors' queues: what is theirs to do, taking and giving back work, and recording what
/// an inspection found.
public struct SupervisionService: Sendable {
    let database: AppDatabase
    let catalog: Catalog
    let events: EventBus
    let dependencies: Dependencies
    let notifier: any Notifier

    public init(database: AppDatabase, catalog: Catalog, events: EventBus, dependencies: Dependencies, notifier: any Notifier) {
        self.database = database
        self.notifier = notifier
        self.catalog = catalog
        self.events = events
        self.dependencies = dependencies
    }

    public var today: CivilDate { catalog.calendar.today(at: dependencies.now()) }

    /// The queue of the inspector's own department and region, soonest due first.
    public func queue(for actor: Actor, statuses: [TaskStatus], page: PageRequest = PageRequest()) async throws -> Page<SupervisionTask> {
        let (department, region) = try inspectorPost(actor)
        return try await database.read { db in try TaskQueue.queue(department: department, region: region, statuses: statuses, page: page, in: db) }
    }

    /// A task with its inspections: for an inspector of its queue, or for bureau staff.
    public func task(_ id: String, for actor: Actor) async throws -> (task: SupervisionTask, inspections: [Inspection]) {
        let found = try await database.read { db -> (SupervisionTask, [Inspection])? in
            guard let task = try TaskQueue.task(id: id, in: db) else { return nil }
            return (task, try TaskQueue.inspections(task: id, in: db))
        }
        guard let (task, inspections) = found else { throw SupervisionError.notFound("监管任务 \(id)") }
        if actor.role == .inspector {
            try requireQueue(of: task, actor)
        } else if !Self.officeRoles.contains(actor.role) || (actor.role == .reviewer && task.department != actor.department) {
            throw SupervisionError.notFound("监管任务 \(id)")
        }
        return (task, inspections)
    }

    /// The work still to do on one certificate in the inspector's own queue, as the inspector who
    /// scanned it on site sees it. A subject's certificate (one of a series) is supervised under its
    /// permit's series number, so its tasks are found there.
    public func activeTasks(certificate number: CertificateNumber, for actor: Actor) async throws -> [SupervisionTask] {
        let (department, region) = try inspectorPost(actor)
        let numbers = Set([number.description, number.series.description]).sorted()
        return try await database.read { db in
            try numbers.flatMap { try TaskQueue.tasks(certificate: $0, in: db) }
                .filter { $0.isActive && $0.department == department && $0.region == region }
        }
    }

    public func claim(_ id: String, by actor: Actor) async throws -> SupervisionTask {
        try await change(id, by: actor, action: "supervision.claimed") { task, inspector in try task.claim(by: inspector) }
    }

    public func release(_ id: String, by actor: Actor) async throws -> SupervisionTask {
        try await change(id, by: actor, action: "supervision.released") { task, inspector in try task.release(by: inspector) }
    }

    func change(_ id: String, by actor: Actor, action: String,
                _ step: @escaping @Sendable (inout SupervisionTask, TaskAssignee) throws -> Void) async throws -> SupervisionTask {
        _ = try inspectorPost(actor)
        let now = dependencies.now()
        return try await database.write { db in
            guard var task = try TaskQueue.task(id: id, in: db) else { throw SupervisionError.notFound("监管任务 \(id)") }
            try requireQueue(of: task, actor)
            let before = task.status
            try step(&task, TaskAssignee(id: actor.id, name: actor.name))
            try TaskQueue.save(task, in: db)
            try AuditLog.append(AuditEntry(actor: actor, action: action, subject: "supervision-task/\(id)",
                                           before: ["status": before.rawValue], after: ["status": task.status.rawValue]), in: db, at: now)
            return task
        }
    }

    static let officeRoles: Set<Role> = [.clerk, .reviewer, .issuer, .admin]

    /// How many sort keys a queue's page cursor carries.
    public static let queueKeyCount = TaskQueue.queueKeyCount

    func inspectorPost(_ actor: Actor) throws(SupervisionError) -> (department: String, region: String) {
        guard actor.role == .inspector, let department = actor.department, let region = actor.region else {
            throw .forbidden("只有监管人员可以处理监管任务")
        }
        return (department, region)
    }

    func requireQueue(of task: SupervisionTask, _ actor: Actor) throws(SupervisionError) {
        guard actor.department == task.department, actor.region == task.region else {
            throw .forbidden("任务属于 \(task.department) 在 \(task.region) 的队列")
        }
    }
}
