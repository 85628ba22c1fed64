import Foundation
import Kernel

extension ApprovalService {
    /// How many applications were issued on the days of each period (the bureau's days), for the
    /// bureau's figures: a count, not the applications, so every member of the bureau may see it.
    public func issuedCounts(in periods: [ClosedRange<CivilDate>], for actor: Actor) async throws -> [Int] {
        try require(actor, is: .clerk, .reviewer, .issuer, .admin, to: "只有审批局工作人员可以查看出证统计")
        let timeZone = calendar.timeZone
        return try await store.issuedCounts(in: periods.map { $0.lowerBound.start(in: timeZone)..<$0.upperBound.adding(days: 1).start(in: timeZone) })
    }
}
