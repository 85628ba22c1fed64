import Crypto
import Foundation
import Kernel

public struct RecordedInspection: Sendable {
    public let inspection: Inspection
    public let task: SupervisionTask
    /// The task opened to check an ordered rectification.
    public let followUp: SupervisionTask?
    /// The same request was already recorded under its idempotency key; nothing new was written.
    public let replayed: Bool
}

extension SupervisionService {
    /// Records an inspection and closes its task; `rectify` opens the follow-up task due on the
    /// rectification date. The inspection, its audit record and `InspectionRecorded` — with what
    /// its subscribers write (timeline, credit, suspension) — commit together. The same
    /// `idempotencyKey` from the same inspector returns the first recording.
    public func record(_ draft: InspectionDraft, task id: String, idempotencyKey: String?, by actor: Actor) async throws -> RecordedInspection {
        let (department, region) = try inspectorPost(actor)
        let key = try Self.validated(idempotencyKey)
        try ScanService.validate(draft.location)
        let requestHash = try Self.hash(draft, task: id)
        let now = dependencies.now()
        let today = self.today
        let makeID = dependencies.makeID
        let (events, maxDays) = (self.events, catalog.supervision.maxRectificationDays)
        return try await database.write { db in
            if let key, let earlier = try TaskQueue.inspection(inspector: actor.id, idempotencyKey: key, in: db) {
                guard earlier.requestHash == requestHash, let task = try TaskQueue.task(id: earlier.inspection.taskID, in: db) else {
                    throw SupervisionError.idempotencyKeyReused
                }
                let followUp = try earlier.inspection.followUpTaskID.flatMap { try TaskQueue.task(id: $0, in: db) }
                return RecordedInspection(inspection: earlier.inspection, task: task, followUp: followUp, replayed: true)
            }
            guard var task = try TaskQueue.task(id: id, in: db) else { throw SupervisionError.notFound("监管任务 \(id)") }
            try requireQueue(of: task, actor)
            let (findings, answers) = try draft.validated(for: task, today: today, maxRectificationDays: maxDays)
            for (index, photo) in (draft.photos ?? []).enumerated() where try !TaskQueue.photoOwned(photo, by: actor.id, in: db) {
                throw SupervisionError.invalidField(field: "photos[\(index)]", message: "照片 \(photo) 不存在或不是本人上传")
            }
            let inspector = TaskAssignee(id: actor.id, name: actor.name)
            let before = task.status
            try task.close(with: draft.result, by: inspector, at: now, on: today)
            try TaskQueue.save(task, in: db)
            let scope = EventScope(db: db, date: now, bus: events)
            var followUp: SupervisionTask?
            if draft.result == .rectify, let rectifyBy = draft.rectifyBy {
                let next = task.followUp(id: makeID(), dueOn: rectifyBy, openedAt: now, openedOn: today)
                try SupervisionRouting.open(next, in: scope)
                followUp = next
            }
            let inspection = Inspection(id: makeID(), taskID: task.id, certificateNumber: task.certificateNumber, at: now, inspector: inspector,
                                        department: department, region: region, result: draft.result, findings: findings,
                                        rectifyBy: draft.rectifyBy, checklist: answers, photos: draft.photos ?? [], location: draft.location,
                                        followUpTaskID: followUp?.id)
            try TaskQueue.insert(inspection, idempotencyKey: key, requestHash: requestHash, in: db)
            var detail = ["result": draft.result.rawValue, "certificate": task.certificateNumber]
            if let followUp { detail["followUpTask"] = followUp.id }
            try AuditLog.append(AuditEntry(actor: actor, action: "supervision.inspected", subject: "supervision-task/\(task.id)",
                                           before: ["status": before.rawValue], after: ["status": task.status.rawValue],
                                           detail: detail), in: db, at: now)
            try scope.publish(InspectionRecorded(
                inspectionID: inspection.id, taskID: task.id, taskTitle: task.title, certificateNumber: task.certificateNumber,
                applicationID: task.applicationID, item: task.item, firm: task.holderUSCC, department: department, region: region,
                inspectorID: actor.id, inspectorName: actor.name, result: draft.result.rawValue, findings: findings, rectifyBy: draft.rectifyBy,
                followUp: task.followUpOf != nil, suspendsCertificate: task.suspendsOnViolation, recordedAt: now))
            return RecordedInspection(inspection: inspection, task: task, followUp: followUp, replayed: false)
        }
    }

    /// A client's idempotency key (an inspection's or a scan's): short, printable ASCII.
    static func validated(_ key: String?) throws(SupervisionError) -> String? {
        guard let key else { return nil }
        guard (1...200).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw .invalidField(field: "Idempotency-Key", message: "应为1至200个可见 ASCII 字符")
        }
        return key
    }

    /// What makes two submissions "the same request": the task and the draft, field by field.
    static func hash(_ draft: InspectionDraft, task id: String) throws -> String {
        SHA256.hash(data: Data((id + (try StoredJSON.encode(draft))).utf8)).hexString
    }
}

extension SupervisionService {
    /// An inspection reported by an external system (the city's 互联网+监管 platform) under its own
    /// inspector account: it lands on that account's open task for the certificate — of `kind`
    /// when given, else the one due first — and is then recorded exactly like a local one.
    public func recordExternal(_ draft: InspectionDraft, certificate number: String, kind: String?, idempotencyKey: String?,
                               by actor: Actor) async throws -> RecordedInspection {
        let (department, region) = try inspectorPost(actor)
        let key = try Self.validated(idempotencyKey)
        let taskID = try await database.read { db -> String? in
            if let key, let earlier = try TaskQueue.inspection(inspector: actor.id, idempotencyKey: key, in: db) {
                return earlier.inspection.taskID
            }
            return try TaskQueue.tasks(certificate: number, in: db)
                .first { $0.isActive && $0.department == department && $0.region == region && (kind == nil || $0.kind == kind) }?.id
        }
        guard let taskID else {
            throw SupervisionError.notFound("证照 \(number) 在本部门本区域\(kind.map { "类别为 \($0) 的" } ?? "")待办监管任务")
        }
        return try await record(draft, task: taskID, idempotencyKey: key, by: actor)
    }
}
