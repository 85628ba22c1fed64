import CapabilityKit
import Foundation
import Hummingbird
import Kernel
import Supervision

/// 审管联动 for inspectors: their queue, taking and giving back tasks, recording inspections; and
/// the approving office's overview of the loop.
struct SupervisionController {
    let supervision: SupervisionService
    let catalog: Catalog

    func register(on router: RouterGroup<AuthenticatedContext>) {
        router.get("supervision/tasks") { request, context -> Response in
            let statuses = try Self.statuses(request.uri.queryParameters.get("status"))
            let tasks = try await supervision.queue(for: context.actor, statuses: statuses,
                                                    page: try request.pageRequest(keyCount: SupervisionService.queueKeyCount))
            return try JSON.response(tasks.map { TaskView($0, catalog: catalog, today: supervision.today) }, for: request)
        }
        router.get("supervision/tasks/:id") { _, context -> Response in
            let (task, inspections) = try await supervision.task(try context.parameters.require("id"), for: context.actor)
            return try JSON.response(TaskDetailView(task: TaskView(task, catalog: catalog, today: supervision.today), inspections: inspections))
        }
        router.post("supervision/tasks/:id/claim") { _, context -> Response in
            let task = try await supervision.claim(try context.parameters.require("id"), by: context.actor)
            return try JSON.response(TaskView(task, catalog: catalog, today: supervision.today))
        }
        router.post("supervision/tasks/:id/release") { _, context -> Response in
            let task = try await supervision.release(try context.parameters.require("id"), by: context.actor)
            return try JSON.response(TaskView(task, catalog: catalog, today: supervision.today))
        }
        router.post("supervision/tasks/:id/inspections") { request, context -> Response in
            let draft = try await JSON.decode(InspectionDraft.self, from: request)
            let recorded = try await supervision.record(draft, task: try context.parameters.require("id"),
                                                        idempotencyKey: request.headers[.init("Idempotency-Key")!], by: context.actor)
            return try created(recorded)
        }
        router.post("supervision/certificates/:number/inspections") { request, context -> Response in
            let report = try await JSON.decode(ExternalInspection.self, from: request)
            let recorded = try await supervision.recordExternal(report.draft, certificate: try context.parameters.require("number"), kind: report.kind,
                                                                idempotencyKey: request.headers[.init("Idempotency-Key")!], by: context.actor)
            return try created(recorded)
        }
        router.get("supervision/overview") { request, context -> Response in
            let from = try Self.date(request.uri.queryParameters.get("from"), field: "from")
            let to = try Self.date(request.uri.queryParameters.get("to"), field: "to")
            let overview = try await supervision.overview(from: from, to: to, for: context.actor)
            return try JSON.response(OverviewView(overview, catalog: catalog, today: supervision.today))
        }
    }

    /// 201 with the recording; a replay under the same Idempotency-Key says so in a header.
    func created(_ recorded: RecordedInspection) throws -> Response {
        var response = try JSON.response(InspectionView(recorded, catalog: catalog, today: supervision.today), status: .created)
        if recorded.replayed { response.headers[.init("Idempotent-Replayed")!] = "true" }
        return response
    }

    /// An inspection reported by an external system: the draft plus, optionally, the task kind.
    struct ExternalInspection: Decodable {
        let kind: String?
        let draft: InspectionDraft

        enum CodingKeys: String, CodingKey { case kind }

        init(from decoder: any Decoder) throws {
            kind = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .kind)
            draft = try InspectionDraft(from: decoder)
        }
    }

    /// `?status=open,claimed`; by default the work still to do.
    static func statuses(_ text: String?) throws(KernelError) -> [TaskStatus] {
        guard let text, !text.isEmpty else { return [.open, .claimed] }
        return try text.split(separator: ",").map { name throws(KernelError) in
            guard let status = TaskStatus(rawValue: String(name)) else {
                throw .invalidField(field: "status", message: "应为 \(TaskStatus.allCases.map(\.rawValue).joined(separator: "、")) 之一")
            }
            return status
        }
    }

    static func date(_ text: String?, field: String) throws(KernelError) -> CivilDate? {
        guard let text else { return nil }
        guard let date = CivilDate(text) else { throw .invalidField(field: field, message: "应为 YYYY-MM-DD 格式的日期") }
        return date
    }
}

struct TaskView: Encodable {
    let id: String
    let status: TaskStatus
    let statusLabel: String
    let kind: String
    let title: String
    let department: String
    let departmentName: String
    let region: String
    let regionName: String
    let item: String
    let itemName: String
    let certificateNumber: String
    let certificateStatus: String
    let applicationID: String
    let project: TaskProject
    let holder: TaskHolder
    let checklist: [ChecklistEntry]
    let openedAt: Date
    let dueOn: CivilDate
    let overdue: Bool
    let firstInspection: Bool
    let followUpOf: String?
    let claimedBy: TaskAssignee?
    let closedAt: Date?
    let result: InspectionResult?
    let cancelReason: String?
    /// For a task no permit's routing opened: what raised it, and its evidence.
    let raisedBy: String?
    let evidence: [String]?

    struct TaskProject: Encodable {
        let code: String
        let name: String
    }

    struct TaskHolder: Encodable {
        let name: String
        let uscc: String
    }

    init(_ task: SupervisionTask, catalog: Catalog, today: CivilDate) {
        id = task.id
        status = task.status
        statusLabel = task.status.label
        kind = task.kind
        title = task.title
        department = task.department
        departmentName = catalog.departments[task.department]?.name ?? task.department
        region = task.region
        regionName = catalog.regions[task.region]?.name ?? task.region
        item = task.item
        itemName = catalog.items[task.item]?.name ?? task.item
        certificateNumber = task.certificateNumber
        certificateStatus = task.certificateStatus
        applicationID = task.applicationID
        project = TaskProject(code: task.projectCode, name: task.projectName)
        holder = TaskHolder(name: task.holderName, uscc: task.holderUSCC)
        checklist = task.checklist
        openedAt = task.openedAt
        dueOn = task.dueOn
        overdue = task.isOverdue(on: today)
        firstInspection = task.firstInspection
        followUpOf = task.followUpOf
        claimedBy = task.claimedBy
        closedAt = task.closedAt
        result = task.result
        cancelReason = task.cancelReason
        raisedBy = task.raisedBy
        evidence = task.evidence
    }
}

struct TaskDetailView: Encodable {
    let task: TaskView
    let inspections: [Inspection]
}

struct InspectionView: Encodable {
    let inspection: Inspection
    let task: TaskView
    let followUp: TaskView?

    init(_ recorded: RecordedInspection, catalog: Catalog, today: CivilDate) {
        inspection = recorded.inspection
        task = TaskView(recorded.task, catalog: catalog, today: today)
        followUp = recorded.followUp.map { TaskView($0, catalog: catalog, today: today) }
    }
}

struct OverviewView: Encodable {
    struct Period: Encodable {
        let from: CivilDate
        let to: CivilDate
    }

    struct DepartmentView: Encodable {
        let department: String
        let name: String
        let active: Int
        let overdue: Int
    }

    let period: Period
    let permitsIssued: Int
    let firstInspectedInTime: Int
    let closureRate: Double?
    let awaitingFirstInspection: [TaskView]
    let awaitingFirstInspectionCount: Int
    let departments: [DepartmentView]

    init(_ overview: SupervisionOverview, catalog: Catalog, today: CivilDate) {
        period = Period(from: overview.from, to: overview.to)
        permitsIssued = overview.permitsIssued
        firstInspectedInTime = overview.firstInspectedInTime
        closureRate = overview.closureRate
        awaitingFirstInspection = overview.awaitingFirstInspection.map { TaskView($0, catalog: catalog, today: today) }
        awaitingFirstInspectionCount = overview.awaitingFirstInspectionCount
        departments = overview.departments.map { DepartmentView(department: $0.department, name: $0.name, active: $0.active, overdue: $0.overdue) }
    }
}
