import Foundation
import GRDB
import Kernel

/// The supervision queues and their inspections in SQLite. Every function runs inside the caller's
/// transaction, so subscribers can open or close tasks together with the change that caused it.
enum TaskQueue {
    static func insert(_ task: SupervisionTask, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO supervision_tasks (id, certificate_number, application_id, department, region, status, first_inspection, follow_up_of,
                                           opened_on, due_on, closed_on, document)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [task.id, task.certificateNumber, task.applicationID, task.department, task.region, task.status.rawValue,
                             task.firstInspection, task.followUpOf, task.openedOn.description, task.dueOn.description,
                             task.closedOn?.description, try StoredJSON.encode(task)])
    }

    static func save(_ task: SupervisionTask, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE supervision_tasks SET certificate_number = ?, status = ?, closed_on = ?, document = ? WHERE id = ?")
            .execute(arguments: [task.certificateNumber, task.status.rawValue, task.closedOn?.description, try StoredJSON.encode(task), task.id])
    }

    static func task(id: String, in db: Database) throws -> SupervisionTask? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT document FROM supervision_tasks WHERE id = ?"), arguments: [id])
            .map { try StoredJSON.decode(SupervisionTask.self, from: $0) }
    }

    static func tasks(certificate number: String, in db: Database) throws -> [SupervisionTask] {
        try decode(String.fetchAll(db.cachedStatement(sql: "SELECT document FROM supervision_tasks WHERE certificate_number = ? ORDER BY opened_on, id"),
                                   arguments: [number]))
    }

    static func tasks(applicationID: String, in db: Database) throws -> [SupervisionTask] {
        try decode(String.fetchAll(db.cachedStatement(sql: "SELECT document FROM supervision_tasks WHERE application_id = ? ORDER BY opened_on, id"),
                                   arguments: [applicationID]))
    }

    /// The partial indexes' conditions, written once: a query uses a partial index only when it
    /// repeats the index's condition word for word.
    static let isActive = "status IN ('open', 'claimed')"
    static let isFirstInspection = "first_inspection = 1 AND follow_up_of IS NULL"

    /// A queue's order, most urgent first: due date, opened date, id.
    static let queueOrder = KeysetOrder("due_on", "opened_on", "id")

    /// A cursor's keys.
    static var queueKeyCount: Int { queueOrder.keyCount }

    /// An inspector post's queue: the work still to do from its partial index, one status from the
    /// status index.
    static func queueStatement(department: String, region: String, statuses: [TaskStatus], page: PageRequest) -> (sql: String, arguments: StatementArguments) {
        var arguments: StatementArguments = [department, region]
        var conditions = ["department = ?", "region = ?"]
        if Set(statuses) == [.open, .claimed] {
            conditions.append(isActive)
        } else {
            conditions.append("status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(statuses.map(\.rawValue))
        }
        return queueOrder.statement("SELECT due_on, opened_on, id, document FROM supervision_tasks", where: conditions, arguments: arguments, page: page)
    }

    static func queue(department: String, region: String, statuses: [TaskStatus], page: PageRequest, in db: Database) throws -> Page<SupervisionTask> {
        try queueOrder.page(queueStatement(department: department, region: region, statuses: statuses, page: page), page, in: db) {
            try StoredJSON.decode(SupervisionTask.self, from: $0["document"] as String)
        }
    }

    static let firstInspectionCounts = """
        SELECT COUNT(*) AS issued, COALESCE(SUM(status = 'closed' AND closed_on <= due_on), 0) AS inTime FROM supervision_tasks
        WHERE \(isFirstInspection) AND opened_on BETWEEN ? AND ? AND status != 'cancelled'
        """

    /// First-inspection tasks (not follow-ups) opened in `period` and not cancelled, and how many
    /// of them were closed by their due date: the closure rate, counted in the index.
    static func firstInspectionCounts(openedIn period: ClosedRange<CivilDate>, in db: Database) throws -> (issued: Int, inTime: Int) {
        let row = try Row.fetchOne(db, sql: firstInspectionCounts, arguments: [period.lowerBound.description, period.upperBound.description])
        return (row?["issued"] ?? 0, row?["inTime"] ?? 0)
    }

    static let activeLoads = """
        SELECT department, COUNT(*) AS active, COALESCE(SUM(due_on < ?), 0) AS overdue FROM supervision_tasks
        WHERE \(isActive) GROUP BY department
        """

    /// Each department's active tasks and how many are past due on `today`.
    static func activeLoads(on today: CivilDate, in db: Database) throws -> [(department: String, active: Int, overdue: Int)] {
        try Row.fetchAll(db, sql: activeLoads, arguments: [today.description]).map { ($0["department"], $0["active"], $0["overdue"]) }
    }

    static let awaitingFirstInspection = "SELECT document FROM supervision_tasks WHERE \(isActive) AND \(isFirstInspection) ORDER BY due_on, id LIMIT ?"
    /// Counted in the index of the active first inspections, which SQLite would not pick by itself
    /// over the larger index of every first inspection.
    static let awaitingFirstInspectionCount = """
        SELECT COUNT(*) FROM supervision_tasks INDEXED BY supervision_tasks_awaiting_first WHERE \(isActive) AND \(isFirstInspection)
        """

    /// The most urgent permits still waiting for their first inspection, and how many wait in all.
    static func awaitingFirstInspection(first limit: Int, in db: Database) throws -> (tasks: [SupervisionTask], count: Int) {
        (try decode(String.fetchAll(db, sql: awaitingFirstInspection, arguments: [limit])),
         try Int.fetchOne(db, sql: awaitingFirstInspectionCount) ?? 0)
    }

    static let overdue = "SELECT document FROM supervision_tasks WHERE \(isActive) AND due_on < ? ORDER BY due_on, id LIMIT ?"
    static let overdueInDepartment = """
        SELECT document FROM supervision_tasks WHERE \(isActive) AND department = ? AND due_on < ? ORDER BY due_on, id LIMIT ?
        """

    /// The active tasks past due on `today`, longest overdue first: every department's, or one's.
    static func overdue(on today: CivilDate, department: String?, first limit: Int, in db: Database) throws -> [SupervisionTask] {
        if let department {
            return try decode(String.fetchAll(db, sql: overdueInDepartment, arguments: [department, today.description, limit]))
        }
        return try decode(String.fetchAll(db, sql: overdue, arguments: [today.description, limit]))
    }

    static func active(in db: Database) throws -> [SupervisionTask] {
        try decode(String.fetchAll(db, sql: "SELECT document FROM supervision_tasks WHERE \(isActive) ORDER BY due_on, id"))
    }

    static func insert(_ inspection: Inspection, idempotencyKey: String?, requestHash: String, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO inspections (id, task_id, inspector_id, idempotency_key, request_hash, at, document) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [inspection.id, inspection.taskID, inspection.inspector.id, idempotencyKey, requestHash, inspection.at,
                             try StoredJSON.encode(inspection)])
    }

    /// The inspection an inspector already recorded under `key`, with the hash of its request.
    static func inspection(inspector: String, idempotencyKey key: String, in db: Database) throws -> (inspection: Inspection, requestHash: String)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT document, request_hash FROM inspections WHERE inspector_id = ? AND idempotency_key = ?",
                                         arguments: [inspector, key]) else { return nil }
        return (try StoredJSON.decode(Inspection.self, from: row["document"]), row["request_hash"])
    }

    static func inspections(task id: String, in db: Database) throws -> [Inspection] {
        try String.fetchAll(db, sql: "SELECT document FROM inspections WHERE task_id = ? ORDER BY at, id", arguments: [id])
            .map { try StoredJSON.decode(Inspection.self, from: $0) }
    }

    static func photoOwned(_ file: String, by inspector: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM files WHERE id = ? AND uploaded_by = ?", arguments: [file, inspector]) ?? false
    }

    private static func decode(_ documents: [String]) throws -> [SupervisionTask] {
        try documents.map { try StoredJSON.decode(SupervisionTask.self, from: $0) }
    }
}
