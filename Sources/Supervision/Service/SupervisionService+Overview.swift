import Foundation
import Kernel

/// The approving office's view of supervision: which permits still wait for their first
/// inspection, how much each department has overdue, and how often the loop closed in time.
public struct SupervisionOverview: Sendable {
    public static let awaitingLimit = 50

    public struct DepartmentLoad: Sendable, Equatable {
        public let department: String
        public let name: String
        public let active: Int
        public let overdue: Int
    }

    public let from: CivilDate
    public let to: CivilDate
    /// Permits issued in the period that call for a first inspection (cancelled ones left out).
    public let permitsIssued: Int
    /// Of those, the ones whose first inspection was recorded by its due date.
    public let firstInspectedInTime: Int
    /// `firstInspectedInTime / permitsIssued`, or nil when nothing was issued.
    public let closureRate: Double?
    /// The permits, whenever issued, whose first inspection is still to be recorded: the
    /// `awaitingLimit` soonest due, and how many there are in all.
    public let awaitingFirstInspection: [SupervisionTask]
    public let awaitingFirstInspectionCount: Int
    public let departments: [DepartmentLoad]
}

extension SupervisionService {
    public func overview(from: CivilDate?, to: CivilDate?, for actor: Actor) async throws -> SupervisionOverview {
        guard Self.officeRoles.contains(actor.role) else { throw SupervisionError.forbidden("只有审批部门可以查看监管概况") }
        let today = self.today
        let to = to ?? today
        let from = from ?? to.adding(days: -29)
        guard from <= to else { throw SupervisionError.invalidField(field: "from", message: "开始日期不能晚于结束日期 \(to)") }
        guard to.dayNumber - from.dayNumber <= 366 else { throw SupervisionError.invalidField(field: "from", message: "统计期不能超过一年") }
        let (counts, loads, awaiting) = try await database.read { db in
            (try TaskQueue.firstInspectionCounts(openedIn: from...to, in: db), try TaskQueue.activeLoads(on: today, in: db),
             try TaskQueue.awaitingFirstInspection(first: SupervisionOverview.awaitingLimit, in: db))
        }
        let departments = loads.map { load in
            SupervisionOverview.DepartmentLoad(department: load.department, name: catalog.departments[load.department]?.name ?? load.department,
                                               active: load.active, overdue: load.overdue)
        }.sorted { ($0.overdue, $0.active, $1.department) > ($1.overdue, $1.active, $0.department) }
        return SupervisionOverview(from: from, to: to, permitsIssued: counts.issued, firstInspectedInTime: counts.inTime,
                                   closureRate: counts.issued == 0 ? nil : Double(counts.inTime) / Double(counts.issued),
                                   awaitingFirstInspection: awaiting.tasks, awaitingFirstInspectionCount: awaiting.count, departments: departments)
    }
}
