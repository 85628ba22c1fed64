import Foundation
import Kernel

/// How the supervision loop closed over one period: the overview's closure rate, for one of
/// several periods side by side (the weeks of a chart).
public struct ClosureCount: Sendable, Equatable {
    public let period: ClosedRange<CivilDate>
    /// Permits issued in the period that call for a first inspection (cancelled ones left out).
    public let permitsIssued: Int
    /// Of those, the ones whose first inspection was recorded by its due date.
    public let firstInspectedInTime: Int

    /// `firstInspectedInTime / permitsIssued`, or nil when nothing was issued.
    public var closureRate: Double? { permitsIssued == 0 ? nil : Double(firstInspectedInTime) / Double(permitsIssued) }
}

extension SupervisionService {
    /// The closure of each period, counted as the overview counts its own, in one read.
    public func closure(in periods: [ClosedRange<CivilDate>], for actor: Actor) async throws -> [ClosureCount] {
        guard Self.officeRoles.contains(actor.role) else { throw SupervisionError.forbidden("只有审批部门可以查看监管概况") }
        return try await database.read { db in
            try periods.map { period in
                let counts = try TaskQueue.firstInspectionCounts(openedIn: period, in: db)
                return ClosureCount(period: period, permitsIssued: counts.issued, firstInspectedInTime: counts.inTime)
            }
        }
    }

    /// The active tasks past their due date, longest overdue first: a reviewer's department's, as it
    /// may open only those, or every department's for the rest of the bureau.
    public func overdueTasks(first limit: Int, for actor: Actor) async throws -> [SupervisionTask] {
        guard Self.officeRoles.contains(actor.role) else { throw SupervisionError.forbidden("只有审批部门可以查看监管概况") }
        let (today, department) = (self.today, actor.role == .reviewer ? actor.department ?? "" : nil)
        return try await database.read { db in try TaskQueue.overdue(on: today, department: department, first: limit, in: db) }
    }
}
