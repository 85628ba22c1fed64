import Foundation
import GRDB
import Kernel

/// The supervision queues and their inspections in SQLite. Every function runs inside the caller's
/// transaction, so subscribers can open or close tasks together with the change that caused it.
enum TaskQueue {
    static func insert(_ task: SupervisionTask, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO supervision_tasks (id, certificate_number, application_id, department, region, status, first_inspection, follow_up_of,
                                           opened_on, due_on, closed_on, document)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [task.id, task.certificateNumber, task.applicationID, task.department, task.region, task.status.rawValue,
                             task.firstInspection, task.followUpOf, task.openedOn.description, task.dueOn.description,
                             task.closedOn?.description, try StoredJSON.encode(task)])
    }

    static func save(_ task: SupervisionTask, in db: Database) throws {
        try db.execute(sql: "UPDATE supervision_tasks SET certificate_number = ?, status = ?, closed_on = ?, document = ? WHERE id = ?",
                       arguments: [task.certificateNumber, task.status.rawValue, task.closedOn?.description, try StoredJSON.encode(task), task.id])
    }

    static func task(id: String, in db: Database) throws -> SupervisionTask? {
        try String.fetchOne(db, sql: "SELECT document FROM supervision_tasks WHERE id = ?", arguments: [id])
            .map { try StoredJSON.decode(SupervisionTask.self, from: $0) }
    }

    static func tasks(certificate number: String, in db: Database) throws -> [SupervisionTask] {
        try decode(String.fetchAll(db, sql: "SELECT document FROM supervision_tasks WHERE certificate_number = ? ORDER BY opened_on, id",
                                   arguments: [number]))
    }

    static func tasks(applicationID: String, in db: Database) throws -> [SupervisionTask] {
        try decode(String.fetchAll(db, sql: "SELECT document FROM supervision_tasks WHERE application_id = ? ORDER BY opened_on, id",
                                   arguments: [applicationID]))
    }

    static func tasks(department: String, region: String, statuses: [TaskStatus], in db: Database) throws -> [SupervisionTask] {
        let placeholders = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
        return try decode(String.fetchAll(db, sql: """
            SELECT document FROM supervision_tasks WHERE department = ? AND region = ? AND status IN (\(placeholders))
            ORDER BY due_on, opened_on, id
            """, arguments: StatementArguments([department, region] + statuses.map(\.rawValue))))
    }

    /// First-inspection tasks (not follow-ups) opened in `period`, for the closure rate.
    static func firstInspections(openedIn period: ClosedRange<CivilDate>, in db: Database) throws -> [SupervisionTask] {
        try decode(String.fetchAll(db, sql: """
            SELECT document FROM supervision_tasks
            WHERE first_inspection = 1 AND follow_up_of IS NULL AND opened_on BETWEEN ? AND ?
            ORDER BY opened_on, id
            """, arguments: [period.lowerBound.description, period.upperBound.description]))
    }

    static func active(in db: Database) throws -> [SupervisionTask] {
        try decode(String.fetchAll(db, sql: "SELECT document FROM supervision_tasks WHERE status IN ('open', 'claimed') ORDER BY due_on, id"))
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
