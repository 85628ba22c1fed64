import Foundation
import Kernel

extension ApprovalService {
    /// A firm's credit: its own applicants and bureau staff may look.
    public func credit(of firm: String, for actor: Actor) async throws -> CreditStanding {
        let uscc = try uscc(firm, field: "uscc")
        if actor.role == .applicant, actor.firm != uscc { throw ApprovalError.notFound("企业 \(uscc) 的信用记录") }
        return try await creditStanding(of: uscc)
    }

    /// For capabilities that grant automatically only to firms at a given level or better.
    public func creditStanding(of firm: String) async throws -> CreditStanding {
        catalog.credit.standing(of: firm, from: try await store.creditRecords(firm: firm), today: calendar.today(at: dependencies.now()))
    }
}
